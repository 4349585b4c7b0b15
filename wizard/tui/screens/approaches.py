"""Provides The four approaches step: the comparison table and the who-can-write-what diagram; each approach
opens its full explanation (risks, citations) and its check-your-understanding question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, RadioButton, RadioSet, Static

from wizard.tui.screens.base import StepScreen
from wizard.tui.widgets.block import RichBlock

ORDER = ("sudo-pip", "pip-user", "own-site", "virtualenv")


class ApproachesScreen(StepScreen):
    STEP = "approaches"
    HELP = (
        "The four ways side by side: who runs a package's install code, who can change what root imports later, "
        "whether the system is protected, whether the distribution can break, and whether sudo is needed. "
        "Keys 1-4 (or the buttons) open an approach in full, with its risks, sources and a one-question check. "
        "t runs the blast-radius demo: a harmless package installed under each approach shows where its "
        "install-time code could reach on this machine."
    )
    BINDINGS = [
        ("1", "open('sudo-pip')", "sudo pip"),
        ("2", "open('pip-user')", "pip user"),
        ("3", "open('own-site')", "own site"),
        ("4", "open('virtualenv')", "virtualenv"),
        ("t", "demo", "Blast radius"),
    ]

    def body(self) -> ComposeResult:
        from rich.console import Group
        from rich.text import Text

        from wizard.render.learn import comparison, diagram

        yield RichBlock(
            Group(
                Text("Four ways to install with pip, compared", style="bold underline"),
                comparison(),
                Text(""),
                diagram(),
            ),
            id="comparison",
        )
        with Horizontal(id="open-approach"):
            for i, ident in enumerate(ORDER, 1):
                yield Button(f"{i} {ident}", id=f"open-{ident}")
            yield Button("t demo", id="open-demo")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        ident = (event.button.id or "").removeprefix("open-")
        if ident in ORDER:
            event.stop()
            self.action_open(ident)
        elif ident == "demo":
            event.stop()
            self.action_demo()
        else:
            super().on_button_pressed(event)

    def action_open(self, ident: str) -> None:
        self.app.push_screen(ApproachScreen(ident))

    def action_demo(self) -> None:
        from wizard.tui.screens.demo import DemoScreen

        self.app.push_screen(DemoScreen(self.session))


class ApproachScreen(Screen[None]):
    """One approach in full, with its check-your-understanding question; Escape goes back to the table."""

    BINDINGS = [("escape", "app.pop_screen", "Back to the table"), ("c", "check", "Check my answer")]

    def __init__(self, ident: str) -> None:
        super().__init__()
        self.ident = ident

    def compose(self) -> ComposeResult:
        from wizard import texts
        from wizard.render.learn import approach

        check = texts.approaches()[self.ident].check
        yield Header()
        with VerticalScroll(id="approach-text"):
            yield Static(approach(self.ident, with_check=False), id="approach-body")
            with Vertical(id="quiz"):
                yield Static(f"[b]Check your understanding:[/b] {check.question}", id="question")
                with RadioSet(id="choices"):
                    for choice in check.choices:
                        yield RadioButton(choice)
                yield Button("Check my answer", id="check", variant="primary")
                yield Static("", id="verdict")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.ident

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "check":
            event.stop()
            self.action_check()

    def action_check(self) -> None:
        from wizard import texts

        check = texts.approaches()[self.ident].check
        picked = self.query_one("#choices", RadioSet).pressed_index
        verdict = self.query_one("#verdict", Static)
        if picked < 0:
            verdict.update("Pick an answer first (arrow keys and space, or click).")
            return
        right = picked == check.answer
        head = "[b green]Right.[/]" if right else f"[b red]Not quite:[/] the answer is “{check.choices[check.answer]}”."
        verdict.update(f"{head} {check.explanation.strip()}")
