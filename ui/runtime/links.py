"""The board in a link: a page's whole state in its address, and a link read back safely.

The address bar always holds the state, the way TensorFlow Playground keeps its
state in its URL: each setting under its own name (:mod:`ui.runtime.params`),
the language (``lang``), the masks (``preset=<key>`` while both are a preset,
else ``m=<packed>``, see :mod:`ui.runtime.link_codec`) and the open view. A
teacher copies the address (or presses "Copy link") and thirty students open the
same board.

Reading a link never trusts it. What cannot be used (an unknown or repeated name,
a value out of range, masks that do not decode) is ignored, the page opens with
its defaults for that part, and one short note says what was ignored. Nothing
from a link is shown as HTML or markdown: names and values are reduced to plain
characters (:func:`ui.runtime.params.echo`) before they are named in the note.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ..i18n import LANGUAGES, t
from .link_codec import LinkError, pack_masks, unpack_masks

#: Link fields every page understands, besides its own settings.
COMMON_FIELDS = frozenset({"lang", "m", "preset", "view", "present"})
#: A packed pair longer than this stays out of the link (it carries the preset instead).
MAX_MASK_CHARS = 7_000
MAX_NOTES = 8

_NOTES = "_segloss_link_notes"
_PENDING = "_segloss_link_notes_pending"
_AUDITED = "_segloss_link_audited"


def echo(raw: object, limit: int = 24) -> str:
    """Text from a link, made safe to show: only plain characters, and short."""
    import re

    text = re.sub(r"[^A-Za-z0-9._-]", "?", str(raw))
    return text[:limit] + ("..." if len(text) > limit else "")


# --------------------------------------------------------------------------- notes
def note(text: str, *, before_page: bool = False) -> None:
    """Remember one thing the link asked for that could not be used (shown on top).

    ``before_page``: noted before the navigation knows which page opens (the language);
    it joins that page's notes when they are shown.
    """
    if before_page:
        st.session_state.setdefault(_PENDING, []).append(text)
        return
    page = st.session_state.get("_segloss_page", "")
    kept = st.session_state.get(_NOTES)
    if not kept or kept[0] != page:
        kept = st.session_state[_NOTES] = (page, [])
    notes = kept[1]
    if text not in notes and len(notes) < MAX_NOTES:
        notes.append(text)


def show_notes() -> None:
    """One box saying what of the link was ignored, on every run of the page that read it.

    Kept until another page opens: a full rerun right after the first (the browser's
    language, a widget's first value) would otherwise wipe the box before anyone read it.
    """
    for text in st.session_state.pop(_PENDING, []):
        note(text)
    page = st.session_state.get("_segloss_page", "")
    kept = st.session_state.get(_NOTES)
    if not kept or kept[0] != page:
        st.session_state.pop(_NOTES, None)
        return
    if kept[1]:
        st.warning(
            t("links.ignored_intro") + " " + "; ".join(kept[1]) + ".", icon=":material/link_off:"
        )


def audit(known: set[str]) -> None:
    """Note every name in the link that this page does not know, and every repeated one.

    Done once per page and link in a session, so a rerun does not repeat the note.
    """
    qp = st.query_params
    stamp = (st.session_state.get("_segloss_page", ""), tuple(sorted(qp.keys())))
    done = st.session_state.setdefault(_AUDITED, set())
    if stamp in done:
        return
    done.add(stamp)
    names = list(qp.keys())
    unknown = [n for n in names if n not in known and n not in COMMON_FIELDS]
    if unknown:
        shown = ", ".join(echo(n) for n in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        note(t("links.unknown_names", names=shown))
        for name in unknown:  # the page's own link stays clean
            del qp[name]
    repeated = [n for n in names if n not in unknown and len(qp.get_all(n)) > 1]
    if repeated:
        note(t("links.repeated_names", names=", ".join(echo(n) for n in repeated[:5])))
        for name in repeated:
            qp[name] = qp.get(name)


def check_language() -> None:
    """Note a ``lang`` the app does not speak; call it before anything reads the language."""
    lang = st.query_params.get("lang")
    if lang is not None and lang not in LANGUAGES:
        note(t("links.unknown_language", name=echo(lang)), before_page=True)


# --------------------------------------------------------------------------- masks
def masks_from_link(size: int, preset_keys: list[str]):
    """The masks a link asks for: ``(y_true, y_pred, preset key or None)``, or None.

    Masks packed in the link win over a preset named in it; what cannot be read is
    noted and left out.
    """
    qp = st.query_params
    packed = qp.get("m")
    if packed:
        try:
            y_true, y_pred = unpack_masks(packed, (size, size))
            return y_true, y_pred, None
        except LinkError as exc:
            note(t("links.masks_unreadable", reason=t(f"links.reason.{exc.code}")))
    preset = qp.get("preset")
    if preset:
        if preset in preset_keys:
            return None, None, preset
        note(t("links.unknown_preset", name=echo(preset)))
    return None


def mask_fields(y_true: np.ndarray, y_pred: np.ndarray, preset: str | None, fallback: str) -> dict:
    """What the link says about the masks: the preset's name, or the packed masks.

    Masks too large for a link leave only ``fallback`` (the last preset) in it, and the
    page says so (:func:`link_too_long`).
    """
    if preset:
        return {"preset": preset}
    packed = pack_masks(y_true, y_pred)
    if len(packed) <= MAX_MASK_CHARS:
        return {"m": packed}
    return {"preset": fallback, "_too_long": "1"}


def sync_masks(fields: dict) -> bool:
    """Write the mask fields into the address bar; True when the masks did not fit."""
    qp = st.query_params
    too_long = fields.pop("_too_long", None) is not None
    for stale in ("m", "preset"):
        if stale not in fields and stale in qp:
            del qp[stale]
    if any(qp.get(k) != v for k, v in fields.items()):
        qp.update(fields)
    return too_long
