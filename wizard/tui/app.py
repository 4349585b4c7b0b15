"""Provides the App: the eight steps as modes, global bindings (Back, Next, help, theme, quit), the command
palette's actions, and ``run_app`` for the command line. It adds no logic: every answer comes from the Session."""

from __future__ import annotations

import gc
import importlib
import os
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding

from wizard.session import Session
from wizard.tui.screens.base import StepScreen
from wizard.tui.widgets.steps import NAMES, STEPS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable

    from textual.screen import Screen
    from textual.widget import AwaitMount

    from wizard.session import Preview


# Each step's screen, imported when the step is first built: the first frame needs only Welcome's.
SCREENS: dict[str, str] = {
    "welcome": "welcome.WelcomeScreen",
    "machine": "machine.MachineScreen",
    "approaches": "approaches.ApproachesScreen",
    "fits": "fits.FitsScreen",
    "customize": "customize.CustomizeScreen",
    "preview": "preview.PreviewScreen",
    "apply": "apply.ApplyScreen",
    "done": "done.DoneScreen",
}


PREBUILT = ("machine", "approaches", "fits", "customize", "preview")


def step_class(name: str) -> type[StepScreen]:
    module, _, cls = SCREENS[name].rpartition(".")
    return getattr(importlib.import_module(f"wizard.tui.screens.{module}"), cls)  # type: ignore[no-any-return]


