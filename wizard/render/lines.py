"""Provides styled lines: a tiny, library-free form of text for outputs that are only lines (the plan preview).

A ``Line`` is an indent, its segments ``(text, style)`` (styles named as rich names them: "bold red", "dim", ...)
and how much further its wrapped rows are indented (so a bullet's text lines up under its first word).
``write`` draws lines on a stream (ANSI colours on a terminal unless ``NO_COLOR``, wrapped to the width with
the indent kept), which costs nothing to import; ``to_rich`` turns them into rich ``Text`` for the full-screen
app, so both show the same words.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any, TextIO

    from rich.text import Text

Segment = tuple[str, str]
Line = tuple[int, tuple[Segment, ...], int]

_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


def line(*segments: Segment | str, indent: int = 0, hang: int = 0) -> Line:
    """A line from segments; a bare string is unstyled."""
    return indent, tuple(s if isinstance(s, tuple) else (s, "") for s in segments), hang


def plain(lines: Iterable[Line]) -> str:
    return "".join(" " * indent + "".join(text for text, _ in segs) + "\n" for indent, segs, _ in lines)


def sgr(style: str) -> str:
    codes = [_CODES[word] for word in style.split() if word in _CODES]
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def wants_color(stream: TextIO, no_color: bool) -> bool:
    """Colour as rich decides it: a terminal, not ``NO_COLOR``/``--no-color``, not a dumb terminal."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def width_of(stream: TextIO) -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 80


def breaks(text: str, first: int, later: int) -> list[tuple[int, int]]:
    """(start, end) of each row when ``text`` is wrapped at spaces into rows of at most ``first`` characters, then
    ``later`` characters; a word longer than a row is cut. Spaces at a break are dropped."""
    rows: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > (room := later if rows else first):
        cut = text.rfind(" ", start, start + room + 1)
        if cut <= start:
            rows.append((start, start + room))
            start += room
            continue
        rows.append((start, cut))
        start = cut
        while start < n and text[start] == " ":
            start += 1
    rows.append((start, n))
    return rows


def rows(lines: Iterable[Line], width: int) -> Iterable[list[Segment]]:
    """Each screen row: its segments (the indent included), wrapped to ``width`` with hanging indents."""
    for indent, segs, hang in lines:
        text = "".join(t for t, _ in segs)
        room = max(10, width - indent)
        spans: list[tuple[int, int, str]] = []
        at = 0
        for t, style in segs:
            spans.append((at, at + len(t), style))
            at += len(t)
        for n, (start, end) in enumerate(breaks(text, room, max(10, room - hang)) if text else [(0, 0)]):
            row: list[Segment] = [(" " * (indent + (hang if n else 0)), "")]
            for a, b, style in spans:
                lo, hi = max(a, start), min(b, end)
                if lo < hi:
                    row.append((text[lo:hi], style))
            yield row


def render(lines: Iterable[Line], width: int, color: bool) -> str:
    out: list[str] = []
    for row in rows(lines, width):
        parts = []
        for piece, style in row:
            code = sgr(style) if color else ""
            parts.append(f"{code}{piece}\x1b[0m" if code else piece)
        out.append("".join(parts).rstrip(" ") + "\n")
    return "".join(out)


def write(lines: Iterable[Line], no_color: bool = False, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    stream.write(render(lines, width_of(stream), wants_color(stream, no_color)))
    stream.flush()


class Rich:
    """The lines as a rich renderable (for the full-screen app): wrapped to the width it is given, hanging
    indents kept, the same words as on the command line."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self.lines = list(lines)

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.segment import Segment
        from rich.style import Style

        styles: dict[str, Style | None] = {}
        for row in rows(self.lines, options.max_width):
            for piece, style in row:
                if style not in styles:
                    styles[style] = Style.parse(style) if style else None
                yield Segment(piece, styles[style])
            yield Segment.line()

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        widest = max((ind + sum(len(t) for t, _ in segs) for ind, segs, _ in self.lines), default=0)
        return Measurement(min(20, widest), min(widest, options.max_width))


def to_rich(lines: Iterable[Line]) -> Text:
    """The same lines as one rich ``Text`` (for the full-screen app)."""
    from rich.text import Text

    text = Text()
    for indent, segs, _ in lines:
        text.append(" " * indent)
        for t, style in segs:
            text.append(t, style=style or None)
        text.append("\n")
    text.rstrip()
    return text
