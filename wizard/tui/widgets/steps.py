"""Provides the step indicator: the eight steps in order, the current one marked; pick one to go there."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

STEPS: tuple[tuple[str, str], ...] = (
    ("welcome", "Welcome"),
    ("machine", "Your machine"),
    ("approaches", "The four approaches"),
    ("fits", "Which fits you"),
    ("customize", "Customize"),
    ("preview", "Preview"),
    ("apply", "Apply"),
    ("done", "Done"),
)
NAMES = tuple(name for name, _ in STEPS)


class StepList(OptionList):
    """The sidebar: one line per step, numbered, the current one highlighted."""

    def __init__(self, current: str) -> None:
        self.current = current
        options = [
            Option(f"{i}. {title}" if name != current else f"▸ {i}. {title}", id=name)
            for i, (name, title) in enumerate(STEPS, 1)
        ]
        super().__init__(*options, id="steps")

    def on_mount(self) -> None:
        self.highlighted = NAMES.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != self.current:
            self.app.go(event.option.id)  # type: ignore[attr-defined]
