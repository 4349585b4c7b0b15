"""Provides the dialogs: help, confirm (own-site asks for the risk by name), save plan, undo, recover."""

from __future__ import annotations

import subprocess
import sys

from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from wizard.session import RISK_WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.session import Preview, Session

KEYS = (
    "n next step · b back · ? this help · d light/dark · ctrl+p all actions · q quit · tab moves between "
    "fields and buttons · the mouse works too"
)


class Dialog(ModalScreen[bool]):
    """A centred box; Escape closes it (answering no)."""

    BINDINGS = [("escape", "close", "Close")]

    @property
    def session(self) -> Session:
        return self.app.session  # type: ignore[attr-defined, no-any-return]

    def action_close(self) -> None:
        self.dismiss(False)


class HelpScreen(Dialog):
    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"[b]{escape(self.title_text)}[/b]\n\n{escape(self.text)}\n\n[dim]{KEYS}[/dim]")
            yield Button("Close", id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(False)


class ConfirmScreen(Dialog):
    """The last question before anything changes."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        plan = self.preview.plan
        changes = plan.changes
        root = sum(1 for s in changes if s.needs_root)
        lines = [f"[b]Apply {plan.approach}?[/b]", f"{len(changes)} change(s), {root} of them as root."]
        if self.preview.needs_sudo:
            lines.append("The root part runs through sudo in your terminal (it asks for your password).")
        with Vertical(classes="dialog"):
            yield Static("\n".join(lines))
            if self.preview.risky:
                yield Static(
                    f"own-site hands site-packages to {escape(plan.human)}: any program that account runs could "
                    f"then change code root runs. Type [b]{RISK_WORDS}[/b] to go ahead:"
                )
                yield Input(placeholder=RISK_WORDS, id="words")
            with Horizontal(classes="buttons"):
                yield Button("Apply", id="yes", variant="success")
                yield Button("Cancel", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            if self.preview.risky and self.query_one("#words", Input).value.strip().lower() != RISK_WORDS:
                self.notify(f"Type “{RISK_WORDS}” to confirm, or Cancel.", severity="warning")
                return
            self.dismiss(True)
        else:
            self.dismiss(False)


class SaveScreen(Dialog):
    """Saves the plan (like `plan --out`) to review or apply later."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                "[b]Save the plan[/b]\nApply it later, exactly as reviewed: pip-setup-wizard apply --plan FILE"
            )
            yield Input(value="~/pip-setup-wizard-plan.json", id="path")
            yield Static("", id="saved")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Close", id="close")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.save()
        else:
            self.dismiss(False)

    def save(self) -> None:
        from wizard.errors import WizardError

        try:
            path = self.session.save(self.preview, self.query_one("#path", Input).value.strip())
        except WizardError as err:
            self.query_one("#saved", Static).update(Text(" ".join(err.lines()), style="red"))
            return
        self.query_one("#saved", Static).update(Text(f"Saved to {path}", style="green"))


class UndoScreen(Dialog):
    """Shows what undoing the approach in effect changes, and undoes it after a yes."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("[b]Undo[/b] — working out what undoing changes…", id="what")
            with VerticalScroll(id="undo-plan"):
                yield Static("", id="undo-lines")
            with Horizontal(classes="buttons"):
                yield Button("Undo it", id="yes", variant="warning", disabled=True)
                yield Button("Close", id="no")

    def on_mount(self) -> None:
        self.build()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def build(self) -> None:
        from wizard.errors import WizardError

        try:
            preview = self.session.undo_preview()
        except WizardError as err:
            self.app.call_from_thread(self.show, None, " ".join(err.lines()))
            return
        self.app.call_from_thread(self.show, preview, None)

    def show(self, preview: Preview | None, problem: str | None) -> None:
        from wizard.render.lines import Rich
        from wizard.render.plan import preview as lines

        self.preview = preview
        what = self.query_one("#what", Static)
        if preview is None:
            what.update(Text(problem or "Nothing to undo: the wizard has not applied anything.", style="yellow"))
            return
        what.update("[b]Undo[/b] — this puts back what the wizard changed, newest first (your own later edits stay):")
        self.query_one("#undo-lines", Static).update(Rich(lines(preview.plan, preview.outcome, {})))
        self.query_one("#yes", Button).disabled = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "yes" or self.preview is None:
            self.dismiss(False)
            return
        event.button.disabled = True
        if self.preview.needs_sudo:
            argv = ["sudo", sys.executable, "-m", "wizard", "undo", "--yes"]
            with self.app.suspend():
                code = subprocess.run(argv).returncode
                subprocess.run(["sudo", "-k"])
            self.finish(None if code == 0 else f"sudo {' '.join(argv[1:])} failed (exit code {code})")
        else:
            self.undo(self.preview)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def undo(self, preview: Preview) -> None:
        from wizard.errors import WizardError

        try:
            self.session.undo(preview)
        except WizardError as err:
            self.app.call_from_thread(self.finish, "\n".join(err.lines()))
            return
        self.app.call_from_thread(self.finish, None)

    def finish(self, failure: str | None) -> None:
        what = self.query_one("#what", Static)
        if failure:
            what.update(Text(f"Not undone: {failure}", style="red"))
            return
        what.update(Text("Undone: the machine is back as it was before that apply.", style="bold green"))
        self.query_one("#no", Button).label = "Close"
        self.app.refresh_welcome()  # type: ignore[attr-defined]


class RecoverScreen(Dialog):
    """An apply did not finish: nothing else may run until what it changed is put back."""

    BINDINGS = [("escape", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        pending = self.session.unfinished()
        name = pending.path if pending is not None else "?"
        with Vertical(classes="dialog"):
            yield Static(
                "[b red]An earlier apply did not finish[/b red] (it was interrupted: a crash, a power cut or a "
                f"killed process).\nJournal: {escape(name)}\n\nRecover puts back everything it changed, using the "
                "journal; nothing else runs until then.",
                id="what",
            )
            with Horizontal(classes="buttons"):
                yield Button("Recover", id="recover", variant="warning")
                yield Button("Quit", id="quit")

    def action_quit(self) -> None:
        self.app.exit(1, message="An apply is unfinished: run `pip-setup-wizard recover`.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "recover":
            event.button.disabled = True
            self.recover()
        else:
            self.action_quit()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def recover(self) -> None:
        from wizard.errors import WizardError

        try:
            self.session.recover()
        except WizardError as err:
            self.app.call_from_thread(self.query_one("#what", Static).update, Text(" ".join(err.lines()), style="red"))
            return
        self.app.call_from_thread(self.recovered)

    def recovered(self) -> None:
        self.notify("Recovered: everything the interrupted apply changed is put back.")
        self.dismiss(True)
        self.app.detect()  # type: ignore[attr-defined]
