"""The slide figure draws Hangul with real glyphs, never the box of a missing glyph.

Matplotlib draws a character its fonts lack as a "Last Resort" box, one box per Unicode
block: every Hangul syllable missing from a font becomes the same "HANGUL SYLLABLES" box.
Each syllable of a Korean slide title is drawn alone with the slide's fonts and compared
with that box (drawn with matplotlib's default font, which has no Hangul): it must differ
from the box and from every other syllable. Drawn with the default font only, the same
syllables do all come out as the box, which shows the check can fail.
"""

from __future__ import annotations

import io
import logging
import warnings

import numpy as np
import pytest

from teaching import analysis
from ui import i18n
from ui.figures import slides
from ui.masks import presets

BOX_OF = "\uac00"  # any Hangul syllable: with a font that lacks Hangul, it is the block's box


def _drawn(text: str, families: list[str]) -> np.ndarray:
    """The pixels of ``text`` drawn alone, large, in ``families`` (True where ink is)."""
    plt = slides._matplotlib()
    fig = plt.figure(figsize=(1.2, 1.2), dpi=100)
    fig.text(0.5, 0.5, text, fontsize=64, family=families, ha="center", va="center")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph ... missing": the point of the control case
        fig.canvas.draw()
    ink = np.asarray(fig.canvas.buffer_rgba())[..., 0] < 128
    plt.close(fig)
    return ink


def _syllables(text: str) -> list[str]:
    return sorted({c for c in text if "\uac00" <= c <= "\ud7a3"})


@pytest.fixture(scope="module")
def korean_title() -> str:
    name = i18n.text("loss_page.title", "ko", name=i18n.text("losses.dice.title", "ko"))
    return " ".join([name, i18n.text("charts.slide.one_pixel", "ko")])


def test_a_font_with_hangul_is_found_by_family_name():
    family = slides.hangul_family()
    assert family in slides.HANGUL_FAMILIES, "install Debian's fonts-noto-cjk"
    lang, families = slides.fonts_for("ko")
    assert lang == "ko" and families == [slides.LATIN_FAMILY, family]
    assert slides.fonts_for("en") == ("en", [slides.LATIN_FAMILY])


@pytest.fixture(scope="module")
def missing_box() -> np.ndarray:
    """The box the default font (no Hangul) draws for a Hangul syllable."""
    box = _drawn(BOX_OF, [slides.LATIN_FAMILY])
    assert box.any(), "the missing-glyph box should have ink"
    return box


def test_the_korean_title_is_drawn_with_real_glyphs(korean_title, missing_box):
    _, families = slides.fonts_for("ko")
    missing = missing_box
    drawn = {c: _drawn(c, families) for c in _syllables(korean_title)}
    assert len(drawn) >= 6
    for c, ink in drawn.items():
        assert ink.any(), c
        assert not np.array_equal(ink, missing), f"{c!r} is drawn as the missing-glyph box"
    inks = list(drawn.values())
    assert all(not np.array_equal(a, b) for i, a in enumerate(inks) for b in inks[i + 1 :])


def test_without_a_hangul_font_the_same_title_would_be_boxes(korean_title, missing_box):
    """The control: the default font alone draws every syllable as the same missing box."""
    for c in _syllables(korean_title):
        assert np.array_equal(_drawn(c, [slides.LATIN_FAMILY]), missing_box), c


def _slide(lang: str) -> bytes:
    t, p = presets.load_preset(presets.DEFAULT_PRESET)
    curve = analysis.pixel_curve("dice", np.linspace(0, 1, 11))
    conf = analysis.confidence_curve("dice", t, p, np.linspace(0, 1, 11))
    numbers = {"TP": 1.0, "FP": 2.0, "FN": 3.0, "TN": 4.0}
    return slides.slide_png("dice", 0.5, "smooth=1e-06", numbers, t, p, curve, conf, lang=lang)


def test_the_korean_slide_draws_without_a_missing_glyph():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = _slide("ko")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing[:3]


def test_without_a_hangul_font_the_slide_is_english_with_a_logged_note(monkeypatch, caplog):
    monkeypatch.setattr(slides, "HANGUL_FAMILIES", ("No Such Font Family",))
    slides.hangul_family.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="ui.figures.slides"):
            assert slides.fonts_for("ko") == (i18n.DEFAULT, [slides.LATIN_FAMILY])
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                png = _slide("ko")
    finally:
        slides.hangul_family.cache_clear()
    assert any("fonts-noto-cjk" in r.getMessage() for r in caplog.records)
    assert not [w for w in caught if "missing from" in str(w.message)]
    from PIL import Image

    assert Image.open(io.BytesIO(png)).width > 0
