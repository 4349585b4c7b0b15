"""Snapshots of every screen at 80×24 and 120×40 (pytest-textual-snapshot), from the real app and Session
against a fixed machine state. Apply and Done are a real apply of a virtualenv into a scratch folder.

Update after an intended change: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import fixture_state
from wizard.doctor import report_for
from wizard.journal import Store
from wizard.plan import PlanOptions
from wizard.session import Session
from wizard.tui.app import WizardApp

# In root's own home: the planner (rightly) refuses a venv inside a folder every user can write, like /tmp.
SCRATCH = "/root/.cache/pip-setup-wizard-snapshots"
VENV = f"{SCRATCH}/venv"
SIZES = [(80, 24), (120, 40)]


def make_app() -> WizardApp:
    """The app the snapshots show: Debian 12 as root, a scratch journal, the venv planned into the scratch folder."""
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH, mode=0o700)
    report = report_for(fixture_state())
    session = Session(detector=lambda: report, store=Store(root=f"{SCRATCH}/state"))
    return WizardApp(session)


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):  # a finished worker can start the next (a form mounts, its fields report changes)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def steps(count: int, *, venv: bool = False, apply: bool = False) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app: WizardApp = pilot.app  # type: ignore[assignment]
        for _i in range(count):
            if venv and app.current_mode == "fits":
                # the scratch venv, uv left out (whether uv is installed differs between machines)
                app.session.choose("virtualenv")
                app.session.options = PlanOptions(approach="virtualenv", venv=VENV, uv=False)
                app.screen_for("fits").picked = "virtualenv"  # type: ignore[attr-defined]
            await pilot.press("n")
            await settle(pilot)
        if apply:
            await pilot.press("p")
            await pilot.pause()
            await pilot.click("#yes")
            screen = app.screen_for("apply")
            for _ in range(600):  # the venv takes a few seconds
                if screen.finished or screen.failed:  # type: ignore[attr-defined]
                    break
                await pilot.pause(0.1)
            await settle(pilot)
            assert screen.finished, f"the apply failed: {screen.failed}"  # type: ignore[attr-defined]
            if apply == "done":  # type: ignore[comparison-overlap]
                await pilot.press("n")
                await settle(pilot)

    return run_before


SCREENS = {
    "welcome": steps(0),
    "machine": steps(1),
    "approaches": steps(2),
    "fits": steps(3),
    "customize": steps(4, venv=True),
    "preview": steps(5, venv=True),
    "apply": steps(5, venv=True, apply=True),
    "done": steps(5, venv=True, apply="done"),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    if os.geteuid() != 0:
        pytest.skip("the snapshots show root's view of a fixed machine (and apply into root's home)")
    try:
        assert snap_compare(make_app(), terminal_size=size, run_before=SCREENS[screen])
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
