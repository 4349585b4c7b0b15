"""Provides the Your machine step: the detection report (interpreters and the approach in effect for each,
findings by severity with their fixes, the sudo lens), found in a worker behind a loading indicator."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, LoadingIndicator, Static

from wizard.tui.screens.base import StepScreen


class MachineScreen(StepScreen):
    STEP = "machine"
    HELP = (
        "What the wizard found: each Python interpreter, which approach is in effect for it and the evidence, "
        "problems by severity with the command that fixes each, and what `python3` and `pip` mean for you and "
        "under sudo. r looks again."
    )
    BINDINGS = [("r", "rescan", "Look again")]

    def body(self) -> ComposeResult:
        yield LoadingIndicator(id="loading")
        yield Static("", id="report")

    def actions(self) -> ComposeResult:
        yield Button("Look again", id="rescan")

    def on_mount(self) -> None:
        self.machine_changed()

    def machine_changed(self) -> None:
        try:
            loading = self.query_one("#loading", LoadingIndicator)
            report_view = self.query_one("#report", Static)
        except Exception:
            return
        report = self.session.report
        error = self.wizard.detect_error
        loading.display = report is None and error is None
        if error is not None:
            report_view.update(f"[b red]Could not look at this machine:[/] {error}\nPress r to try again.")
        elif report is not None:
            from rich.console import Group
            from rich.text import Text

            from wizard.render.report import Short, findings, header, interpreters, machine, sudo_lens

            short = Short(report.state.user.home)
            report_view.update(
                Group(
                    header(report),
                    Text(""),
                    interpreters(report, False, short),
                    machine(report, short),
                    findings(report, False, ("detect", "learn", "plan", "apply", "undo"), short),
                    sudo_lens(report, short),
                )
            )
        self.refresh_nav()

    def next_ready(self) -> bool:
        return True

    def action_rescan(self) -> None:
        self.session.report = None
        self.machine_changed()
        self.wizard.detect()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "rescan":
            event.stop()
            self.action_rescan()
        else:
            super().on_button_pressed(event)
