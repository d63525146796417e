"""The code passes ruff, lint and format, as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_ruff_finds_nothing_to_fix():
    checked = _ruff("check", "--no-cache", ".")
    assert checked.returncode == 0, checked.stdout[-4000:] + checked.stderr[-2000:]


def test_the_code_is_formatted_as_ruff_formats_it():
    formatted = _ruff("format", "--check", "--no-cache", ".")
    assert formatted.returncode == 0, formatted.stdout[-4000:] + formatted.stderr[-2000:]