class WizardApp(App[int]):
    """pip-setup-wizard, full screen."""

    TITLE = "pip-setup-wizard"
    SUB_TITLE = "install packages with pip without exposing your whole system"
    CSS_PATH = "wizard.tcss"
    BINDINGS = [
        Binding("n", "step_next", "Next"),
        Binding("b", "step_back", "Back"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("d", "toggle_theme", "Light/dark"),
        Binding("q", "quit_wizard", "Quit"),
    ]

    def __init__(self, session: Session | None = None, *, dark: bool = True) -> None:
        super().__init__()
        self.session = session or Session()
        self.theme = "textual-dark" if dark else "textual-light"
        self.exit_code = 0
        self.detect_error: str | None = None
        self._steps: dict[str, StepScreen] = {}
        for name in NAMES:
            self.add_mode(name, partial(self.screen_for, name))

    def screen_for(self, name: str) -> StepScreen:
        """The one screen of a step (kept, so answers survive going back and forth)."""
        if name not in self._steps:
            screen = step_class(name)()
            # Textual marks a new screen's styles as out of date, so opening its mode re-parses every stylesheet
            # of the app from scratch (Stylesheet.reparse keeps no cache), once when it is built and once when it
            # is shown: 15-30 ms each, the largest part of the first frame and of each step's first build. A
            # screen made now has no styles yet; its widgets get the current ones as they are mounted. A theme
            # changed after this still refreshes it when it is shown (Textual compares these counts).
            screen._css_update_count = self._css_update_count
            self._steps[name] = screen
        return self._steps[name]

    def on_mount(self) -> None:
        self.switch_mode("welcome")
        if self.session.unfinished() is not None:
            from wizard.tui.screens.dialogs import RecoverScreen

            self.push_screen(RecoverScreen())
        else:
            # Detection starts once the first frame is drawn: its thread and subprocesses would compete with it.
            self.call_after_refresh(self.detect)
        self.call_after_refresh(self.started)

    def started(self) -> None:
        """The first frame is drawn: the garbage collector, off until now (run_app), looks only at what is made
        from here on (see prebuild)."""
        gc.freeze()
        gc.enable()

    @work(thread=True, exclusive=True, group="detect", exit_on_error=False)
    def detect(self) -> None:
        """Looks at the machine in a thread; the screens are told when it is done."""
        try:
            self.session.detect()
            self.detect_error = None
        except Exception as exc:
            self.detect_error = str(exc)
        self.call_from_thread(self.detected)

    def detected(self) -> None:
        for screen in self._steps.values():
            screen.machine_changed()
        self.call_after_refresh(self.prebuild)

    def prebuild(self) -> None:
        """Builds the next step's screen while the person reads this one, so Next shows it at once (a step's
        first build takes 50-150 ms, too long for a key press). What a step shows from the answers before it
        (Customize's fields, Preview's plan) is made when it is shown; Apply and Done are built when opened."""
        index = NAMES.index(self.step)
        for name in NAMES[index + 1 : index + 2]:
            if name in PREBUILT and name not in self._steps and self.reachable(name):
                self._init_mode(name)
        # Python's full garbage collection walks every object the app holds (Textual, rich, the content): 75-125 ms
        # here, at random moments such as a key press. What exists now lives as long as the app, so it is moved
        # out of the collector's sight; only what is made from here on is collected.
        gc.freeze()

    # --- moving between steps -------------------------------------------------------------------------------

    @property
    def step(self) -> str:
        return self.current_mode if self.current_mode in NAMES else "welcome"

    def reachable(self, name: str) -> bool:
        """Steps open once what they need exists: an approach, options, a preview, an apply."""
        s = self.session
        need = {
            "customize": s.approach is not None,
            "preview": s.options is not None,
            "apply": self.current_mode in ("apply", "done") or s.outcome is not None,
            "done": s.outcome is not None or getattr(self._steps.get("apply"), "finished", False),
        }
        return need.get(name, True)

    def switch_mode(self, mode: str) -> AwaitMount:
        # Textual holds every screen update back for 50 ms when it switches modes, to hide a screen that is still
        # being built. A step shown before is kept whole, so it is shown at once (a key press must be reflected
        # within 100 ms); a step's first showing keeps the delay.
        self._shown_before = mode in self._steps
        try:
            return super().switch_mode(mode)
        finally:
            self._shown_before = False

    def delay_update(self, delay: float = 0.05) -> None:
        if getattr(self, "_shown_before", False):
            return
        super().delay_update(delay)

    def go(self, name: str) -> None:
        if name == self.current_mode:
            return
        if not self.reachable(name):
            self.notify(f"{dict(STEPS)[name]} opens once the steps before it are done.", severity="warning")
            return
        self.switch_mode(name)
        self.call_after_refresh(self.prebuild)

    def action_step_next(self) -> None:
        screen = self.screen_for(self.step)
        index = NAMES.index(self.step)
        if index + 1 >= len(NAMES):
            return
        if not screen.next_ready():
            self.notify(screen.NOT_READY, severity="warning")
            return
        if screen.on_next():
            return
        self.go(NAMES[index + 1])

    def action_step_back(self) -> None:
        index = NAMES.index(self.step)
        if self.step in ("apply",) and not self.reachable("done"):
            return  # not while it is applying
        if index > 0:
            self.go(NAMES[index - 1])

    def action_help(self) -> None:
        from wizard.tui.screens.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        # Each step's help is built once and kept (installed), so ? opens it at once the next time.
        name = f"help-{self.step}"
        if not self.is_screen_installed(name):
            screen = self.screen_for(self.step)
            self.install_screen(HelpScreen(screen.title_text, screen.HELP), name)
        self.push_screen(name)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_quit_wizard(self) -> None:
        if getattr(self._steps.get("apply"), "running", False):
            self.notify("Applying: wait for it to finish (or press ctrl+c to stop and roll back).")
            return
        self.exit(self.exit_code)

    def start_apply(self, preview: Preview) -> None:
        """After the confirmation: open Apply and start it."""
        self.session.preview_ = preview
        self.screen_for("apply").pending = preview  # type: ignore[attr-defined]
        self.switch_mode("apply")

    def refresh_welcome(self) -> None:
        """After an undo: the welcome step shows the new state, the machine is looked at again."""
        if "welcome" in self._steps:
            welcome = self._steps["welcome"]
            welcome.query("#applied, #applied-actions").remove()
        self.session.report = None
        self.detected()
        self.detect()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for i, (name, title) in enumerate(STEPS, 1):
            yield SystemCommand(f"Go to step {i}: {title}", f"Open the {title} step", lambda n=name: self.go(n))
        yield SystemCommand("Next step", "Go to the next step (n)", self.action_step_next)
        yield SystemCommand("Previous step", "Go back one step (b)", self.action_step_back)
        yield SystemCommand("Help", "What this step is for and its keys (?)", self.action_help)
        yield SystemCommand(
            "Light or dark", "Switch between the light and the dark theme (d)", self.action_toggle_theme
        )


def run_app(args: argparse.Namespace | None = None) -> int:
    """Starts the full-screen wizard; returns its exit code."""
    dark = os.environ.get("PIP_SETUP_WIZARD_THEME", "dark") != "light"
    # No garbage collection until the first frame is drawn (WizardApp.started): a full one costs ~20 ms at start.
    gc.disable()
    app = WizardApp(Session(), dark=dark)
    driver = app.driver_class
    if (driver.__module__, driver.__name__) == ("textual.drivers.linux_driver", "LinuxDriver"):
        # A real terminal on Linux or macOS: the same driver, quicker to take a lone Escape (wizard/tui/driver.py).
        from wizard.tui.driver import Driver

        app.driver_class = Driver
    try:
        result = app.run()
    finally:
        gc.enable()
    return result if isinstance(result, int) else app.exit_code
