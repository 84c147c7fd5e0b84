"""Pitfalls and FAQ: common mistakes with segmentation losses, each run live."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

import streamlit as st

from ui.i18n import t
from ui.runtime import cache
from ui.runtime.guard import guard
from ui.sections import pitfalls

st.title(t("pitfalls.page.title"))
try:
    items, faq, versions = cache.pitfalls(), cache.faq(), cache.versions()
except Exception as exc:  # noqa: BLE001 - the page says what failed instead of a traceback
    st.error(t("pitfalls.page.failed", error=str(exc)), icon=":material/error:")
    st.stop()

intro, picture = st.columns([4, 1], vertical_alignment="center")
intro.markdown(t("pitfalls.page.intro", tensorflow=versions["tensorflow"], keras=versions["keras"]))
with picture, guard(t("pitfalls.page.guard_example")):
    st.image(pitfalls.example_image(), width=128, caption=t("pitfalls.page.example_caption"))

pitfalls.contents(items, faq)
for number, item in enumerate(items, 1):
    with guard(t("pitfalls.page.guard_pitfall", number=str(number))):
        pitfalls.pitfall_section(number, item)

st.header(t("pitfalls.page.faq"), anchor="faq")
for number, item in enumerate(faq, 1):
    with guard(t("pitfalls.page.guard_answer", number=str(number))):
        pitfalls.faq_section(item)
