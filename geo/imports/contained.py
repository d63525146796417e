"""Imports run in a process of their own, with limits on processor time, memory and waiting.

A file that slips past every check (a workbook that unpacks within limits but still
costs minutes, a pathological CSV) then slows that process alone: the app's other
sessions keep their processor and memory. The page and the command line import through
:func:`import_file_contained`; :func:`geo.imports.read.import_file` is the same import
in the calling process (tests, benchmarks).

The child is a new Python running :func:`run_child` (CPU_SECONDS MEMORY_BYTES): it sets its
own limits (``resource.setrlimit``) before it reads anything, takes the request as a
pickle on standard input and writes the :class:`ImportResult` as a pickle on standard
output. Running over a limit gives a result whose problem says which limit and what to
do, never a traceback.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

from geo.imports.common import empty_result
from geo.imports.limits import (
    IMPORT_CPU_SECONDS,
    IMPORT_MEMORY_BYTES,
    IMPORT_WAIT_SECONDS,
    MAX_FILE_BYTES,
    describe_size,
)
from geo.imports.model import ImportResult

__all__ = ["import_file_contained", "run_child"]

_PROJECT = Path(__file__).resolve().parents[2]
# One thread each for the numeric libraries: their thread pools reserve memory the limit counts.
_QUIET_THREADS = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
_SPLIT = "split the file or filter it to the area and years you need"
# The child's program (not ``-m`` this module: the package imports it first, which runpy warns about).
_CHILD = "import sys; from geo.imports.contained import run_child; sys.exit(run_child(sys.argv[1:]))"


def import_file_contained(
    source: Path | str | bytes,
    format: str,
    dataset: str,
    file_name: str = "",
    column_mapping: dict[str, str] | None = None,
    *,
    data_dir: Path | str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    cpu_seconds: int = IMPORT_CPU_SECONDS,
    memory_bytes: int = IMPORT_MEMORY_BYTES,
    wait_seconds: float = IMPORT_WAIT_SECONDS,
) -> ImportResult:
    """:func:`geo.imports.read.import_file` in a child process held to ``cpu_seconds`` of processor time,
    ``memory_bytes`` of memory and ``wait_seconds`` of waiting.

    ``data_dir`` is the curated data the names are resolved against (the bundled data by default).
    """
    if not file_name and isinstance(source, (str, Path)):
        file_name = Path(source).name
    # Paths made absolute: the child works in the project's folder, not the caller's.
    request = {
        "source": str(Path(source).absolute()) if isinstance(source, (str, Path)) else source,
        "format": format,
        "dataset": dataset,
        "file_name": file_name,
        "column_mapping": column_mapping,
        "data_dir": str(Path(data_dir).absolute()) if data_dir else None,
        "max_bytes": max_bytes,
    }
    environment = {
        **os.environ,
        **_QUIET_THREADS,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(_PROJECT), os.environ.get("PYTHONPATH")))),
    }
    command = [sys.executable, "-c", _CHILD, str(int(cpu_seconds)), str(int(memory_bytes))]
    label = file_name or "the file"
    try:
        finished = subprocess.run(
            command,
            input=pickle.dumps(request),
            stdout=subprocess.PIPE,
            env=environment,
            cwd=_PROJECT,
            timeout=wait_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return empty_result(
            format,
            [
                f"the import of {label} was stopped after {_seconds(wait_seconds)}, the "
                f"longest an import may take; {_SPLIT}"
            ],
        )
    if finished.returncode == 0 and finished.stdout:
        return pickle.loads(finished.stdout)  # written by our own child, below
    # SIGXCPU is sent only when the processor limit is reached (Windows has neither).
    if hasattr(signal, "SIGXCPU") and finished.returncode == -signal.SIGXCPU:
        return empty_result(
            format,
            [
                f"the import of {label} was stopped after {_seconds(cpu_seconds)} of "
                f"processor time, the most an import may use; {_SPLIT}"
            ],
        )
    return empty_result(
        format,
        [
            f"the import of {label} stopped without an answer (exit code "
            f"{finished.returncode}); it may need more than the {describe_size(memory_bytes)} "
            f"of memory an import may use: {_SPLIT}"
        ],
    )


def _seconds(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 120 else f"{seconds:g} s"


def _limit_this_process(cpu_seconds: int, memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows has no such limits: the time limit alone applies
        return

    # The soft processor limit sends SIGXCPU (the process ends); the hard one, a little later, SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def run_child(arguments: list[str]) -> int:
    """The child's side: ``arguments`` are the processor seconds and memory bytes it may use."""
    cpu_seconds, memory_bytes = int(arguments[0]), int(arguments[1])
    _limit_this_process(cpu_seconds, memory_bytes)
    answer = sys.stdout.buffer
    sys.stdout = sys.stderr  # a library's print must not mix with the pickled answer
    request = pickle.loads(sys.stdin.buffer.read())
    too_big = [
        f"the import of {request['file_name'] or 'the file'} needed more than the "
        f"{describe_size(memory_bytes)} of memory an import may use; {_SPLIT}"
    ]
    try:
        from geo.catalog import load_atlas
        from geo.imports.read import import_file

        result = import_file(
            request["source"],
            request["format"],
            request["dataset"],
            request["file_name"],
            request["column_mapping"],
            atlas=load_atlas(request["data_dir"]),
            max_bytes=request["max_bytes"],
        )
        written = pickle.dumps(result)
    except MemoryError:
        written = pickle.dumps(empty_result(request["format"], too_big))
    answer.write(written)
    answer.flush()
    return 0
