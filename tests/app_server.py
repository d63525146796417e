"""The app under `streamlit run` on a free local port: started for the browser tests and the benchmarks.

Only this machine is contacted; :data:`LOCAL_HOSTS` are the hosts a page may reach.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

__all__ = ["ROOT", "CHROMIUM", "LOCAL_HOSTS", "is_local", "free_port", "start_app", "stop_app"]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def is_local(url: str) -> bool:
    """Whether a page's request stays on this machine (or is inline data)."""
    return (urlparse(url).hostname or "") in LOCAL_HOSTS or url.startswith(("data:", "blob:", "about:"))


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(
    data_dir: str | None = None,
    port: int | None = None,
    script: str = "app.py",
    environment: dict[str, str] | None = None,
    poll_s: float = 0.3,
    as_users_start_it: bool = False,
):
    """Start `streamlit run <script>` (the app by default) and wait until its health endpoint answers.

    ``as_users_start_it``: the app as ``./atlas app`` starts it (the ``sahel-atlas app`` command,
    which also loads the dashboard's code while the server starts); ``script`` is then unused.

    Returns (process, url); ``process.started`` is when it was started (``time.perf_counter``) and
    ``process.log_path`` its output. ``poll_s``: how often the health endpoint is asked.
    """
    port = port or free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(environment or {})}
    if data_dir:
        env["SAHEL_ATLAS_DATA"] = str(data_dir)
    # Output goes to a file: an unread pipe fills up and freezes the server mid-suite.
    log = tempfile.NamedTemporaryFile(prefix="sahel-atlas-server-", suffix=".log", delete=False)
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            *(["sahel_atlas", "app"] if as_users_start_it else ["streamlit", "run", str(script)]),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log_path, process.started = log.name, started
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(poll_s)
    stop_app(process)
    raise RuntimeError(f"{Path(script).name} did not start: {Path(log.name).read_text(errors='replace')[-2000:]}")


def stop_app(process) -> None:
    """Stop the server, killing it if it does not stop within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)
