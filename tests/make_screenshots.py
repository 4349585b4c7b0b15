"""Writes screenshots/*.svg from the real renderer against fixed machine states.

Run: python tests/make_screenshots.py        (a test fails when a committed screenshot is stale)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rich.console import Console

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures import machines  # noqa: E402
from wizard.doctor import report_for  # noqa: E402
from wizard.render.report import render_report  # noqa: E402

SHOTS = {
    "detect-own-site": ("debian-own-site", "pip-setup-wizard detect — alice owns the system site-packages", False),
    "detect-homebrew-intel-verbose": (
        "macos-homebrew-intel",
        "pip-setup-wizard detect -v — Homebrew on an Intel Mac",
        True,
    ),
}


def render(name: str) -> str:
    """The SVG for screenshot ``name``."""
    fixture, title, verbose = SHOTS[name]
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=100, force_terminal=True, color_system="truecolor", file=sink)
        render_report(report_for(machines.ALL[fixture]()), console, verbose=verbose, available={"detect"})
    return console.export_svg(title=title)


def main() -> int:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    for name in SHOTS:
        (out / f"{name}.svg").write_text(render(name))
        print(f"wrote screenshots/{name}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
