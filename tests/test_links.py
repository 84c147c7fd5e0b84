"""The board in a link, through AppTest and app.py: a page's state round-trips its address,
and hostile or broken links open the page with safe defaults and a short note."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import losses
from tests.test_link_codec import painted_pair
from ui.masks import presets
from ui.runtime import link_codec, links

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120


def _open(page: str, query: dict) -> AppTest:
    """Open ``pages/<page>.py`` through app.py with ``query`` as the link's query string."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _notes(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def _link(at: AppTest) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


# --------------------------------------------------------------------------- round trip
def test_a_painted_board_round_trips_through_its_link_to_every_printed_digit():
    t, p = painted_pair(3)
    packed = link_codec.pack_masks(t, p)
    first = _open("tversky", {"alpha": "0.3", "beta": "0.8", "m": packed, "lang": "en"})
    value = first.metric[0].value
    assert float(value) == pytest.approx(float(losses.tversky(t, p, alpha=0.3, beta=0.8)), abs=5e-5)
    link = _link(first)
    assert link["m"] == packed and link["alpha"] == "0.3" and link["beta"] == "0.8"
    assert "preset" not in link
    second = _open("tversky", link)
    assert second.metric[0].value == value  # the same text, every printed digit
    assert _link(second) == link
    assert not second.warning


@pytest.mark.parametrize("preset", presets.preset_keys())
def test_a_preset_travels_by_name(preset):
    at = _open("dice", {"preset": preset})
    t, p = presets.load_preset(preset)
    assert float(at.metric[0].value) == pytest.approx(float(losses.dice(t, p)), abs=5e-5)
    link = _link(at)
    assert link["preset"] == preset and "m" not in link
    assert len("&".join(f"{k}={v}" for k, v in link.items())) < 200


def test_the_longest_mask_link_fits_in_8_kb():
    longest = 0
    for seed in range(6):
        t, p = painted_pair(seed, strokes=6)
        at = _open("focal_tversky", {"m": link_codec.pack_masks(t, p), "gamma": "0.75"})
        link = _link(at)
        assert "m" in link, seed
        url = "https://lab.example.org/focal_tversky?" + "&".join(
            f"{k}={v}" for k, v in link.items()
        )
        longest = max(longest, len(url))
    assert longest <= 8192, longest


def test_masks_too_detailed_for_a_link_leave_the_preset_and_say_so():
    rng = np.random.default_rng(0)
    t = (rng.random((256, 256)) < 0.5).astype(np.float32)
    p = rng.random((256, 256)).astype(np.float32)
    assert len(link_codec.pack_masks(t, p)) > links.MAX_MASK_CHARS
    fields = links.mask_fields(t, p, None, "tiny")
    assert fields == {"preset": "tiny", "_too_long": "1"}


def test_the_open_view_travels_in_the_link():
    first = _open("tversky", {"lang": "ko"})
    assert _link(first)["view"] == "tversky_square"  # the page's first view
    first.session_state["view-tversky"] = "push"
    first.run()
    link = _link(first)
    assert link["view"] == "push" and link["lang"] == "ko"
    second = _open("tversky", link)
    assert second.session_state["view-tversky"] == "push"
    assert second.metric[0].value == first.metric[0].value
    assert not second.warning


