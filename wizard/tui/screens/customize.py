"""Provides the Customize step: the chosen approach's options, checked by the real planner as you type."""

from __future__ import annotations

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Select, Static

from wizard.plan import ONLY_BINARY_APPROACHES, SYSTEM_APPROACHES, PlanOptions
from wizard.tui.screens.base import StepScreen

SHELL_RC = (
    ("leave my shell start-up file alone", "none"),
    ("put the venv's bin on PATH", "path"),
    ("activate the venv in every shell", "activate"),
)


CHECKING = "checking…"


class CustomizeScreen(StepScreen):
    STEP = "customize"
    HELP = (
        "The options of the approach you picked, with this machine's defaults. Every change is checked by the "
        "same planner `plan` uses, so a name or path it would refuse is reported here, with the fix, before the "
        "preview. Tab moves between fields. Each option is also a flag of `pip-setup-wizard plan`."
    )
    NOT_READY = "Fix the option reported in red first."

    def __init__(self) -> None:
        super().__init__()
        self.problem: str | None = "not checked yet"
        self.shown_for: str | None = None

    def body(self) -> ComposeResult:
        yield Static("", id="chosen")
        yield Vertical(id="form")
        yield Static("", id="verdict")

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.app.screen is not self:
            return  # built ahead, off screen: the fields follow the approach when the step is shown
        if self.session.approach != self.shown_for:
            self.call_later(self.build_form)  # in this screen's queue: one build finishes before the next starts

    async def build_form(self) -> None:
        """The approach's fields, replacing any shown for another approach."""
        approach = self.session.approach
        if approach is None:
            return
        options = self.session.choose(approach)
        self.shown_for = approach
        self.query_one("#chosen", Static).update(f"[b]Options for {approach}[/b]  (pip-setup-wizard plan {approach} …)")
        form = self.query_one("#form", Vertical)
        await form.remove_children()
        fields: list[object] = [
            Static("Python to set up (--python; empty: the system python3)", classes="label"),
            Input(options.python or "", placeholder="/usr/bin/python3", id="python"),
        ]
        if approach == "pip-user":
            fields += [Static("Name of the pip user (--user)", classes="label"), Input(options.user, id="user")]
        if approach == "own-site":
            fields += [
                Static("Account that will own site-packages (--owner; empty: you)", classes="label"),
                Input(options.owner or "", placeholder="you", id="owner"),
            ]
        if approach == "virtualenv":
            fields += [
                Static("Where the virtualenv goes (--venv; empty: ~/.venvs/default)", classes="label"),
                Input(options.venv or "", placeholder="~/.venvs/default", id="venv"),
                Static("Your shell start-up file (--shell-rc)", classes="label"),
                Select(SHELL_RC, value=options.shell_rc, allow_blank=False, id="shell_rc"),
                Checkbox(
                    "pip refuses to install outside a virtualenv (--require-virtualenv)",
                    bool(options.require_virtualenv),
                    id="require_virtualenv",
                ),
                Checkbox("use uv when it is installed (much faster; --no-uv to not)", options.uv is not False, id="uv"),
            ]
        if approach in ONLY_BINARY_APPROACHES:
            fields.append(
                Checkbox(
                    "only install wheels, never run a package's build code (--only-binary)",
                    options.only_binary,
                    id="only_binary",
                )
            )
        if approach in SYSTEM_APPROACHES:
            fields.append(
                Checkbox(
                    "let pip install past the PEP 668 marker for this approach only (--break-system-packages)",
                    options.break_system_packages,
                    id="break_system_packages",
                )
            )
        await form.mount_all(fields)  # type: ignore[arg-type]
        self.changed()

    def read_options(self) -> PlanOptions:
        approach = self.session.approach or "virtualenv"

        def text(name: str) -> str | None:
            found = self.query(f"#{name}")
            if not found:
                return None
            value = found.first(Input).value.strip()
            return value or None

        def flag(name: str) -> bool | None:
            found = self.query(f"#{name}")
            return found.first(Checkbox).value if found else None

        shell = self.query("#shell_rc")
        return PlanOptions(
            approach=approach,
            python=text("python"),
            user=text("user") or "pipinstall",
            owner=text("owner"),
            venv=text("venv"),
            shell_rc=str(shell.first(Select).value) if shell else "none",
            require_virtualenv=flag("require_virtualenv") or None,
            only_binary=bool(flag("only_binary")),
            break_system_packages=bool(flag("break_system_packages")),
            uv=None if flag("uv") in (None, True) else False,
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.changed()

    def changed(self) -> None:
        try:
            options = self.read_options()
        except Exception:
            return
        self.session.options = options
        self.problem = CHECKING
        self.query_one("#verdict", Static).update("[dim]checking…[/dim]")
        self.refresh_nav()
        # The check runs in a thread once this frame is drawn, so typing (and the step's first showing) is not
        # slowed by it.
        self.call_after_refresh(self.check, options)

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def check(self, options: PlanOptions) -> None:
        """The planner's verdict on these options, in a thread (it reads the machine)."""
        problem = self.session.check(options)
        self.app.call_from_thread(self.checked, options, problem)

    def checked(self, options: PlanOptions, problem: str | None) -> None:
        if options != self.session.options:
            return  # an older check; a newer one is on its way
        self.problem = problem
        verdict = self.query_one("#verdict", Static)
        if problem:
            verdict.update(f"[b red]✗[/] {escape(problem)}")
        else:
            verdict.update("[b green]✓[/] These options can be planned. Next shows exactly what would change.")
        self.refresh_nav()

    def next_ready(self) -> bool:
        return self.problem in (None, CHECKING)

    def on_next(self) -> bool:
        """Next while a check is still running: check now (milliseconds) rather than refuse or skip it."""
        if self.problem != CHECKING:
            return False
        options = self.read_options()
        self.session.options = options
        self.checked(options, self.session.check(options))
        return self.problem is not None
