"""Load: concurrent sessions changing the dashboard's filters against one app process.

Prints numbers; the last line is one JSON object. Not a test.

Each session talks to the app over Streamlit's own websocket (``/_stcore/stream``), as
the page in a browser does, but without a browser: it asks for a run of the dashboard,
reads the widgets from what the app sends, then changes one filter at a time (years,
groups, event types, countries, search text) and times each change from the moment it
is sent to the end of the run it starts. Like the page, a session sends back every
widget's value on every run, and answers a timed fragment (the Play clock) if the app starts one.
On opening, a session sends what the map sends once it has drawn its first marks (after which
the page sends the table under it). Most changes are what the map sends when the hand is lifted
off its time slider: the range, as the map's value
(``{"last_active_drawing": {"properties": {"action": "time-range", ...}}}``, see
layers/time_filter.js and ui/time_slider.py); the rest are the sidebar's filters. Pans and
clicks are not sent.

- filter_changes: filter changes done by all sessions together
- p50_ms, p95_ms, max_ms: time of one filter change, send to "finished successfully"
- errors: exceptions the app sent, runs that did not finish, socket errors and timeouts
- rss_before_mb, rss_after_mb: the server's resident memory (with its children) after one
  warm-up run and after the load

    python bench/load.py [--sessions 20] [--seconds 60] [--events 10000] [--processes 2]

``--processes N`` starts N app processes behind HAProxy (``cli/serve.py``, as ``./atlas app
--processes N`` does) and sends every session through the proxy; memory and CPU are then the
processes' sum.

``--events N`` first fills a temporary workspace with N synthetic imported events
(needs ``geo.synthetic``), so the filters also run over the user's own data.
Only 127.0.0.1 is contacted; the app is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import start_app, stop_app  # noqa: E402

try:
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException
except ImportError:  # streamlit depends on it; a partial environment may still lack it
    sys.exit("bench/load.py needs the 'websockets' package, 13 or later: .venv/bin/pip install 'websockets>=13'")

from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

FINISHED = ForwardMsg.ScriptFinishedStatus
RUN_TIMEOUT_S = 60  # one run of the page, on a loaded 2-core machine
CONNECT_TIMEOUT_S = 20
SEARCH_WORDS = ["", "", "hostage", "Kidal", "ransom", "Tombouctou", "convoy", "Belmokhtar"]


def _process_tree(pid: int) -> list[int]:
    """``pid`` and every process under it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its children, in MB."""
    total_kb = 0
    for current in _process_tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue  # gone meanwhile
    return total_kb / 1024


def cpu_s(pid: int) -> float:
    """CPU time (user and system) the server and its children have used, in seconds."""
    ticks = 0
    for current in _process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def drawn_value(kind: str, element) -> tuple[str, object] | None:
    """The value the browser holds for a widget the app just drew: (WidgetState field, value).

    Streamlit's page reports every widget's value on every run, touched or not; a
    widget left out falls back to its default on a later run (a range slider whose
    value lives in session state would become a single year), so the load does the same.
    """
    if kind == "slider":
        return "double_array_value", list(element.value)
    if kind == "multiselect":
        return "string_array_value", list(element.raw_values)
    if kind in ("selectbox", "radio") and element.HasField("raw_value"):
        return "string_value", element.raw_value
    if kind == "checkbox":
        return "bool_value", element.value
    if kind in ("text_input", "text_area") and element.HasField("value"):
        return "string_value", element.value
    return None  # buttons and downloads (triggers, sent only when pressed), the map, the table


@dataclass
class Widget:
    """A widget as the app drew it: its id (which ends with its key) and its element."""

    id: str
    kind: str
    element: object


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    app_warnings: int = 0  # st.warning boxes: not errors, but a healthy run shows none
    clock_runs: int = 0
    interrupted_runs: int = 0  # "finished early for rerun": a run given up for a newer one


class Session:
    """One user's page, over the websocket."""

    def __init__(
        self, number: int, url: str, tally: Tally, rng: random.Random, pause: float = 0.3, verbose: bool = False
    ):
        self.number, self.url, self.tally, self.rng = number, url, tally, rng
        self.pause, self.verbose = pause, verbose
        self.widgets: dict[str, Widget] = {}  # by key
        # What the browser sends back on every run: each widget's value, by id, as (proto field, value).
        self.values: dict[str, tuple[str, object]] = {}
        self.drawn: set[str] = set()  # the widgets the current run drew
        self.page_script_hash = ""
        self.socket = None
        self.run_done: asyncio.Future | None = None
        self.clocks: dict[str, asyncio.Task] = {}
        self.reader: asyncio.Task | None = None
        self.last_change = "the first run"
        self.query_string = ""  # the link the app keeps in the address bar
        self.years_asked: tuple[int, int] | None = None
        self.released = 0  # releases of the map's slider

    # -- messages out
    def _client_state(self, message: BackMsg, fragment_id: str = "", auto: bool = False) -> None:
        state = message.rerun_script
        state.query_string = ""
        state.page_script_hash = self.page_script_hash
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-GB"
        for widget_id, (kind, value) in self.values.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            if kind == "double_array_value":
                widget.double_array_value.data.extend(value)
            elif kind == "string_array_value":
                widget.string_array_value.data.extend(value)
            else:
                setattr(widget, kind, value)

    async def _send_run(self, fragment_id: str = "", auto: bool = False) -> None:
        if not fragment_id:
            self.drawn = set()
        message = BackMsg()
        self._client_state(message, fragment_id, auto)
        await self.socket.send(message.SerializeToString())

    # -- messages in
    def _read_delta(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        part = getattr(element, kind)
        if kind == "exception":
            self.tally.errors.append(
                f"session {self.number}: the app raised {part.type} after {self.last_change}: {part.message[:200]}"
            )
        elif kind == "alert" and part.format == Alert.ERROR:
            self.tally.errors.append(f"session {self.number}: the app showed an error: {part.body[:200]}")
        elif kind == "alert" and part.format == Alert.WARNING:
            self.tally.app_warnings += 1
        widget_id = getattr(part, "id", "") if "id" in part.DESCRIPTOR.fields_by_name else ""
        if not widget_id:
            return
        self.drawn.add(widget_id)
        if widget_id.count("-") >= 2:  # "$$ID-<hash>-<key>": widgets with a key of their own
            self.widgets[widget_id.split("-", 2)[2]] = Widget(widget_id, kind, part)
        # Like the browser: a widget's value is the one the app drew, until the user changes it.
        if widget_id not in self.values or getattr(part, "set_value", False):
            value = drawn_value(kind, part)
            if value is not None:
                self.values[widget_id] = value

    def _read(self, message: ForwardMsg) -> None:
        what = message.WhichOneof("type")
        if what == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif what == "new_session":
            self.page_script_hash = message.new_session.page_script_hash
        elif what == "delta":
            self._read_delta(message.delta)
        elif what == "session_event" and message.session_event.WhichOneof("type") == "script_compilation_exception":
            self.tally.errors.append(f"session {self.number}: the page failed to compile")
        elif what == "auto_rerun":
            fragment, interval = message.auto_rerun.fragment_id, message.auto_rerun.interval
            if fragment not in self.clocks:
                self.clocks[fragment] = asyncio.create_task(self._tick(fragment, interval))
        elif what == "stop_auto_rerun":
            for fragment in message.stop_auto_rerun.fragment_ids:
                task = self.clocks.pop(fragment, None)
                if task:
                    task.cancel()
        elif what == "script_finished":
            status = message.script_finished
            if status == FINISHED.FINISHED_SUCCESSFULLY:
                # The browser forgets the widgets a run no longer draws.
                self.values = {key: value for key, value in self.values.items() if key in self.drawn}
                if self.run_done is not None and not self.run_done.done():
                    self.run_done.set_result(None)
            elif status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.tally.clock_runs += 1
            elif status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                self.tally.interrupted_runs += 1
            elif status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                self.tally.errors.append(f"session {self.number}: the page failed to compile")

    async def _read_all(self) -> None:
        try:
            async for raw in self.socket:
                message = ForwardMsg()
                message.ParseFromString(raw)
                self._read(message)
        except (WebSocketException, OSError) as error:
            if self.run_done is not None and not self.run_done.done():
                self.run_done.set_exception(error)
            raise
        if self.run_done is not None and not self.run_done.done():  # closed by the app mid-run
            self.run_done.set_exception(ConnectionError("the app closed the connection"))

    async def _tick(self, fragment: str, interval: float) -> None:
        """What the browser does for a timed fragment: ask for its run every ``interval`` s."""
        while True:
            await asyncio.sleep(interval)
            await self._send_run(fragment, auto=True)

    # -- what the user does
    async def open(self) -> None:
        host = self.url.removeprefix("http://")
        self.socket = await connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=CONNECT_TIMEOUT_S,
            close_timeout=5,
        )
        self.reader = asyncio.create_task(self._read_all())
        await self.run()
        if "atlas-map" in self.widgets:  # as the page's map does once its marks are drawn: the table follows
            drawn = {"type": "Feature", "geometry": None, "properties": {"action": "map-drawn", "at": 1}}
            self.values[self.widgets["atlas-map"].id] = ("json_value", json.dumps({"last_active_drawing": drawn}))
            await self.run()

    async def run(self) -> float:
        """Ask for a run with the current widget values; its time in ms, once it finished successfully."""
        self.run_done = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        await self._send_run()
        await asyncio.wait_for(self.run_done, RUN_TIMEOUT_S)
        return (time.perf_counter() - started) * 1000

    def _set(self, key: str, kind: str, value) -> None:
        self.values[self.widgets[key].id] = (kind, value)

    def change_filter(self) -> str:
        """Set one filter to a new value, as a user would; what changed, in words."""
        rng = self.rng
        choice = rng.choices(["map slider", "years", "types", "groups", "countries", "text"], [12, 1, 2, 2, 1, 1])[0]
        if choice == "map slider" and "atlas-map" in self.widgets and "years" in self.widgets:
            return self._release_map_slider()
        if choice not in self.widgets:
            choice = "years"
        widget = self.widgets[choice].element
        if choice == "years":
            low = rng.randint(int(widget.min), int(widget.max))
            high = rng.randint(low, min(int(widget.max), low + rng.choice([0, 1, 2, 4, 10])))
            self._set("years", "double_array_value", [float(low), float(high)])
            self.years_asked = (low, high)
            return f"years {low}-{high}"
        if choice == "text":
            word = rng.choice(SEARCH_WORDS)
            self._set("text", "string_value", word)
            return f"search {word!r}"
        options = list(widget.options)
        picked = rng.sample(options, k=min(len(options), rng.choice([0, 1, 1, 2])))
        self._set(choice, "string_array_value", picked)
        return f"{choice} {picked}"

    def _release_map_slider(self) -> str:
        """What the map sends when the hand is lifted off its slider: the range, as a click is sent."""
        rng, years = self.rng, self.widgets["years"].element
        low = rng.randint(int(years.min), int(years.max))
        high = rng.randint(low, min(int(years.max), low + rng.choice([0, 1, 2, 4, 10])))
        self.released += 1
        feature = {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "action": "time-range",
                "from": f"{low}-01-01",
                "to": f"{high}-12-31",
                "step": "year",
                "years": [low, high],
                "whole": True,
                "at": int(time.time() * 1000) * 100 + self.released % 100,  # each release told once
            },
        }
        self.values[self.widgets["atlas-map"].id] = ("json_value", json.dumps({"last_active_drawing": feature}))
        self.years_asked = (low, high)
        return f"map slider {low}-{high}"

    async def drive(self, until: float) -> None:
        while time.monotonic() < until:
            self.last_change = self.change_filter()
            took = await self.run()
            self.tally.latencies_ms.append(took)
            self._check_years()
            if self.verbose:
                print(f"session {self.number}: {self.last_change}: {took:.0f} ms", file=sys.stderr)
            await asyncio.sleep(self.rng.uniform(self.pause / 3, self.pause * 5 / 3))  # a look at the map

    def _check_years(self) -> None:
        """The years asked for are the years the link shows: the change was applied, not dropped."""
        if self.years_asked is None:
            return
        slider = self.widgets["years"].element
        query = parse_qs(self.query_string)
        shown = (int(query.get("from", [slider.min])[0]), int(query.get("to", [slider.max])[0]))
        if shown != self.years_asked:
            self.tally.errors.append(
                f"session {self.number}: asked for the years {self.years_asked}, the link shows {shown}"
            )
        self.years_asked = None

    async def close(self) -> None:
        for task in self.clocks.values():
            task.cancel()
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            self.reader.cancel()
            await asyncio.gather(self.reader, *self.clocks.values(), return_exceptions=True)


