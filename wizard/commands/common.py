"""Provides what every command shares: the console, errors, pagers, whether a person is at a terminal."""

from __future__ import annotations

import os
import sys

from wizard.errors import WizardError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import Console

PROG = "pip-setup-wizard"
# Subcommands that work in this version; the others are listed (with their options) but say so and exit 2.
AVAILABLE = frozenset({"detect", "learn", "recommend", "plan", "apply", "status", "undo", "recover", "export", "demo"})
# What Ctrl-C at a prompt prints (exit 130); an apply interrupted mid-way has rolled back by then, so it is true.
CANCELLED = "Cancelled. No changes were made."


def console(no_color: bool, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(no_color=no_color or bool(os.environ.get("NO_COLOR")), stderr=stderr, highlight=False)


def escape(text: str) -> str:
    """``text`` with rich markup made literal (rich is loaded only when something is drawn)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def print_error(err: WizardError) -> None:
    lines = err.lines()
    sys.stderr.write(f"{PROG}: error: {lines[0]}\n")
    for line in lines[1:]:
        sys.stderr.write(f"  {line}\n")


def show(renderable: object, no_color: bool, no_pager: bool) -> None:
    """Prints ``renderable``; through a pager when stdout is a terminal and it does not fit on one screen."""
    from rich.console import Console, RenderableType

    out = console(no_color)
    item: RenderableType = renderable  # type: ignore[assignment]
    if no_pager or not out.is_terminal:
        out.print(item)
        return
    with open(os.devnull, "w") as sink:
        probe = Console(file=sink, width=out.width, record=True, no_color=True)
        probe.print(item)
        lines = probe.export_text().count("\n")
    if lines <= out.height:
        out.print(item)
        return
    os.environ.setdefault("LESS", "-FRX")  # keep colours, quit if one screen, leave the text on screen
    with out.pager(styles=not out.no_color):
        out.print(item)


def interactive() -> bool:
    """True when a person can answer prompts (stdin and stdout are terminals, TERM is not dumb)."""
    return sys.stdin.isatty() and sys.stdout.isatty() and os.environ.get("TERM", "") != "dumb"
