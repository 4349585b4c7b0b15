"""Provides the `demo` command: the blast-radius demo, as a matrix for people or JSON for programs."""

from __future__ import annotations

import json
import sys

from wizard.errors import EXIT_OK, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable


def _progress() -> Callable[[int, int, str], None] | None:
    """One line on the terminal, rewritten as the demo goes (nothing when standard error is not a terminal)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, text: str) -> None:
        sys.stderr.write(f"\r\x1b[K[{done}/{total}] {text}")
        sys.stderr.flush()

    return show


def cmd_demo(args: argparse.Namespace) -> int:
    """Runs the demo (or reads a saved one) and shows the matrix, or prints it as JSON."""
    from wizard import demo

    if args.from_json:
        if args.python:
            raise UsageError(
                "--python chooses the interpreter of a new run; --from-json shows a saved one",
                hint="pass one of them",
                ref="demo-options",
            )
        result = demo.load(args.from_json)
    else:
        progress = _progress()
        try:
            result = demo.run(args.python, on_progress=progress)
        finally:
            if progress is not None:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2 if sys.stdout.isatty() else None) + "\n")
        return EXIT_OK
    from wizard.render.demo import demo as demo_lines
    from wizard.render.lines import write

    write(demo_lines(result), args.no_color)
    return EXIT_OK
