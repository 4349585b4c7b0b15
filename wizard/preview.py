"""Provides the preview as data: names for owners (including accounts a dry run would create), before → after
labels, unified diffs, the ``plan --json`` document, and saving a plan (``plan --out``, ``apply --plan``)."""

from __future__ import annotations

import json
import os

from wizard.system import Stat, is_stand_in

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from wizard.executor import Outcome
    from wizard.plan import Plan
    from wizard.system import Effect


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


def save_plan(path: str, data: dict[str, Any]) -> None:
    """Writes a saved plan atomically, readable only by its owner."""
    save_text(path, json.dumps(data, indent=2))


def save_text(path: str, text: str) -> None:
    """Writes ``text`` to ``path`` atomically (temp file, fsync, rename), readable only by its owner."""
    from wizard.actions import temp_name

    path = os.path.abspath(path)
    tmp = temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
