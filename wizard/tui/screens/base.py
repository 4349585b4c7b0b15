"""Provides the frame every step shares: title bar, step indicator, the step's body, Back/Next, the footer."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from wizard.tui.widgets.footer import Footer
from wizard.tui.widgets.steps import NAMES, STEPS, StepList

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.session import Session
    from wizard.tui.app import WizardApp


class StepScreen(Screen[None]):
    """One step of the flow. Subclasses set ``STEP`` and write ``body()``; ``next_ready()`` gates Next."""

    STEP = "welcome"
    HELP = ""
    NOT_READY = "Finish this step first."

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    @property
    def session(self) -> Session:
        return self.wizard.session

    @property
    def title_text(self) -> str:
        return dict(STEPS)[self.STEP]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="frame"):
            yield StepList(self.STEP)
            with Vertical(id="main"):
                yield Static(f"Step {NAMES.index(self.STEP) + 1} of {len(NAMES)}: {self.title_text}", id="step-title")
                with VerticalScroll(id="body"):
                    yield from self.body()
                with Horizontal(id="nav"):
                    yield Button("◂ Back", id="back", disabled=NAMES[0] == self.STEP)
                    yield from self.actions()
                    yield Button("Next ▸", id="next", variant="primary", disabled=not self.next_ready())
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    def actions(self) -> ComposeResult:
        """Buttons between Back and Next (Proceed, Save plan, ...)."""
        yield from ()

    def next_ready(self) -> bool:
        return NAMES[-1] != self.STEP

    def on_next(self) -> bool:
        """Called on Next before moving on; True when the screen handled it (Preview asks to proceed)."""
        return False

    def machine_changed(self) -> None:
        """Detection finished (or was run again): screens that show or use the machine redraw."""
        self.refresh_nav()

    def refresh_nav(self) -> None:
        """Re-reads ``next_ready()`` (after a worker finished, an answer changed...)."""
        try:
            self.query_one("#next", Button).disabled = not self.next_ready()
        except Exception:
            pass

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "back":
            event.stop()
            self.wizard.action_step_back()
        elif event.button.id == "next":
            event.stop()
            self.wizard.action_step_next()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual re-applies the whole stylesheet to a screen each time it is shown by switch_mode (about 50 ms
        # here, so every Back/Next would take longer than a key press should; it skips this itself when a dialog
        # closes). A step's styles cannot change while it is hidden: a new theme is caught by switch_mode (it
        # compares the screen's CSS update count with the app's and refreshes), a new size by its resize, and a
        # step built ahead is styled when it is mounted. So a step shown again refreshes its layout and state.
        event.refresh_styles = False
        StepScreen.on_screen_resume(self)

    def on_screen_resume(self) -> None:
        self.refresh_nav()
        self.sub_title = self.title_text
