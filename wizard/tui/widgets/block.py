"""Provides RichBlock: a rich renderable drawn once per width and kept as lines.

Textual draws a rich renderable in a Static again each time it lays the screen out or paints it; a table the size
of the comparison takes tens of milliseconds each time, which a key press that shows a step must not wait for.
RichBlock renders at the width it is laid out at (when a step is built ahead, while the person reads the one
before) and paints from those lines. Its colours are the renderable's own, as in a Static."""

from __future__ import annotations

from rich.console import RenderableType
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


class RichBlock(Widget):
    DEFAULT_CSS = """
    RichBlock {
        height: auto;
    }
    """

    def __init__(self, renderable: RenderableType = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._renderable = renderable
        self._lines: dict[tuple[int, Style], list[Strip]] = {}

    def update(self, renderable: RenderableType) -> None:
        self._renderable = renderable
        self._lines.clear()
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Strip]:
        base = self.rich_style  # the widget's colours under the renderable's own, as a Static draws it
        key = (width, base)
        if key not in self._lines:
            console = self.app.console
            options = console.options.update_width(width)
            rendered = console.render_lines(self._renderable, options, style=base, pad=True)
            self._lines[key] = [Strip(line, width) for line in rendered]
        return self._lines[key]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        lines = self.lines(self.content_size.width)
        return lines[y] if y < len(lines) else Strip.blank(self.content_size.width)
