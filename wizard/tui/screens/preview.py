"""Provides the Preview step: the plan exactly as `plan` shows it (steps with why and undo, owner and mode before
→ after, diffs, root steps marked), built in a worker; Proceed / Customize / Save plan / Cancel."""

from __future__ import annotations

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.widgets import Button, LoadingIndicator, Static

from wizard.tui.screens.base import StepScreen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.plan import PlanOptions
    from wizard.session import Preview


class PreviewScreen(StepScreen):
    STEP = "preview"
    HELP = (
        "Exactly what applying would change, in order: [root] marks the steps that need root; each path shows its "
        "owner and mode before → after; file edits show a diff; each step says why it is there and how it is "
        "undone. p proceeds (you confirm once more), c goes back to Customize, s saves the plan to review or to "
        "apply later with `pip-setup-wizard apply --plan FILE`, x cancels (nothing changes)."
    )
    BINDINGS = [
        ("p", "proceed", "Proceed"),
        ("c", "customize", "Customize"),
        ("s", "save", "Save plan"),
        ("x", "cancel", "Cancel"),
    ]
    NOT_READY = "The preview is not ready (or the plan was refused): see the message."

    def __init__(self) -> None:
        super().__init__()
        self.shown: PlanOptions | None = None
        self.preview: Preview | None = None
        self.problem: str | None = None

    def body(self) -> ComposeResult:
        yield LoadingIndicator(id="loading")
        yield Static("", id="plan")

    def actions(self) -> ComposeResult:
        yield Button("Proceed", id="proceed", variant="success", disabled=True)
        yield Button("Customize", id="customize")
        yield Button("Save plan", id="save", disabled=True)
        yield Button("Cancel", id="cancel", variant="error")

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        options = self.session.options
        if self.app.screen is not self:
            return  # built ahead, off screen: the plan is made when the step is shown
        if options is not None and options != self.shown:
            self.shown = options
            self.preview = None
            self.problem = None
            self.query_one("#loading", LoadingIndicator).display = True
            self.query_one("#plan", Static).update("")
            self.refresh_nav()
            self.call_after_refresh(self.build, options)  # the step shows at once, the plan follows

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def build(self, options: PlanOptions) -> None:
        """Plans and plays the plan through the dry run, in a thread."""
        from wizard.errors import WizardError

        try:
            preview = self.session.preview(options)
        except WizardError as err:
            self.app.call_from_thread(self.built, options, None, " ".join(err.lines()))
            return
        self.app.call_from_thread(self.built, options, preview, None)

    def built(self, options: PlanOptions, preview: Preview | None, problem: str | None) -> None:
        if options != self.shown:
            return
        from wizard.render.lines import Rich
        from wizard.render.plan import preview as preview_lines

        self.preview, self.problem = preview, problem
        self.query_one("#loading", LoadingIndicator).display = False
        view = self.query_one("#plan", Static)
        if preview is None:
            view.update(f"[b red]The plan was refused:[/] {escape(problem or '')}\nPress c to change the options.")
        else:
            view.update(Rich(preview_lines(preview.plan, preview.outcome, preview.stand_ins, every_path=True)))
        self.refresh_nav()

    def refresh_nav(self) -> None:
        super().refresh_nav()
        ready = self.next_ready()
        for name in ("proceed", "save"):
            try:
                self.query_one(f"#{name}", Button).disabled = not ready
            except Exception:
                pass

    def next_ready(self) -> bool:
        return self.preview is not None and not self.preview.plan.already

    def on_next(self) -> bool:
        self.action_proceed()
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        handlers = {
            "proceed": self.action_proceed,
            "customize": self.action_customize,
            "save": self.action_save,
            "cancel": self.action_cancel,
        }
        handler = handlers.get(event.button.id or "")
        if handler is None:
            super().on_button_pressed(event)
            return
        event.stop()
        handler()

    def action_proceed(self) -> None:
        from wizard.tui.screens.dialogs import ConfirmScreen

        if self.preview is None or not self.next_ready():
            self.notify(self.NOT_READY, severity="warning")
            return
        preview = self.preview

        def answered(yes: bool | None) -> None:
            if yes:
                self.wizard.start_apply(preview)

        self.app.push_screen(ConfirmScreen(preview), answered)

    def action_customize(self) -> None:
        self.wizard.go("customize")

    def action_save(self) -> None:
        from wizard.tui.screens.dialogs import SaveScreen

        if self.preview is not None:
            self.app.push_screen(SaveScreen(self.preview))

    def action_cancel(self) -> None:
        self.app.exit(0, message="Cancelled. No changes were made.")
