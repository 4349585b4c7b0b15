"""Provides the plain flow's Customize step: the chosen approach's options, each checked by the planner as answered."""

from __future__ import annotations

import os

from wizard.commands.common import escape
from wizard.errors import UsageError, WizardError
from wizard.plan import ONLY_BINARY_APPROACHES, SYSTEM_APPROACHES, PlanOptions
from wizard.record import replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any

    from wizard.model import MachineState
    from wizard.plain.prompts import Prompts
    from wizard.session import Session

FIELDS = (
    "python",
    "user",
    "owner",
    "target",
    "venv",
    "shell_rc",
    "require_virtualenv",
    "only_binary",
    "break_system_packages",
    "uv",
)
SHELL_RC = (
    ("none", "Leave my shell start-up file alone"),
    ("path", "Put the virtualenv's commands on my PATH (a marked block in ~/.bashrc, or your shell's own file)"),
    ("activate", "Activate the virtualenv in every new shell (a marked block, as above)"),
)


def problem(session: Session, options: PlanOptions) -> str | None:
    """Why the planner refuses ``options``, as sentences a person reads out (with the fix); None when it accepts."""
    try:
        session.plan(options)
    except WizardError as err:
        sentences = [err.message, err.hint or ""]
        return " ".join(f"{s[0].upper()}{s[1:]}" + ("" if s.endswith((".", "!", "?")) else ".") for s in sentences if s)
    return None


def flag_options(args: argparse.Namespace, approach: str) -> PlanOptions:
    """The options the command line gave; the rest at their defaults."""
    given = {name: getattr(args, name, None) for name in FIELDS}
    if given["venv"]:
        given["venv"] = os.path.expanduser(given["venv"])
    return PlanOptions(approach=approach, **{k: v for k, v in given.items() if v is not None})


class Customize:
    """The questions for one approach's options; a question whose answer was given as a flag is skipped (all are
    asked ``again`` when the person chose Customize at the preview)."""

    def __init__(self, session: Session, ask: Prompts, args: argparse.Namespace, again: bool) -> None:
        self.session = session
        self.ask = ask
        self.args = args
        self.again = again
        self.state: MachineState = (session.report or session.detect()).state

    def wanted(self, name: str) -> bool:
        return self.again or getattr(self.args, name, None) is None

    def checker(self, options: PlanOptions, name: str) -> Callable[[str], str | None]:
        """Why an answer for ``name`` cannot be planned (None when it can): validation as the person answers."""

        def check(answer: str) -> str | None:
            change: dict[str, Any] = {name: os.path.expanduser(answer)}
            return problem(self.session, replace(options, **change))

        return check

    def options(self, o: PlanOptions) -> PlanOptions:
        o = self.python(o)
        if o.approach == "pip-user" and self.wanted("user"):
            question = "Name of the dedicated pip user (a system account the wizard creates):"
            o = replace(o, user=self.ask.text(question, o.user, check=self.checker(o, "user")))
        if o.approach == "own-site" and self.wanted("owner"):
            human = self.state.user.human
            owner = self.ask.text("Who should own site-packages?", o.owner or human, check=self.checker(o, "owner"))
            o = replace(o, owner=None if owner == human else owner)
        if o.approach == "virtualenv":
            o = self.virtualenv(o)
        if o.approach in ONLY_BINARY_APPROACHES and self.wanted("only_binary"):
            only = self.ask.confirm(
                "Install wheels only (only-binary = :all:), so that no package's build code runs when you install? "
                "Packages that have no wheel then cannot be installed.",
                default=o.only_binary,
            )
            o = replace(o, only_binary=only)
        if o.approach in SYSTEM_APPROACHES and self.marked(o) and self.wanted("break_system_packages"):
            who = {"sudo-pip": "root's", "pip-user": "the pip user's", "own-site": "your"}[o.approach]
            override = self.ask.confirm(
                "This Python is marked as managed by your distribution (PEP 668), so pip refuses to install into "
                f"it. Let {who} pip override that (set in its own pip.conf only, never for everyone)?",
                default=o.break_system_packages,
            )
            o = replace(o, break_system_packages=override)
        return o

    def python(self, o: PlanOptions) -> PlanOptions:
        """Which interpreter, asked only when there is more than one to choose from."""
        from wizard.diagnose.roles import system_python

        candidates = [i for i in self.state.interpreters if i.ok and not i.is_venv and not i.wizard_own]
        if len(candidates) < 2 or not self.wanted("python"):
            return o
        system = system_python(self.state)
        default = o.python or (system.path if system else candidates[0].path)
        picked = self.ask.select(
            "Which Python should it set up?", [(i.path, f"{i.path} (Python {i.version})") for i in candidates], default
        )
        return replace(o, python=None if system is not None and picked == system.path else picked)

    def virtualenv(self, o: PlanOptions) -> PlanOptions:
        from wizard.executor import account_for
        from wizard.strategies.common import venv_default

        if self.wanted("venv"):
            human = account_for(self.state.user.human)
            suggested = venv_default(self.state, human) if human else os.path.expanduser("~/.venvs/default")
            venv = os.path.expanduser(
                self.ask.text("Where should the virtualenv go?", o.venv or suggested, check=self.checker(o, "venv"))
            )
            o = replace(o, venv=None if venv == suggested else venv)
        uv = self.state.tools.get("uv")
        if uv and self.wanted("uv"):
            faster = self.ask.confirm(f"Create it with uv ({uv}), which is faster?", default=o.uv is not False)
            o = replace(o, uv=faster)
        if self.wanted("shell_rc"):
            o = replace(o, shell_rc=self.ask.select("Use it from your shell?", SHELL_RC, o.shell_rc))
        if self.wanted("require_virtualenv"):
            required = self.ask.confirm(
                "Make pip refuse to install outside a virtualenv (require-virtualenv = true in your pip.conf)?",
                default=bool(o.require_virtualenv),
            )
            o = replace(o, require_virtualenv=required)
        return o

    def marked(self, o: PlanOptions) -> bool:
        """The target interpreter carries the PEP 668 marker (so the override question means something)."""
        from wizard.diagnose.roles import system_python

        interp = self.state.interpreter(o.python) if o.python else system_python(self.state)
        return interp is not None and interp.marker is not None and interp.marker.present


def customize(
    session: Session, ask: Prompts, args: argparse.Namespace, options: PlanOptions, again: bool
) -> PlanOptions:
    """Step 5: asks the options of ``options.approach``; returns options the planner accepts.

    Each text answer is checked as it is given and asked again when the planner refuses it; answers that pass one
    by one but clash together bring every question back, with the answers so far suggested.
    """
    if ask.can_ask:
        ask.out.print(f"The choices for {options.approach}; press Enter to keep the suggested answer.")
    else:
        ask.out.print(f"The options for {options.approach}: those given as flags, and the defaults for the rest.")
    while True:
        options = Customize(session, ask, args, again).options(options)
        refused = problem(session, options)
        if refused is None:
            return options
        if not ask.can_ask:
            session.plan(options)  # raises the planner's own error, with its hint
            raise UsageError(refused, ref="options-refused")
        ask.out.print(f"[red]✗ {escape(refused)}[/red]")
        again = True
