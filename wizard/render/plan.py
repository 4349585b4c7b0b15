"""Provides the rendering of a plan's preview: every step, every path before → after, diffs, commands, root.

rich is imported by the functions that draw (``plan --json`` never loads it).
"""

from __future__ import annotations

from wizard.system import Effect, Stat, is_stand_in

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from rich.console import RenderableType

    from wizard.executor import Outcome
    from wizard.plan import Plan

MAX_PATHS = 6


def namer(stand_ins: dict[int, str]) -> Callable[[int, bool], str]:
    """uid/gid → name, including the accounts a dry run would create."""

    def name(ident: int, user: bool) -> str:
        if ident in stand_ins:
            return stand_ins[ident]
        if is_stand_in(ident):
            return "(new)"
        try:
            if user:
                import pwd

                return pwd.getpwuid(ident).pw_name
            import grp

            return grp.getgrgid(ident).gr_name
        except (KeyError, ImportError):
            return str(ident)

    return name


def label(st: Stat | None, names: Callable[[int, bool], str]) -> str:
    return st.label(names) if st is not None else "?"


def diff(effect: Effect) -> str:
    old = (effect.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
    new = (effect.new or b"").decode("utf-8", "replace").splitlines(keepends=True)
    before = effect.path if effect.before and effect.before.exists else "/dev/null"
    import difflib

    return "".join(difflib.unified_diff(old, new, before, effect.path))


def effect_lines(effects: list[Effect], names: Callable[[int, bool], str]) -> list[RenderableType]:
    """What one step changes: paths with owner/mode before → after (the first few, then a count), diffs, commands."""
    from rich.text import Text

    out: list[RenderableType] = []
    meta = [e for e in effects if e.kind in ("chown", "chmod", "mkdir", "unlink", "rmtree")]
    for e in meta[:MAX_PATHS]:
        entry = Text(f"{e.path}  ")
        entry.append(label(e.before, names), style="dim")
        entry.append(" → ")
        entry.append(label(e.after, names), style="bold")
        out.append(entry)
    if len(meta) > MAX_PATHS:
        changes = {(label(e.before, names), label(e.after, names)) for e in meta[MAX_PATHS:]}
        summary = "; ".join(f"{a} → {b}" for a, b in sorted(changes)[:3])
        out.append(Text(f"… and {len(meta) - MAX_PATHS} more entries ({summary})", style="dim"))
    for e in effects:
        if e.kind == "write":
            out.append(Text(f"{e.path}  {label(e.before, names)} → {label(e.after, names)}"))
            shown = Text()
            for row in diff(e).splitlines():
                style = "green" if row.startswith("+") else "red" if row.startswith("-") else "dim"
                shown.append(row + "\n", style=style)
            out.append(shown)
    return out


def preview(plan: Plan, outcome: Outcome, stand_ins: dict[int, str]) -> RenderableType:
    """The whole preview for people."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    names = namer(stand_ins)
    head = Text(f"Plan: {plan.approach} for {plan.interpreter}", style="bold")
    head.append(f" (for {plan.human})", style="dim")
    parts: list[RenderableType] = [head]
    if plan.reverts:
        parts.append(Text(f"Switching from {plan.reverts}: its changes are reverted first.", style="yellow"))
    for note in plan.notes:
        style = "bold red" if note.startswith("DANGER") else "dim" if "already set up" not in note else "green"
        parts.append(Text(f"• {note}", style=style))
    parts.append(Text(""))
    for i, (step, effects) in enumerate(zip(plan.steps, outcome.per_step, strict=False), 1):
        title = Text(f"{i:2}. ")
        title.append("[root] " if step.needs_root else "[you]  ", style="bold red" if step.needs_root else "cyan")
        title.append(step.describe(), style="bold")
        body: list[RenderableType] = effect_lines(effects, names)
        if step.changes():
            body.append(Text.assemble(("$ ", "dim"), (step.command(), "cyan")))
        else:
            body.append(Text.assemble(("$ ", "dim"), (step.command(), "cyan"), ("  (changes nothing)", "dim")))
        info = Text(f"why: {step.why}" if step.why else "", style="dim")
        if step.changes():
            info.append(f"    undo: {step.undo()}", style="dim")
        body.append(info)
        parts.append(Group(title, Padding(Group(*body), (0, 0, 1, 5))))
    for note in outcome.notes:
        parts.append(Text(f"• {note}", style="yellow"))
    changes = plan.changes
    root = sum(1 for s in changes if s.needs_root)
    if changes:
        parts.append(
            Text(f"{len(changes)} change(s), {root} of them as root; nothing has been changed yet.", style="bold")
        )
    return Group(*parts)


def preview_dict(plan: Plan, outcome: Outcome, stand_ins: dict[int, str]) -> dict[str, Any]:
    """The preview as JSON (``plan --json``)."""
    names = namer(stand_ins)
    steps = []
    for step, effects in zip(plan.steps, outcome.per_step, strict=False):
        steps.append(
            {
                **step.to_dict(),
                "description": step.describe(),
                "command": step.command(),
                "needs_root": step.needs_root,
                "changes": step.changes(),
                "undo": step.undo(),
                "effects": [
                    {
                        "kind": e.kind,
                        "path": e.path,
                        "before": label(e.before, names) if e.before else None,
                        "after": label(e.after, names) if e.after else None,
                        "diff": diff(e) if e.kind == "write" else None,
                        "argv": list(e.argv) or None,
                        "as": e.user,
                    }
                    for e in effects
                ],
            }
        )
    return {
        "schema": 1,
        "plan": plan.to_dict(),
        "steps": steps,
        "notes": list(outcome.notes),
        "fingerprints": outcome.fingerprints,
    }
