"""Sessions over Streamlit's own protocol: a client may vanish at any moment, and no state is
shared between tabs.

One real server for the module; each test speaks the websocket protocol through
``bench/stclient.py`` (no browser needed): thirty abrupt disconnects mid-run, uploads cut
off mid-body (raw HTTP, reset connections), a tab closed mid-training (its run must stop),
and two tabs that must never see each other's parameters. The server log must hold no
traceback afterwards.
"""

from __future__ import annotations

import asyncio
import random
import socket
import struct
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from bench.load import ServerWatch, training_workers
from bench.stclient import StreamlitSession, loss_slider_value, run_blocking
from tests.browser_support import start_streamlit, stop_streamlit

PAGE = "tversky"


@pytest.fixture(scope="module")
def server():
    url, proc = start_streamlit("app.py", timeout=120)
    try:
        run_blocking(_open_once(url))  # the first open after a start imports TensorFlow
        yield url, proc
    finally:  # also when the first open fails: no server outlives the tests
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


def _xsrf_token(url: str) -> str:
    """The XSRF cookie a browser gets from the server (its value is also the header's)."""
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as reply:
        for name, value in reply.headers.items():
            if name.lower() == "set-cookie" and value.startswith("_streamlit_xsrf="):
                return value.split(";")[0].split("=", 1)[1]
    raise AssertionError("the server set no XSRF cookie")


def _upload(url: str, session_id: str, token: str, size: int, cut_at: int | None) -> str:
    """PUT a PNG-named file of ``size`` bytes as the browser's uploader does; with ``cut_at``
    reset the connection after that many bytes of the request. The status line, or ""."""
    host, port = url.removeprefix("http://").split(":")
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="mask.png"'
            f"\r\nContent-Type: image/png\r\n\r\n"
        ).encode()
        + b"\x89PNG"
        + b"0" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"PUT /_stcore/upload_file/{session_id}/{uuid.uuid4()} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\nContent-Length: {len(body)}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Cookie: _streamlit_xsrf={token}\r\nX-Xsrftoken: {token}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        request = head + body
        conn.sendall(request if cut_at is None else request[:cut_at])
        if cut_at is None:
            return conn.recv(200).decode(errors="replace").split("\r\n")[0]
        # SO_LINGER 0: close with a reset, as a laptop lid does, not a polite FIN
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return ""


def test_uploads_cut_off_midway_leave_no_traceback(server):
    url, proc = server
    before = len(_log(proc))

    async def uploads():
        async with StreamlitSession(f"{url}/dice", timeout=60) as s:
            await s.open()
            token = _xsrf_token(url)
            # a whole upload reaches the upload handler: the cut ones below take its path
            assert _upload(url, s.session_id, token, 5_000, None).endswith("204 No Content")
            rng = random.Random(7)
            for _ in range(10):
                _upload(url, s.session_id, token, 400_000, rng.randint(600, 200_000))
            await asyncio.sleep(2.0)
            await s.rerun()  # the session still runs

    run_blocking(uploads())
    new = _log(proc)[before:]
    assert "Traceback" not in new and "Exception" not in new, new[-3000:]


def _workers_cpu_seconds(server_pid: int) -> float:
    """CPU time used so far by the server's training workers."""
    return ServerWatch(training_workers(server_pid)).cpu_seconds() or 0.0


def test_a_tab_closed_mid_training_cancels_its_run_without_a_traceback(server):
    url, proc = server
    before = len(_log(proc))

    async def train_then_vanish():
        s = StreamlitSession(f"{url}/training_lab", timeout=120)
        await s.connect()
        await s.open()
        await s.click(s.find("button", "Train")[0])
        deadline = time.monotonic() + 180
        # the page polls the pool (st.fragment run_every); play its timer until epochs run
        while not any(kind == "progress" for kind, _ in s.elements.values()):
            assert time.monotonic() < deadline, "the training never showed its progress"
            await asyncio.sleep(1.0)
            await (s.auto_rerun() if s.auto_reruns else s.rerun())
        running = _workers_cpu_seconds(proc.pid)
        await asyncio.sleep(2.0)  # under the pool's 3 s grace for a missing watcher
        running = _workers_cpu_seconds(proc.pid) - running
        assert running > 0.5, f"the workers used only {running:.1f} s of CPU in 2 s of training"
        s.abort()  # the tab is gone, mid-run

    run_blocking(train_then_vanish())
    time.sleep(8.0)  # the pool drops a watcher missing for 3 s, then stops its run
    start = _workers_cpu_seconds(proc.pid)
    time.sleep(4.0)
    busy = _workers_cpu_seconds(proc.pid) - start
    assert busy < 0.5, f"the workers still used {busy:.1f} s of CPU in 4 s: the run goes on"
    run_blocking(_open_once(url))  # and the server still serves
    new = _log(proc)[before:]
    assert "Traceback" not in new and "Exception" not in new, new[-3000:]
