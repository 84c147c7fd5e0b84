"""Pitfalls and FAQ: common mistakes with segmentation losses, each run live."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

import streamlit as st

from ui.runtime import cache
from ui.runtime.guard import guard
from ui.sections import pitfalls

st.title("Pitfalls and FAQ")
try:
    items, faq, versions = cache.pitfalls(), cache.faq(), cache.versions()
except Exception as exc:  # noqa: BLE001 - the page says what failed instead of a traceback
    st.error(f"Could not run the pitfall demonstrations: {exc}", icon=":material/error:")
    st.stop()

intro, picture = st.columns([4, 1], vertical_alignment="center")
intro.markdown(
    "Mistakes that are easy to copy from tutorials and easy to miss, because the "
    "code runs and prints a number. Each one below is **run live** on this machine "
    f"(TensorFlow {versions['tensorflow']}, Keras {versions['keras']}) on a small 16 × 16 "
    "example: a 6 × 6 object predicted at 0.9 except for a hesitant left edge, and a "
    "few false alarms to its right. The mistaken value and the correct one sit side by "
    "side."
)
with picture, guard("draw the example"):
    st.image(pitfalls.example_image(), width=128, caption="the 16 × 16 example")

pitfalls.contents(items, faq)
for number, item in enumerate(items, 1):
    with guard(f"show the pitfall {item.get('key')}"):
        pitfalls.pitfall_section(number, item)

st.header("Frequently asked questions", anchor="faq")
for item in faq:
    with guard(f"answer {item.get('key')}"):
        pitfalls.faq_section(item)
