"""Provides the error type every core module raises, and the process exit codes."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_FINDINGS = 3
EXIT_INTERRUPTED = 130


class WizardError(Exception):
    """An error a person can act on.

    Shaped like pip's ``DiagnosticPipError``: what went wrong (``message``), what it was about
    (``context``), what to do next (``hint``), and a stable ``ref`` that tests and docs can name.
    The core raises these and never prints them; the front ends decide how to show them.
    """

    def __init__(
        self,
        message: str,
        *,
        context: str | None = None,
        hint: str | None = None,
        ref: str = "error",
        exit_code: int = EXIT_ERROR,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.context = context
        self.hint = hint
        self.ref = ref
        self.exit_code = exit_code

    def lines(self) -> list[str]:
        """The error as plain lines: message, then context and hint when present."""
        out = [self.message]
        if self.context:
            out.append(self.context)
        if self.hint:
            out.append(f"hint: {self.hint}")
        return out


class UsageError(WizardError):
    """The command line asked for something that cannot be done as asked."""

    def __init__(self, message: str, *, hint: str | None = None, ref: str = "usage") -> None:
        super().__init__(message, hint=hint, ref=ref, exit_code=EXIT_USAGE)
