"""Provides the rich rendering of a recommendation: the approach, the runner-up, the reasons with links."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from wizard import texts
from wizard.recommend import Reason, Recommendation


def _title(ident: str) -> str:
    a = texts.approaches()[ident]
    return f"({a.number}) {ident}: {a.title.replace('`', '')}"


def _reasons(reasons: tuple[Reason, ...]) -> RenderableType:
    lines = Text()
    for i, reason in enumerate(reasons):
        if i:
            lines.append("\n")
        lines.append("• ")
        lines.append(reason.text)
        if reason.links:
            lines.append(f"  [{', '.join(reason.links)}]", style="dim")
    return Padding(lines, (0, 0, 0, 2))


def recommendation(rec: Recommendation) -> RenderableType:
    """The recommendation for people."""
    parts: list[RenderableType] = [
        Text.assemble(("Recommended: ", "bold"), (_title(rec.approach), "bold green")),
        _reasons(rec.reasons),
        Text(""),
    ]
    if rec.runner_up:
        parts += [
            Text.assemble(("Runner-up: ", "bold"), (_title(rec.runner_up), "bold")),
            _reasons(rec.runner_up_reasons),
            Text(""),
        ]
    if rec.alternatives:
        parts.append(Text("Also consider", style="bold"))
        for alt in rec.alternatives:
            line = Text(f"• {alt.tool}: ", style="bold")
            line.append(alt.text, style="")
            if alt.command:
                line.append("\n  $ ", style="dim")
                line.append(alt.command, style="bold cyan")
            parts.append(Padding(line, (0, 0, 0, 2)))
        parts.append(Text(""))
    parts.append(
        Text(
            f"The bracketed names are risks and benefits explained in `pip-setup-wizard learn "
            f"{rec.approach}`" + (f" and `learn {rec.runner_up}`" if rec.runner_up else "") + ".",
            style="dim",
        )
    )
    return Group(*parts)