async def one_user(number: int, url: str, tally: Tally, until: float, options) -> None:
    session = Session(number, url, tally, random.Random(options.seed * 1000 + number), options.pause, options.verbose)
    try:
        await session.open()
        await session.drive(until)
    except asyncio.TimeoutError:
        tally.errors.append(f"session {number}: a run did not finish within {RUN_TIMEOUT_S} s")
    except (WebSocketException, OSError) as error:
        tally.errors.append(f"session {number}: socket error: {type(error).__name__}: {error}")
    finally:
        try:
            await asyncio.wait_for(session.close(), 10)
        except (asyncio.TimeoutError, WebSocketException, OSError) as error:
            tally.errors.append(f"session {number}: could not close: {type(error).__name__}: {error}")


async def warm_up(url: str) -> None:
    """One session's first run, so 'before' memory holds the data every session shares."""
    tally = Tally()
    session = Session(-1, url, tally, random.Random(0))
    try:
        await session.open()
    finally:
        await asyncio.wait_for(session.close(), 10)
    if tally.errors:
        raise RuntimeError("the warm-up run failed: " + "; ".join(tally.errors[:3]))


async def load(url: str, options, tally: Tally) -> None:
    until = time.monotonic() + options.seconds
    users = [one_user(number, url, tally, until, options) for number in range(options.sessions)]
    # Everything ends within the load's time plus one run's timeout and the closing.
    limit = options.seconds + RUN_TIMEOUT_S + CONNECT_TIMEOUT_S + 30
    try:
        await asyncio.wait_for(asyncio.gather(*users), limit)
    except asyncio.TimeoutError:
        tally.errors.append(f"the sessions had not ended {limit:.0f} s after the start")


