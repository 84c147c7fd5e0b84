"""Two replicas of the app behind Debian's nginx, on loopback: the deployment of compose.yaml
on one machine, for trying it and for the tests and the load bench.

    python deploy/loopback.py              # prints the URL; Ctrl-C stops everything
    python deploy/loopback.py --port 8080 --replicas 2

The nginx configuration is made from ``deploy/nginx.conf``, the same template the
container uses, inside a minimal main configuration that keeps every file nginx writes
(pid, logs, temporary files) in a temporary directory, so it needs no root and leaves
nothing behind. ``running()`` does the same as a context manager.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import free_port, start_streamlit, stop_streamlit  # noqa: E402

TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX = "/usr/sbin/nginx"

_MAIN = """\
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


def max_body() -> str:
    """nginx's client_max_body_size: Streamlit's upload limit plus 1 MB of multipart envelope."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    return f"{int(config['server']['maxUploadSize']) + 1}m"


def render_site(listen_port: int, replicas: list[str]) -> str:
    """``deploy/nginx.conf`` filled in (APP1, APP2, LISTEN_PORT, MAX_BODY)."""
    if len(replicas) != 2:
        raise ValueError("deploy/nginx.conf names two replicas (APP1, APP2)")
    values = {
        "APP1": replicas[0],
        "APP2": replicas[1],
        "LISTEN_PORT": f"127.0.0.1:{listen_port}",
        "MAX_BODY": max_body(),
    }
    text = string.Template(TEMPLATE.read_text()).safe_substitute(values)
    missing = [name for name in values if "${" + name + "}" in text]
    if missing:
        raise ValueError(f"not filled in: {missing}")
    return text


def _nginx_args(tmp: Path) -> list[str]:
    """nginx on the configuration in ``tmp``, writing nothing outside it."""
    return [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")]


def write_config(tmp: Path, listen_port: int, replicas: list[str]) -> str | None:
    """Write the main configuration and the site into ``tmp`` and ask ``nginx -t`` about
    them: None when nginx accepts them, else what it said."""
    (tmp / "site.conf").write_text(render_site(listen_port, replicas))
    (tmp / "nginx.conf").write_text(_MAIN.format(tmp=tmp))
    check = subprocess.run([*_nginx_args(tmp), "-t"], capture_output=True, text=True)
    return None if check.returncode == 0 else check.stderr


@dataclass
class Loopback:
    url: str
    replica_urls: list[str]
    pids: list[int]  # the replicas' server processes
    logs: list[str]  # the replicas' logs, then nginx's error log
    tmp: Path


def _wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nginx did not answer on {url} within {timeout:.0f} s")


@contextlib.contextmanager
def running(port: int | None = None, replicas: int = 2):
    """Start the replicas and nginx; yield a :class:`Loopback`; stop and clean up."""
    if not Path(NGINX).exists():
        raise RuntimeError(f"{NGINX} not found: apt-get install nginx")
    tmp = Path(tempfile.mkdtemp(prefix="segloss-nginx-"))
    tmp.chmod(0o755)  # started as root, nginx's workers run as nobody and spool responses here
    procs, nginx = [], None
    try:
        for _ in range(replicas):
            procs.append(start_streamlit(ROOT / "app.py", timeout=120)[1])
        upstream = [f"127.0.0.1:{p.args[p.args.index('--server.port') + 1]}" for p in procs]
        port = port or free_port()
        problem = write_config(tmp, port, upstream)
        if problem:
            raise RuntimeError(f"nginx rejected the configuration:\n{problem}")
        nginx = subprocess.Popen(_nginx_args(tmp))
        url = f"http://127.0.0.1:{port}"
        _wait_for(url, 30)
        yield Loopback(
            url,
            [f"http://{u}" for u in upstream],
            [p.pid for p in procs],
            [p.log_path for p in procs] + [str(tmp / "error.log")],
            tmp,
        )
    finally:
        if nginx is not None and nginx.poll() is None:
            nginx.send_signal(signal.SIGQUIT)  # graceful: finish the open requests
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait(timeout=10)
        for proc in procs:
            stop_streamlit(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--replicas", type=int, default=2, choices=[2])
    args = ap.parse_args(argv)
    with running(args.port, args.replicas) as lb:
        print(f"{lb.url}  (replicas {', '.join(lb.replica_urls)}; server pids {lb.pids})")
        print("Ctrl-C stops nginx and both replicas.", flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
