"""The load bench, small: three protocol users on a real server for a few seconds.

Timings are not asserted (the machine is shared); what must hold is that every page
opened, every slider move brought a new loss value and its figures, and nothing failed.
"""

from __future__ import annotations

from bench import load
from bench.stclient import run_blocking
from tests.browser_support import start_streamlit, stop_streamlit


def test_three_users_move_sliders_without_errors():
    url, proc = start_streamlit("app.py", timeout=120)
    try:
        args = load.parse(
            ["--users", "3", "--seconds", "4", "--baseline-seconds", "2", "--url", url]
        )
        args.pid = [proc.pid]
        one, many, phases = run_blocking(load.run(args))
    finally:
        stop_streamlit(proc)
    assert one.n_errors == 0 and many.n_errors == 0, one.examples + many.examples
    assert len(many.open) == 3
    # every move changed the shown value and brought the figures (else it is an error above)
    assert many.moves >= 6 and len(many.value) == many.moves == len(many.figures)
    assert phases["N=3"].rss, "the server's memory was read from /proc"
    report = load.report(3, one, many, phases)
    assert "slider -> figures" in report and "PASS" in report