def fill_workspace(folder: str, count: int) -> str | None:
    """A workspace with ``count`` synthetic imported events; None if geo.synthetic is not there."""
    try:
        from geo.synthetic import synthetic_events
    except ImportError:
        return None
    from geo.workspace import Workspace

    path = Path(folder) / "workspace.gpkg"
    Workspace(path).save_dataset("Synthetic events", synthetic_events(count, 2013), "synthetic.csv", "acled")
    return str(path)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they change filters (default 60)")
    parser.add_argument(
        "--events", type=int, default=0, help="first import this many synthetic events into a temporary workspace"
    )
    parser.add_argument("--seed", type=int, default=2013, help="the same seed makes the same filter changes")
    parser.add_argument(
        "--pause", type=float, default=0.3, help="a user's mean pause between two changes, in seconds (default 0.3)"
    )
    parser.add_argument("--verbose", action="store_true", help="print each filter change and its time")
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="N app processes behind HAProxy, the sessions sent through it (default: one process, no proxy)",
    )
    args = parser.parse_args()
    if not 1 <= args.sessions <= 200:
        parser.error("--sessions: between 1 and 200")
    if not 1 <= args.seconds <= 3600:
        parser.error("--seconds: between 1 and 3600")
    if not 0 <= args.pause <= 600:
        parser.error("--pause: seconds, between 0 and 600")
    if args.events < 0:
        parser.error("--events: a number of events, 0 or more")

    with tempfile.TemporaryDirectory(prefix="sahel-atlas-load-") as folder:
        events_note = "none"
        if args.events:
            workspace = fill_workspace(folder, args.events)
            if workspace is None:
                print(f"--events {args.events} skipped: geo.synthetic is not there yet", file=sys.stderr)
            else:
                os.environ["SAHEL_ATLAS_WORKSPACE"] = workspace
                events_note = f"{args.events:,} synthetic"
        else:
            # A workspace of its own, empty: the user's own datasets stay out of the figures.
            os.environ["SAHEL_ATLAS_WORKSPACE"] = str(Path(folder) / "empty-workspace.gpkg")
        cluster = None
        if args.processes:
            from cli.serve import start_cluster

            cluster = start_cluster(
                args.processes, environment={"SAHEL_ATLAS_WORKSPACE": os.environ["SAHEL_ATLAS_WORKSPACE"]}
            )
            url, pids = cluster.url, [app.pid for app in cluster.apps]
        else:
            process, url = start_app()
            pids = [process.pid]
        try:
            rss_started = sum(rss_mb(pid) for pid in pids)
            for _ in range(max(1, args.processes)):  # through the proxy, each process gets its first run
                asyncio.run(warm_up(url))
            rss_before = sum(rss_mb(pid) for pid in pids)
            started, cpu_before = time.perf_counter(), sum(cpu_s(pid) for pid in pids)
            tally = Tally()
            asyncio.run(load(url, args, tally))
            elapsed = time.perf_counter() - started
            server_cpu = sum(cpu_s(pid) for pid in pids) - cpu_before
            rss_after = sum(rss_mb(pid) for pid in pids)
        finally:
            if cluster is not None:
                cluster.stop()
                server_log = ""  # the processes' output went to the terminal
            else:
                stop_app(process)
                log = Path(process.log_path)
                server_log = log.read_text(errors="replace") if log.exists() else ""
                log.unlink(missing_ok=True)

    # A traceback in the server's log is an error even if no session saw it.
    tracebacks = server_log.count("Traceback (most recent call last)")
    if tracebacks:
        tally.errors.append(f"the server logged {tracebacks} traceback(s); the last lines: {server_log[-800:]}")
    times = tally.latencies_ms
    for error in tally.errors[:10]:
        print("error:", error, file=sys.stderr)
    print(
        f"{args.sessions} sessions on {max(1, args.processes)} process(es) for {args.seconds:g} s "
        f"(imported events: {events_note}): "
        f"{len(times)} filter changes in {elapsed:.0f} s, {len(tally.errors)} errors"
    )
    if times:
        print(
            f"filter change: p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
            f"max {max(times):.0f} ms; {tally.clock_runs} Play-clock runs, "
            f"{tally.interrupted_runs} runs given up for a newer one, {tally.app_warnings} warnings shown"
        )
    print(
        f"server memory: {rss_started:.0f} MB started, {rss_before:.0f} MB after a first run, "
        f"{rss_after:.0f} MB after the load; server CPU {server_cpu:.0f} s in {elapsed:.0f} s"
        + (f", {server_cpu * 1000 / len(times):.0f} ms a change" if times else "")
    )
    print(
        json.dumps(
            {
                "sessions": args.sessions,
                "processes": max(1, args.processes),
                "seconds": args.seconds,
                "imported_events": args.events,
                "filter_changes": len(times),
                "errors": len(tally.errors),
                "p50_ms": round(statistics.median(times), 1) if times else None,
                "p95_ms": round(percentile(times, 0.95), 1) if times else None,
                "max_ms": round(max(times), 1) if times else None,
                "clock_runs": tally.clock_runs,
                "interrupted_runs": tally.interrupted_runs,
                "rss_started_mb": round(rss_started, 1),
                "rss_before_mb": round(rss_before, 1),
                "rss_after_mb": round(rss_after, 1),
                "server_cpu_s": round(server_cpu, 1),
                "pause_s": args.pause,
            }
        )
    )
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
