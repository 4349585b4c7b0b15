"""Provides the rendering of a plan's preview: every step, every path before → after, diffs, commands, root.

The preview is styled lines (``wizard.render.lines``): drawing it loads no UI library, which keeps ``plan`` close
to the cost of detection.
"""

from __future__ import annotations

from wizard.preview import diff, label, namer
from wizard.render.lines import Line, line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from wizard.executor import Outcome
    from wizard.plan import Plan
    from wizard.system import Effect

MAX_PATHS = 6


def effect_lines(
    effects: list[Effect], names: Callable[[int, bool], str], indent: int = 0, limit: int | None = MAX_PATHS
) -> list[Line]:
    """What one step changes: paths with owner/mode before → after (the first ``limit``, then a count; all when
    ``limit`` is None), diffs."""
    out: list[Line] = []
    meta = [e for e in effects if e.kind in ("chown", "chmod", "mkdir", "unlink", "rmtree")]
    limit = len(meta) if limit is None else limit
    for e in meta[:limit]:
        out.append(
            line(f"{e.path}  ", (label(e.before, names), "dim"), " → ", (label(e.after, names), "bold"), indent=indent)
        )
    if len(meta) > limit:
        changes = {(label(e.before, names), label(e.after, names)) for e in meta[limit:]}
        summary = "; ".join(f"{a} → {b}" for a, b in sorted(changes)[:3])
        more = f"… and {len(meta) - limit} more entries ({summary}; `plan --all` lists them)"
        out.append(line((more, "dim"), indent=indent))
    for e in effects:
        if e.kind == "write":
            out.append(line(f"{e.path}  {label(e.before, names)} → {label(e.after, names)}", indent=indent))
            for row in diff(e).splitlines():
                style = "green" if row.startswith("+") else "red" if row.startswith("-") else "dim"
                out.append(line((row, style), indent=indent))
    return out


def preview(plan: Plan, outcome: Outcome, stand_ins: dict[int, str], every_path: bool = False) -> list[Line]:
    """The whole preview for people, as styled lines (drawn by ``wizard.render.lines``)."""
    names = namer(stand_ins)
    parts: list[Line] = [
        line((f"Plan: {plan.approach} for {plan.interpreter}", "bold"), (f" (for {plan.human})", "dim"))
    ]
    if plan.reverts:
        parts.append(line((f"Switching from {plan.reverts}: its changes are reverted first.", "yellow")))
    for note in plan.notes:
        style = "bold red" if note.startswith("DANGER") else "dim" if "already set up" not in note else "green"
        parts.append(line((f"• {note}", style), hang=2))
    parts.append(line())
    for i, (step, effects) in enumerate(zip(plan.steps, outcome.per_step, strict=False), 1):
        parts.append(
            line(
                f"{i:2}. ",
                ("[root] ", "bold red") if step.needs_root else ("[you]  ", "cyan"),
                (step.describe(), "bold"),
                hang=11,
            )
        )
        parts.extend(effect_lines(effects, names, indent=5, limit=None if every_path else MAX_PATHS))
        command = [("$ ", "dim"), (step.command(), "cyan")]
        if not step.changes():
            command.append(("  (changes nothing)", "dim"))
        parts.append(line(*command, indent=5, hang=2))
        info = f"why: {step.why}" if step.why else ""
        if step.changes():
            info += f"    undo: {step.undo()}"
        parts.append(line((info, "dim"), indent=5))
        parts.append(line())
    for note in outcome.notes:
        parts.append(line((f"• {note}", "yellow"), hang=2))
    changes = plan.changes
    root = sum(1 for s in changes if s.needs_root)
    if changes:
        parts.append(line((f"{len(changes)} change(s), {root} of them as root; nothing has been changed yet.", "bold")))
    return parts
