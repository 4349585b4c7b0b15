"""Static checks as tests: ruff (lint and format) and mypy --strict over wizard/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in this environment")
    return str(path)


def test_ruff_check() -> None:
    out = subprocess.run([tool("ruff"), "check", "wizard", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_ruff_format() -> None:
    out = subprocess.run(
        [tool("ruff"), "format", "--check", "wizard", "tests"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout


def test_mypy_strict() -> None:
    out = subprocess.run([tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
