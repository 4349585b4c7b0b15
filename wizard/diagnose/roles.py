"""Provides what each interpreter is to the people on this machine: ``python3`` for you, under sudo, for root."""

from __future__ import annotations

from wizard.model import Interpreter, LensRow, MachineState, Resolution

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

# Interpreters installed under these prefixes are the operating system's: root's scripts and services use them.
SYSTEM_PREFIXES = ("/usr", "/usr/local")
SYSTEM_PREFIX_STARTS = ("/System/Library/Frameworks/", "/Library/Developer/CommandLineTools/", "C:\\Program Files\\")


def _command_target(resolutions: Sequence[Resolution] | None, commands: Sequence[str]) -> str | None:
    for res in resolutions or ():
        if res.command in commands and res.interpreter:
            return res.interpreter
    return None


def roles(interp: Interpreter, state: MachineState) -> tuple[str, ...]:
    """Labels such as ``python3 for you``, ``sudo pip``, ``system``, ``--python``."""
    out = []
    for res in state.for_you:
        if res.interpreter == interp.path:
            out.append(f"{res.command} for you")
    for res in state.under_sudo or ():
        if res.interpreter == interp.path:
            out.append(f"sudo {res.command}")
    if is_system(interp):
        out.append("system")
    if "--python" in interp.found_by:
        out.append("--python")
    if interp.wizard_own:
        out.append("this wizard's own environment")
    return tuple(out)


def is_system(interp: Interpreter) -> bool:
    """True for an operating-system interpreter (not a venv, installed under /usr or the OS's own prefix)."""
    if not interp.ok or interp.is_venv:
        return False
    base = interp.base_prefix or ""
    return base in SYSTEM_PREFIXES or base.startswith(SYSTEM_PREFIX_STARTS)


def root_use(interp: Interpreter, state: MachineState, labels: Sequence[str]) -> tuple[bool, tuple[str, ...]]:
    """Whether root runs this interpreter, and why we think so."""
    reasons = [f"`{label}` runs it" for label in labels if label.startswith("sudo ")]
    if state.user.is_root and any(label.endswith(" for you") for label in labels):
        reasons.append("it is first on root's own PATH")
    if is_system(interp):
        reasons.append(
            f"it is the operating system's interpreter (prefix {interp.base_prefix}), "
            "which system tools and root's scripts use"
        )
    return bool(reasons), tuple(reasons)


def you_python(state: MachineState) -> Interpreter | None:
    """The interpreter ``python3`` runs for you (or ``python``)."""
    target = _command_target(state.for_you, ("python3",)) or _command_target(state.for_you, ("python",))
    return state.interpreter(target) if target else None


def system_python(state: MachineState) -> Interpreter | None:
    """The interpreter the wizard would set up by default: ``sudo python3``, else /usr/bin/python3."""
    target = _command_target(state.under_sudo, ("python3",))
    if target and state.interpreter(target):
        return state.interpreter(target)
    for candidate in state.interpreters:
        if "system" in candidate.found_by and candidate.ok:
            return candidate
    return None


def _version_of(state: MachineState, res: Resolution | None) -> str | None:
    if res is None or not res.interpreter:
        return None
    interp = state.interpreter(res.interpreter)
    return interp.version if interp else None


def lens(state: MachineState) -> tuple[LensRow, ...]:
    """The sudo lens: each of python3, python, pip3 and pip for you and under sudo."""
    by_sudo = {r.command: r for r in state.under_sudo or ()}
    rows = []
    for mine in state.for_you:
        theirs = by_sudo.get(mine.command)
        same = None
        if theirs is not None and (mine.path or theirs.path):
            same = (mine.interpreter or mine.realpath) == (theirs.interpreter or theirs.realpath)
        rows.append(LensRow(mine.command, mine, theirs, _version_of(state, mine), _version_of(state, theirs), same))
    return tuple(rows)
