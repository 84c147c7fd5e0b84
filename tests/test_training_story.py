"""The "what to notice" sentences of the training lab are written from the measured numbers."""

from __future__ import annotations

from tests._runs import fake_run as _fake
from ui.sections.training_story import run_title, summarize


def test_summary_names_the_loss_that_found_the_objects():
    bce = _fake("bce", 0, 0, 600, 0.0)
    dice = _fake("dice", 520, 80, 80, 0.9)
    lines = summarize([bce, dice])
    text = "\n".join(lines)
    assert "marked no pixel" in lines[0]
    assert "balanced" in lines[1]
    assert "**Dice** found 90 %" in text and "**Binary cross-entropy** 0 %" in text
    assert "0.87 for **Dice**" in text
    assert "same weights" in text


def test_summary_flags_over_and_under_segmentation_and_cheap_wins():
    over = _fake("tversky", 580, 3000, 20, 0.97, {"alpha": 0.1, "beta": 0.9})
    under = _fake("focal", 200, 10, 400, 0.35, {"gamma": 2.0})
    lines = summarize([over, under])
    assert "over-segments" in lines[0] and "Tversky (alpha=0.1, beta=0.9" in lines[0]
    assert "under-segments" in lines[1]
    assert "cheap" in lines[2]


def test_summary_when_neither_learned():
    lines = summarize([_fake("bce", 0, 0, 600, 0.0), _fake("focal", 0, 0, 600, 0.0)])
    assert any("Neither model segments" in line for line in lines)


def test_run_titles_name_the_loss_and_its_settings():
    assert run_title(_fake("focal", 1, 1, 1, 0.5, {"gamma": 2.0})) == "Focal (alpha=0.8, gamma=2)"
    balanced = _fake("focal", 1, 1, 1, 0.5, {"class_balanced": True})
    assert run_title(balanced) == "Focal (alpha=0.8, gamma=2, class_balanced=True)"
    assert run_title(_fake("bce", 1, 1, 1, 0.5)) == "Binary cross-entropy"
