"""Provides the Apply step: per-step progress and a log while the plan is applied in a worker (journaled, rolled
back on error or when stopped); the root part goes through sudo in the suspended terminal."""

from __future__ import annotations

import subprocess
import threading

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Button, ProgressBar, RichLog, Static

from wizard.tui.screens.base import StepScreen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.plan import Step
    from wizard.session import Preview


class ApplyScreen(StepScreen):
    STEP = "apply"
    HELP = (
        "The plan is being applied, one step at a time; each change is written to the journal before it is made. "
        "The checks at the end run what you will run (the venv's pip, pip as the pip user...). If anything fails, "
        "or you press ctrl+c (s), everything done so far is put back. When root is needed and you are not root, "
        "the wizard steps aside and runs the exact saved plan through sudo, which asks for your password."
    )
    BINDINGS = [("s", "stop", "Stop and roll back"), ("ctrl+c", "stop", "Stop")]
    NOT_READY = "Wait for the apply to finish."

    def __init__(self) -> None:
        super().__init__()
        self.running = False
        self.finished = False
        self.failed: str | None = None
        self.stop = threading.Event()
        self.preview: Preview | None = None
        self.pending: Preview | None = None  # confirmed, starts once this screen is on screen

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.pending is not None:
            self.call_after_refresh(self._start)

    def _start(self) -> None:
        preview, self.pending = self.pending, None
        if preview is not None:
            self.begin(preview)

    def body(self) -> ComposeResult:
        yield Static("Nothing is being applied. Proceed from the Preview step.", id="status")
        yield ProgressBar(id="progress", show_eta=False)
        yield RichLog(id="log", wrap=True, markup=False)

    def actions(self) -> ComposeResult:
        yield Button("Stop", id="stop", variant="error", disabled=True)

    def begin(self, preview: Preview) -> None:
        self.preview = preview
        self.finished, self.failed, self.running = False, None, True
        self.stop.clear()
        steps = preview.plan.steps
        self.query_one("#progress", ProgressBar).update(total=len(steps), progress=0)
        self.query_one("#log", RichLog).clear()
        self.query_one("#stop", Button).disabled = False
        self.query_one("#status", Static).update(f"Applying {preview.plan.approach}: {len(steps)} step(s)…")
        self.refresh_nav()
        if preview.needs_sudo:
            self.call_after_refresh(self.through_sudo, preview)
        else:
            self.run_plan(preview)

    @work(thread=True, exclusive=True, group="apply", exit_on_error=False)
    def run_plan(self, preview: Preview) -> None:
        """Applies in a thread; the screen hears of each step through call_from_thread."""
        from wizard.errors import WizardError

        def on_step(i: int, step: Step, phase: str) -> None:
            self.app.call_from_thread(self.stepped, i, step.describe(), phase, step.needs_root)

        try:
            self.session.apply(preview, on_step=on_step, cancel=self.stop.is_set)
        except WizardError as err:
            self.app.call_from_thread(self.ended, "\n".join(err.lines()))
            return
        except Exception as exc:
            self.app.call_from_thread(self.ended, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self.ended, None)

    def through_sudo(self, preview: Preview) -> None:
        """Runs the saved plan through sudo in the real terminal (sudo asks for the password there)."""
        argv = self.session.sudo_command(preview)
        log = self.query_one("#log", RichLog)
        log.write(Text("$ " + " ".join(argv), style="cyan"))
        try:
            with self.app.suspend():
                print("pip-setup-wizard needs root for this plan. Running:\n  " + " ".join(argv), flush=True)
                code = subprocess.run(argv).returncode
                subprocess.run(["sudo", "-k"])
        except Exception as exc:
            self.ended(f"could not run sudo here ({exc}); run it yourself: {' '.join(argv)}")
            return
        self.query_one("#progress", ProgressBar).update(progress=len(preview.plan.steps))
        self.ended(
            None if code == 0 else f"the command through sudo failed (exit code {code}); nothing was left changed"
        )

    def stepped(self, i: int, describe: str, phase: str, root: bool) -> None:
        total = len(self.preview.plan.steps) if self.preview else 0
        log = self.query_one("#log", RichLog)
        if phase == "start":
            tag = "[root] " if root else ""
            log.write(Text.assemble((f"[{i + 1}/{total}] ", "dim"), (tag, "bold red"), describe))
        else:
            self.query_one("#progress", ProgressBar).advance(1)

    def ended(self, failure: str | None) -> None:
        self.running, self.finished, self.failed = False, failure is None, failure
        self.query_one("#stop", Button).disabled = True
        status = self.query_one("#status", Static)
        log = self.query_one("#log", RichLog)
        if failure is None:
            status.update("[b green]Done.[/] Every step and check passed. Next shows how to use it and undo it.")
            log.write(Text("✓ applied; the journal records every change", style="green"))
        else:
            status.update(Text.assemble(("Not applied: ", "bold red"), failure.splitlines()[0]))
            log.write(Text(failure, style="red"))
        self.refresh_nav()

    def next_ready(self) -> bool:
        return self.finished

    def action_stop(self) -> None:
        if self.running:
            self.stop.set()
            self.query_one("#status", Static).update("Stopping after the current step; then everything is put back…")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "stop":
            event.stop()
            self.action_stop()
        else:
            super().on_button_pressed(event)
