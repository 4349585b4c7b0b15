"""Writes screenshots/*.svg from the real renderer and the real full-screen app against fixed machine states.

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


# The blast-radius demo's matrix as `demo` prints it, from a result recorded by a real root run in the sandbox.
DEMO_SHOTS = {"demo-matrix": ("root.json", "sudo pip-setup-wizard demo — where install-time code could reach")}


def render_demo(name: str) -> str:
    """The SVG of a recorded demo result, drawn by the real renderer."""
    from wizard.demo import load
    from wizard.render.demo import demo
    from wizard.render.lines import Rich

    fixture, title = DEMO_SHOTS[name]
    result = load(str(ROOT / "tests" / "fixtures" / "demo" / fixture))
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=100, force_terminal=True, color_system="truecolor", file=sink)
        console.print(Rich(demo(result, width=100)))
    return console.export_svg(title=title)


def render(name: str) -> str:
    """The SVG for screenshot ``name``."""
    fixture, title, verbose = SHOTS[name]
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=100, force_terminal=True, color_system="truecolor", file=sink)
        render_report(report_for(machines.ALL[fixture]()), console, verbose=verbose, available={"detect"})
    return console.export_svg(title=title)


# The full-screen app's eight screens (100x32), walked to exactly as the snapshot tests walk to them; Apply and
# Done are a real apply of a virtualenv into a scratch folder in root's home (so this needs root).
APP_SHOTS = ("welcome", "machine", "approaches", "fits", "customize", "preview", "apply", "done")
APP_SIZE = (100, 32)


async def _app_svg(screen: str) -> str:
    from tests.tui.test_snapshots import SCRATCH, SCREENS, make_app

    app = make_app()
    try:
        async with app.run_test(size=APP_SIZE) as pilot:
            await SCREENS[screen](pilot)
            await pilot.pause()
            return app.export_screenshot(title=f"pip-setup-wizard — {screen}")
    finally:
        import shutil

        shutil.rmtree(SCRATCH, ignore_errors=True)


def render_app(screen: str) -> str:
    """The SVG of one of the app's screens."""
    import asyncio

    return asyncio.run(_app_svg(screen))


def main() -> int:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    for name in SHOTS:
        (out / f"{name}.svg").write_text(render(name))
        print(f"wrote screenshots/{name}.svg")
    for name in DEMO_SHOTS:
        (out / f"{name}.svg").write_text(render_demo(name))
        print(f"wrote screenshots/{name}.svg")
    if os.geteuid() != 0:
        print("the app's screenshots need root (they apply a venv into root's home): skipped", file=sys.stderr)
        return 1
    for i, screen in enumerate(APP_SHOTS, 1):
        (out / f"wizard-{i}-{screen}.svg").write_text(render_app(screen))
        print(f"wrote screenshots/wizard-{i}-{screen}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
