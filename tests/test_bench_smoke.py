"""The losses benchmark runs end to end in its --quick mode (timings are not asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "losses_bench.py"


@pytest.mark.slow
def test_losses_bench_quick_runs(capsys):
    spec = importlib.util.spec_from_file_location("losses_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    code = module.main(["--quick"])
    assert code == 0  # without --check a missed target never fails the run
    out = capsys.readouterr().out
    for expected in ("(a) training step", "(b) analysis helpers", "train step, Dice", "ratio"):
        assert expected in out
    assert "shift_curve" in out and "tversky_grid" in out


def test_slices_bench_quick_runs(capsys):
    """bench/slices_bench.py --quick (a few seconds): the slices and figures of two pages."""
    spec = importlib.util.spec_from_file_location("slices_bench", BENCH.parent / "slices_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "focal" in out and "tversky" in out and "worst ratio" in out
