"""Sessions over Streamlit's own protocol: abrupt disconnects, and no state shared between tabs.

One real server for the module; each test speaks the websocket protocol through
``bench/stclient.py`` (no browser needed).
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from bench.stclient import StreamlitSession, loss_slider_value, run_blocking
from tests.browser_support import start_streamlit, stop_streamlit

PAGE = "tversky"


@pytest.fixture(scope="module")
def server():
    url, proc = start_streamlit("app.py", timeout=120)
    run_blocking(_open_once(url))  # the first open after a start imports TensorFlow
    yield url, proc
    stop_streamlit(proc)


async def _open_once(url: str) -> None:
    async with StreamlitSession(f"{url}/{PAGE}", timeout=120) as s:
        await s.open()


def _log(proc) -> str:
    return Path(proc.log_path).read_text(errors="replace")


async def _drop_mid_run(url: str, rng: random.Random) -> None:
    """Open the page, or move a slider, and cut the TCP connection while the run goes on."""
    s = StreamlitSession(f"{url}/{PAGE}", timeout=60)
    await s.connect()
    if rng.random() < 0.5:
        await s.open()
        slider = s.loss_slider("alpha")
        await s.fire_component_event(slider, "change", 0.9, wait=False)  # a move, not waited for
    else:
        await s._send(s._client_state(first=True))  # the first run, not waited for
    await asyncio.sleep(rng.uniform(0.0, 0.15))
    s.abort()


def test_thirty_abrupt_disconnects_leave_no_traceback(server):
    url, proc = server
    before = len(_log(proc))

    async def crowd():
        rng = random.Random(13)
        await asyncio.gather(*(_drop_mid_run(url, rng) for _ in range(30)))
        await asyncio.sleep(3.0)  # let the runs of the dropped sessions end on the server
        await _open_once(url)  # and the server still serves

    run_blocking(crowd())
    new = _log(proc)[before:]
    assert "Traceback" not in new and "Exception" not in new, new[-3000:]


def test_two_sessions_never_share_parameters(server):
    url, _ = server

    async def two_tabs():
        async with StreamlitSession(f"{url}/{PAGE}") as a, StreamlitSession(f"{url}/{PAGE}") as b:
            await a.open()
            default = loss_slider_value(a.loss_slider("alpha"), a)
            value_a_before = list(a.metrics().values())
            await a.move_loss_slider(a.loss_slider("alpha"), 0.9)
            assert loss_slider_value(a.loss_slider("alpha"), a) == 0.9
            await b.open()
            # B sees the defaults, not A's slider, nor A's value or link
            assert loss_slider_value(b.loss_slider("alpha"), b) == default
            assert list(b.metrics().values()) == value_a_before
            assert "alpha=0.9" in a.query_string and "alpha=0.9" not in b.query_string
            await b.move_loss_slider(b.loss_slider("alpha"), 0.1)
            await a.rerun()  # A's next run still has A's value
            assert "alpha=0.9" in a.query_string
            assert list(a.metrics().values()) != list(b.metrics().values())

    run_blocking(two_tabs())
