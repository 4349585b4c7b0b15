"""Provides the Welcome step: what the wizard does, that nothing changes before you confirm, and — when the
journal shows an approach set up — which one and since when, with switch, undo or review."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from wizard.tui.screens.base import StepScreen

INTRO = (
    "[b]How should pip install packages on this machine?[/b]\n\n"
    "Installing a package runs code from its author, and where it lands decides who can change the code your "
    "system runs later. There are four ways to set pip up:\n\n"
    "  1. [b]sudo pip[/b]: root installs everything\n"
    "  2. [b]a pip user[/b]: a locked-down account owns the system site-packages\n"
    "  3. [b]own site-packages[/b]: your account owns them\n"
    "  4. [b]a virtualenv[/b]: your packages live in your own environment\n\n"
    "This wizard looks at your machine, explains each way and its risks (with sources), recommends one, and "
    "shows exactly what setting it up would change.\n\n"
    "[b]Nothing on your machine changes until you confirm on the Preview step[/b], and everything it does is "
    "journaled and can be undone."
)


class WelcomeScreen(StepScreen):
    STEP = "welcome"
    HELP = (
        "This is where the wizard starts. Press n (or Next) to see what it found on your machine. When the "
        "wizard already set an approach up, you can switch to another, undo it, or review it from here."
    )

    def body(self) -> ComposeResult:
        yield Static(INTRO, id="intro")
        applied = self.session.applied()
        if applied is not None:
            yield Static(
                f"[b]You are on approach {applied.approach}[/b] for {applied.interpreter} since "
                f"{applied.since_text} (journal {applied.journal}).\nYou can switch to another approach, undo "
                "this one, or review it.",
                id="applied",
            )
            with Horizontal(id="applied-actions"):
                yield Button("Switch approach", id="switch")
                yield Button("Undo it", id="undo", variant="warning")
                yield Button("Review", id="review")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "switch":
            self.wizard.go("approaches")
        elif event.button.id == "review":
            self.wizard.go("machine")
        elif event.button.id == "undo":
            from wizard.tui.screens.dialogs import UndoScreen

            self.app.push_screen(UndoScreen())
        else:
            super().on_button_pressed(event)
            return
        event.stop()
