"""Provides the plain flow's prompts: questionary questions, re-asked on a bad answer, or refused without a person."""

from __future__ import annotations

import sys

import questionary

from wizard.commands.common import escape
from wizard.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn

    from rich.console import Console


class Prompts:
    """Asks through questionary; ``kwargs`` reach every prompt (tests pass a pipe ``input`` and a dummy ``output``).

    When nobody can answer (no terminal), a question with a safe default takes it, and one that names a ``flag``
    (its answer on the command line) stops the flow with a message naming that flag: nothing is ever decided for
    the person that they did not say.
    """

    def __init__(self, out: Console, **kwargs: Any) -> None:
        self.out = out
        self.kwargs = kwargs
        self.can_ask = "input" in kwargs or (sys.stdin.isatty() and sys.stdout.isatty())

    def _unanswered(self, message: str, flag: str) -> NoReturn:
        raise UsageError(
            f"“{message}” needs an answer, and there is no terminal to ask it: nothing was changed",
            hint=f"pass {flag}, or run `pip-setup-wizard --plain` in a terminal",
            ref="answer-missing",
        )

    def select(self, message: str, choices: Sequence[tuple[str, str]], default: str, *, flag: str | None = None) -> str:
        """One of ``choices`` (value, label); ``default`` is highlighted first."""
        if not self.can_ask:
            if flag:
                self._unanswered(message, flag)
            return default
        items = [questionary.Choice(title=label, value=value) for value, label in choices]
        picked = questionary.select(
            message,
            choices=items,
            default=next((c for c in items if c.value == default), None),
            instruction="(arrow keys, then Enter)",
            **self.kwargs,
        ).unsafe_ask()
        return str(picked)

    def confirm(self, message: str, default: bool, *, flag: str | None = None) -> bool:
        """Yes or no (y, n, or Enter for the default)."""
        if not self.can_ask:
            if flag:
                self._unanswered(message, flag)
            return default
        return bool(questionary.confirm(message, default=default, **self.kwargs).unsafe_ask())

    def text(
        self, message: str, default: str, *, check: Callable[[str], str | None] | None = None, flag: str | None = None
    ) -> str:
        """A line of text; ``check`` returns why an answer cannot be used (printed, then the question comes again)."""
        if not self.can_ask:
            if flag:
                self._unanswered(message, flag)
            return default
        while True:
            answer = str(questionary.text(message, default=default, **self.kwargs).unsafe_ask()).strip() or default
            problem = check(answer) if check else None
            if problem is None:
                return answer
            # Printed rather than shown under the prompt, so that screen readers read it out.
            self.out.print(f"[red]✗ {escape(problem)}[/red]")
            self.out.print("  Please try again.")
