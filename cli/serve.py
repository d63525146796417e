"""More than one core: N app processes behind HAProxy (Debian's ``haproxy``), one address for all.

    ./atlas app --processes 2 [--server.port 8501] [--server.address 127.0.0.1]

A Streamlit process holds each browser session in its own memory, so the proxy keeps a session
on one process: it sets a cookie (``ATLAS_PROCESS``) on the first answer and sends every later
request with that cookie, the websocket (``/_stcore/stream``) included, to the same process. A
process that stops answering its health check gets no new sessions. Every process reads the same
workspace (the GeoPackage's writers take turns through its lock file; PostGIS for a team).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from geo.app_files import APP_DIR

__all__ = ["haproxy_config", "find_haproxy", "Cluster", "start_cluster", "main"]

ROOT = APP_DIR  # app.py, in a checkout or an installed wheel
COOKIE = "ATLAS_PROCESS"
START_TIMEOUT_S = 90


def find_haproxy() -> str | None:
    return shutil.which("haproxy") or next((path for path in ("/usr/sbin/haproxy",) if Path(path).exists()), None)


def haproxy_config(address: str, port: int, app_ports: list[int]) -> str:
    """HAProxy's configuration: ``address:port`` in front, sticky by cookie, websockets passed through."""
    servers = "\n".join(
        f"    server app{number} 127.0.0.1:{app_port} check cookie app{number}"
        for number, app_port in enumerate(app_ports, start=1)
    )
    host = f"[{address}]" if ":" in address else address
    return f"""global
    maxconn 4096

defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    # A session's websocket stays open while its tab does.
    timeout tunnel 8h
    timeout http-request 30s

frontend atlas
    bind {host}:{port}
    default_backend apps

backend apps
    balance leastconn
    cookie {COOKIE} insert indirect nocache httponly
    option httpchk GET /_stcore/health
{servers}
"""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class Cluster:
    """The running proxy and app processes; :meth:`stop` ends them all."""

    url: str
    proxy: subprocess.Popen
    apps: list[subprocess.Popen] = field(default_factory=list)
    folder: str = ""

    def stop(self) -> None:
        for process in [self.proxy, *self.apps]:
            if process.poll() is None:
                process.terminate()
        for process in [self.proxy, *self.apps]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(
    processes: int,
    port: int | None = None,
    address: str = "127.0.0.1",
    streamlit_args: list[str] | None = None,
    environment: dict[str, str] | None = None,
    quiet: bool = True,
) -> Cluster:
    """Start ``processes`` app processes on free local ports and HAProxy in front of them on
    ``address:port``; wait until every process and the proxy answer."""
    haproxy = find_haproxy()
    if haproxy is None:
        raise RuntimeError("--processes needs HAProxy (Debian: apt-get install haproxy)")
    if processes < 1:
        raise ValueError("--processes must be 1 or more")
    port = port or _free_port()
    folder = tempfile.mkdtemp(prefix="sahel-atlas-proxy-")
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(environment or {})}
    output = subprocess.DEVNULL if quiet else None
    app_ports = [_free_port() for _ in range(processes)]
    apps = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sahel_atlas",  # as `sahel-atlas app` starts one process: the dashboard's code loaded at start
                "app",
                "--server.fileWatcherType",
                "none",
                *(streamlit_args or []),
                # Last: only the proxy is reached from outside.
                "--server.port",
                str(app_port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
        )
        for app_port in app_ports
    ]
    deadline = time.monotonic() + START_TIMEOUT_S
    # The proxy starts once every process answers: a process its first checks find not yet
    # listening is left out for some seconds, and the first sessions would all go to the others.
    waiting = _wait_until_healthy([f"http://127.0.0.1:{app_port}" for app_port in app_ports], apps, deadline)
    config = Path(folder) / "haproxy.cfg"
    config.write_text(haproxy_config(address, port, app_ports))
    cluster = Cluster(
        url=f"http://{'127.0.0.1' if address in ('0.0.0.0', '::') else address}:{port}",
        proxy=subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=output, stderr=output),
        apps=apps,
        folder=folder,
    )
    waiting = waiting or _wait_until_healthy([cluster.url], [cluster.proxy, *apps], deadline)
    if waiting:
        cluster.stop()
        raise RuntimeError(f"the app processes or the proxy did not start: {', '.join(waiting)} did not answer")
    return cluster


def _wait_until_healthy(urls: list[str], processes: list[subprocess.Popen], deadline: float) -> list[str]:
    """Wait until every one of ``urls`` answers its health check; those that did not (none: all did)."""
    waiting = list(urls)
    while waiting and time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            break
        waiting = [url for url in waiting if not _healthy(url)]
        if waiting:
            time.sleep(0.3)
    return waiting


def _option(arguments: list[str], name: str, default: str) -> tuple[str, list[str]]:
    """Take ``--name VALUE`` or ``--name=VALUE`` out of Streamlit's arguments (the proxy listens there)."""
    rest, value, skip = [], default, False
    for position, argument in enumerate(arguments):
        if skip:
            skip = False
        elif argument == name and position + 1 < len(arguments):
            value, skip = arguments[position + 1], True
        elif argument.startswith(name + "="):
            value = argument.split("=", 1)[1]
        else:
            rest.append(argument)
    return value, rest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="atlas app --processes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, required=True, help="app processes behind the proxy")
    options, streamlit_args = parser.parse_known_args(argv)
    port, streamlit_args = _option(streamlit_args, "--server.port", "8501")
    address, streamlit_args = _option(streamlit_args, "--server.address", "127.0.0.1")
    try:
        cluster = start_cluster(options.processes, int(port), address, streamlit_args, quiet=False)
    except (RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Sahel Atlas: {options.processes} processes behind HAProxy at {cluster.url} (Ctrl-C stops them)", flush=True)

    def stop(*_):
        raise KeyboardInterrupt  # a service manager's stop ends the processes as Ctrl-C does

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in [cluster.proxy, *cluster.apps]):
            time.sleep(1)
        print("error: a process stopped; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