# --------------------------------------------------------------------------- hostile links
def _hostile() -> list[tuple[str, str, dict, str]]:
    """(name, page, query, a word the note must contain)."""
    t, p = presets.load_preset("shifted")
    good = link_codec.pack_masks(t, p)
    small = link_codec.pack_masks(np.zeros((8, 8)), np.zeros((8, 8)))
    script = "<script>alert(1)</script>"
    return [
        ("truncated masks", "dice", {"m": good[:100]}, "masks"),
        ("corrupted masks", "dice", {"m": good[:60] + "____" + good[64:]}, "masks"),
        ("masks of the wrong size", "dice", {"m": small}, "masks"),
        ("masks from elsewhere", "dice", {"m": "QUJDREVGR0hJSktMTU5PUA"}, "masks"),
        ("empty masks field", "dice", {"m": ""}, ""),
        # Streamlit drops a query string over 512 K characters before a page sees it
        ("a 1 MB query string", "dice", {"m": "A" * 1_000_000}, ""),
        ("a 100 KB masks field", "dice", {"m": "A" * 100_000}, "masks"),
        ("script in the masks", "dice", {"m": script}, "masks"),
        ("decompression bomb", "dice", {"m": _bomb()}, "masks"),
        ("NaN", "tversky", {"alpha": "nan"}, "alpha"),
        ("infinity", "tversky", {"alpha": "inf"}, "alpha"),
        ("minus infinity", "tversky", {"beta": "-inf"}, "beta"),
        ("huge", "tversky", {"alpha": "1e308"}, "alpha"),
        ("overflowing", "focal", {"gamma": "1e999"}, "gamma"),
        ("negative", "tversky", {"beta": "-5"}, "beta"),
        ("not a number", "tversky", {"alpha": "abc"}, "alpha"),
        ("empty value", "tversky", {"alpha": ""}, "alpha"),
        ("HTML in a value", "tversky", {"alpha": "<b>0.3</b>"}, "alpha"),
        ("off the smooth scale", "dice", {"smooth": "0.5"}, "smooth"),
        ("not a switch", "focal", {"class_balanced": "maybe"}, "class_balanced"),
        ("unknown name", "dice", {"foo": "1"}, "foo"),
        ("HTML as a name", "dice", {"<img src=x onerror=alert(1)>": "1"}, "img"),
        ("two hundred names", "dice", {f"k{i}": str(i) for i in range(200)}, "k0"),
        ("unknown preset", "dice", {"preset": "nope"}, "nope"),
        ("script as a preset", "dice", {"preset": script}, "script"),
        ("unknown language", "dice", {"lang": "xx"}, "xx"),
        ("a setting of another page", "dice", {"alpha": "0.3"}, "alpha"),
        ("unknown view", "dice", {"view": script}, "view"),
        ("compare: a bad error size", "compare", {"error": "-3"}, "error"),
        ("compare: an unknown shape", "compare", {"shape": script}, "shape"),
    ]


def _bomb() -> str:
    import base64
    import struct
    import zlib

    inflated = zlib.compress(b"\0" * 20_000_000, 9)
    raw = struct.pack(">2sBHHI", b"SL", 1, 256, 256, len(inflated)) + inflated
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


HOSTILE = _hostile()


def test_there_are_at_least_25_kinds_of_hostile_link():
    assert len(HOSTILE) >= 25


@pytest.mark.parametrize("name, page, query, word", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_link_opens_the_page_with_defaults_and_a_note(name, page, query, word):
    at = _open(page, query)
    notes = _notes(at)
    if word:
        assert word in notes, (name, notes)
    assert "<" not in notes and ">" not in notes, notes  # nothing from the link as HTML
    if page != "compare":
        assert np.isfinite(float(at.metric[0].value))
    for md in at.markdown:
        assert "<script" not in md.value and "onerror" not in md.value
    link = _link(at)
    assert all(len(v) <= links.MAX_MASK_CHARS for v in link.values())
    assert set(link) <= (
        links.COMMON_FIELDS
        | {"alpha", "beta", "gamma", "smooth", "class_balanced", "error", "sweep", "shape"}
    )


def test_defaults_are_used_where_the_link_is_bad():
    at = _open("tversky", {"alpha": "nan", "beta": "7", "m": "garbage"})
    assert at.session_state["param:tversky:alpha"] == 0.5  # the blog's default
    assert at.session_state["param:tversky:beta"] == 1.0  # brought into range
    t, p = presets.load_preset(presets.DEFAULT_PRESET)
    expected = float(losses.tversky(t, p, alpha=0.5, beta=1.0))
    assert float(at.metric[0].value) == pytest.approx(expected, abs=5e-5)


def test_a_link_value_between_the_slider_steps_goes_to_the_nearest_step_with_a_note():
    # a live slider shows (and has the loss of) its steps only: 2.33 becomes 2.3
    at = _open("focal", {"gamma": "2.33"})
    assert not at.exception
    assert at.session_state["param:focal:gamma"] == 2.3
    notes = " ".join(str(m.value) for m in (*at.caption, *at.markdown, *at.info, *at.warning))
    assert "2.33" in notes and "2.3 is used" in notes
