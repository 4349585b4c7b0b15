"""The blast-radius demo screen: opened from The four approaches (key t or its button), the demo in a worker with
progress, the matrix, run again, Escape back (stopping a run under way), a failed run; and snapshots at 80×24 and
120×40. The session replays a result recorded by a real root run in the sandbox (tests/system/test_demo.py), so
what the screen shows is fixed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, ProgressBar, Static

from tests.tui.conftest import fixture_state
from tests.tui.test_flow import plain, settle
from wizard.demo.model import DemoError, DemoResult
from wizard.demo.runner import Cancelled
from wizard.doctor import report_for
from wizard.journal import Store
from wizard.session import Session
from wizard.tui.app import WizardApp
from wizard.tui.screens.approaches import ApproachesScreen
from wizard.tui.screens.demo import DemoScreen

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "demo" / "root.json"
# The stages a root run announces, in its words.
STAGES = (
    "making a private mount namespace with copies of the places the set-ups change",
    "looking at this machine",
    "you are alice (SUDO_USER)",
    "building the canary",
    "pip --user and virtualenv: pip install the canary as alice",
    "pip --user and virtualenv: reading the canary's reports as alice",
    "sudo-pip: setting it up for real, inside the namespace",
    "sudo-pip: pip install the canary as root",
    "pip-user: setting it up for real, inside the namespace",
    "pip-user: pip install the canary as pipinstall",
    "own-site: setting it up for real, inside the namespace",
    "own-site: pip install the canary as alice",
)
Runner = Callable[[Callable[[int, int, str], None] | None, Callable[[], bool] | None], DemoResult]


def recorded() -> DemoResult:
    return DemoResult.from_dict(json.loads(RECORDED.read_text()))


def replay(calls: list[tuple[int, int, str]] | None = None) -> Runner:
    """A demo runner that announces the recorded run's stages and returns its result."""

    def run(on_progress: Callable[[int, int, str], None] | None, cancel: Callable[[], bool] | None) -> DemoResult:
        for i, text in enumerate(STAGES, 1):
            if cancel is not None and cancel():
                raise Cancelled()
            if on_progress is not None:
                on_progress(i, len(STAGES), text)
            if calls is not None:
                calls.append((i, len(STAGES), text))
        return recorded()

    return run


def make_app(tmp: Path, runner: Runner) -> WizardApp:
    report = report_for(fixture_state())
    return WizardApp(Session(detector=lambda: report, store=Store(root=str(tmp / "state")), demo=runner))


async def to_approaches(pilot: Pilot[Any]) -> None:
    await settle(pilot.app, pilot)  # type: ignore[arg-type]
    for _ in range(2):
        await pilot.press("n")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
    assert pilot.app.current_mode == "approaches"


def shown(screen: DemoScreen, selector: str) -> str:
    return plain(screen.query_one(selector, Static))


async def test_t_opens_the_demo_which_shows_progress_then_the_matrix(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    app = make_app(tmp_path, replay(calls))
    async with app.run_test(size=(100, 32)) as pilot:
        await to_approaches(pilot)
        keys = {b.key: b.description for _n, b, _e, _t in app.screen.active_bindings.values() if b.show}
        assert keys.get("t") == "Blast radius", keys
        await pilot.press("t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DemoScreen)
        assert [c[0] for c in calls] == list(range(1, 13)) and calls[-1][1] == 12
        assert screen.result == recorded() and screen.problem is None
        assert not screen.query_one("#demo-progress", ProgressBar).display
        assert "Done in 1.8 s" in shown(screen, "#demo-step")
        matrix = shown(screen, "#demo-matrix")
        assert "All 45 observations match what the sources predict here." in matrix
        assert "write site-packages   YES" in matrix and "code ran as" in matrix
        await pilot.press("r")
        await settle(app, pilot)
        assert len(calls) == 24, "r runs it again"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ApproachesScreen)
        app.screen.query_one("#open-demo", Button).scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#open-demo")
        await settle(app, pilot)
        assert isinstance(app.screen, DemoScreen) and len(calls) == 36, "the button opens it too"


async def test_the_progress_bar_follows_the_stages(tmp_path: Path) -> None:
    gate = threading.Event()
    seen: list[tuple[float | None, float]] = []

    def slow(on_progress: Callable[[int, int, str], None] | None, cancel: Callable[[], bool] | None) -> DemoResult:
        assert on_progress is not None
        on_progress(3, 12, STAGES[2])
        gate.wait(10)
        return recorded()

    app = make_app(tmp_path, slow)
    async with app.run_test(size=(100, 32)) as pilot:
        await to_approaches(pilot)
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, DemoScreen)
        for _ in range(50):
            await pilot.pause(0.02)
            bar = screen.query_one("#demo-progress", ProgressBar)
            seen.append((bar.total, bar.progress))
            if bar.progress == 3:
                break
        assert seen[-1] == (12, 3), seen
        assert "[3/12] you are alice (SUDO_USER)" in shown(screen, "#demo-step")
        gate.set()
        await settle(app, pilot)
        assert screen.result is not None


async def test_escape_stops_a_run_under_way(tmp_path: Path) -> None:
    stopped = threading.Event()

    def endless(on_progress: Callable[[int, int, str], None] | None, cancel: Callable[[], bool] | None) -> DemoResult:
        assert cancel is not None
        deadline = time.monotonic() + 10
        while not cancel() and time.monotonic() < deadline:
            time.sleep(0.01)
        stopped.set()
        raise Cancelled()

    app = make_app(tmp_path, endless)
    async with app.run_test(size=(100, 32)) as pilot:
        await to_approaches(pilot)
        await pilot.press("t")
        await pilot.pause(0.05)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ApproachesScreen)
        assert stopped.wait(5), "the run saw the stop request"


async def test_a_demo_that_cannot_run_says_why(tmp_path: Path) -> None:
    def refused(on_progress: Callable[[int, int, str], None] | None, cancel: Callable[[], bool] | None) -> DemoResult:
        raise DemoError(
            "the demo cannot make its private mount namespace here: unshare is not installed (util-linux)",
            context="Nothing was changed.",
            hint="run `pip-setup-wizard demo` as your normal user",
        )

    app = make_app(tmp_path, refused)
    async with app.run_test(size=(100, 32)) as pilot:
        await to_approaches(pilot)
        await pilot.press("t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DemoScreen) and screen.result is None
        text = shown(screen, "#demo-step")
        assert "The demo could not run" in text and "unshare is not installed" in text and "hint:" in text


SIZES = [(80, 24), (120, 40)]


def open_demo(pilot: Pilot[Any]) -> Awaitable[None]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await to_approaches(pilot)
        await pilot.press("t")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]

    return run_before(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path, replay()), terminal_size=size, run_before=open_demo)
