"""Provides the recommendation questionnaire as questionary prompts (only the questions not yet answered)."""

from __future__ import annotations

import questionary

from wizard.recommend import QUESTIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def ask(known: Mapping[str, object], defaults: Mapping[str, object], **prompt_kwargs: Any) -> dict[str, object]:
    """Asks every question missing from ``known``; Ctrl-C raises KeyboardInterrupt.

    ``prompt_kwargs`` go to each prompt (tests pass prompt_toolkit's pipe ``input`` and a dummy ``output``).
    """
    answers: dict[str, object] = dict(known)
    for q in QUESTIONS:
        if q.id in answers:
            continue
        default = defaults.get(q.id)
        if isinstance(default, bool):
            default = "yes" if default else "no"
        choices = [questionary.Choice(title=label, value=value) for value, label in q.choices]
        picked = questionary.select(
            q.prompt,
            choices=choices,
            default=next((c for c in choices if c.value == default), None),
            instruction=f"({q.help})",
            **prompt_kwargs,
        ).unsafe_ask()
        answers[q.id] = picked
    return answers
