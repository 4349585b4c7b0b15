"""Provides the Done step: what changed, how to use it now, how to undo it, and where the journal is."""

from __future__ import annotations

import os

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from wizard.tui.screens.base import StepScreen


class DoneScreen(StepScreen):
    STEP = "done"
    HELP = "What the wizard changed and how to go on. q quits. Run the wizard again any time to switch or undo."

    def body(self) -> ComposeResult:
        yield Static("", id="summary")

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.query_one("#summary", Static).update(self.summary())

    def summary(self) -> Group:
        preview = self.session.preview_
        if preview is None:
            return Group(Text("Nothing was applied yet."))
        plan = preview.plan
        through_sudo = preview.needs_sudo
        parts: list[Text] = [Text(f"{plan.approach} is set up for {plan.interpreter}.", style="bold green"), Text("")]
        parts.append(Text("What changed", style="bold underline"))
        for step in plan.changes:
            parts.append(Text.assemble("  • ", ("[root] " if step.needs_root else "", "bold red"), step.describe()))
        parts += [Text(""), Text("How to use it", style="bold underline")]
        parts += [Text(f"  • {note}") for note in plan.notes]
        outcome = self.session.outcome
        if outcome is not None:
            parts += [Text(f"  • {note}", style="yellow") for note in outcome.notes]
        sudo = "sudo " if through_sudo or os.geteuid() == 0 else ""
        parts += [
            Text(""),
            Text("How to undo it", style="bold underline"),
            Text(f"  {sudo}pip-setup-wizard undo   (or run the wizard again: Welcome offers undo and switch)"),
            Text(""),
            Text("The journal", style="bold underline"),
        ]
        path = self.session.journal_path()
        if path:
            parts.append(Text(f"  in {os.path.dirname(path)} (`{sudo}pip-setup-wizard status` lists what it holds)"))
        else:
            parts.append(Text(f"  kept by root: `{sudo}pip-setup-wizard status` shows it"))
        return Group(*parts)

    def next_ready(self) -> bool:
        return False
