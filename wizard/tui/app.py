"""Provides the App: the eight steps as modes, global bindings (Back, Next, help, theme, quit), the command
palette's actions, and ``run_app`` for the command line. It adds no logic: every answer comes from the Session."""

from __future__ import annotations

import os
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding

from wizard.session import Session
from wizard.tui.screens.apply import ApplyScreen
from wizard.tui.screens.approaches import ApproachesScreen
from wizard.tui.screens.base import StepScreen
from wizard.tui.screens.customize import CustomizeScreen
from wizard.tui.screens.dialogs import HelpScreen, RecoverScreen
from wizard.tui.screens.done import DoneScreen
from wizard.tui.screens.fits import FitsScreen
from wizard.tui.screens.machine import MachineScreen
from wizard.tui.screens.preview import PreviewScreen
from wizard.tui.screens.welcome import WelcomeScreen
from wizard.tui.widgets.steps import NAMES, STEPS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable

    from textual.screen import Screen

    from wizard.session import Preview


SCREENS: dict[str, type[StepScreen]] = {
    "welcome": WelcomeScreen,
    "machine": MachineScreen,
    "approaches": ApproachesScreen,
    "fits": FitsScreen,
    "customize": CustomizeScreen,
    "preview": PreviewScreen,
    "apply": ApplyScreen,
    "done": DoneScreen,
}


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
            self._steps[name] = SCREENS[name]()
        return self._steps[name]

    def on_mount(self) -> None:
        self.switch_mode("welcome")
        if self.session.unfinished() is not None:
            self.push_screen(RecoverScreen())
        else:
            self.detect()

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
            "done": s.outcome is not None or getattr(self.screen_for("apply"), "finished", False),
        }
        return need.get(name, True)

    def go(self, name: str) -> None:
        if name == self.current_mode:
            return
        if not self.reachable(name):
            self.notify(f"{dict(STEPS)[name]} opens once the steps before it are done.", severity="warning")
            return
        self.switch_mode(name)

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
        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen_for(self.step)
        self.push_screen(HelpScreen(screen.title_text, screen.HELP))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_quit_wizard(self) -> None:
        apply = self.screen_for("apply")
        if getattr(apply, "running", False):
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
    app = WizardApp(Session(), dark=dark)
    result = app.run()
    return result if isinstance(result, int) else app.exit_code
