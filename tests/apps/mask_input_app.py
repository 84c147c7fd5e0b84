"""A small app around the shared mask input, for AppTest and the browser tests.

Two pages, both with the mask input, laid out like a loss page (masks on the left, numbers on
the right), so a test can paint on one page and check the masks on the other.
Run it by hand with ``streamlit run tests/apps/mask_input_app.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import masks  # noqa: E402

st.set_page_config(page_title="Mask input harness", layout="wide")


def numbers() -> None:
    y_true, y_pred = masks.get_masks()
    info = masks.get_mask_info()
    st.metric("Mean of y_pred", f"{float(y_pred.mean()):.5f}")
    st.metric("Mean of y_true", f"{float(y_true.mean()):.5f}")
    st.metric("Masks version", masks.masks_version())
    st.write(f"source: `{info['source']}` · preset: `{info['preset']}`")
    for note in info["notes"]:
        st.caption(note)


def page(title: str) -> None:
    st.header(title)
    left, right = st.columns([1.25, 1], gap="large")
    with left:
        masks.render_mask_input()
    with right:
        st.fragment(numbers)()


def first() -> None:
    page("Mask input")


def second() -> None:
    page("Another page")


nav = st.navigation(
    [
        st.Page(first, title="Mask input", url_path="masks", default=True),
        st.Page(second, title="Another page", url_path="other"),
    ]
)
nav.run()
