"""Provides the classification of the approach in effect for an interpreter, with its evidence.

The approaches differ in one question: who can write where pip installs (SPEC §1). So the answer comes from
the owners and writers of pip's target directories, what is inside them, and whether it is a venv.
"""

from __future__ import annotations

from wizard.model import Approach, ApproachInEffect, Interpreter, MachineState, OwnerKind, Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def kind_of(state: MachineState, name: str) -> OwnerKind:
    """The kind of the account called ``name`` (root, human, service) as detection recorded it."""
    for acct in state.accounts:
        if acct.name == name:
            return acct.kind
    return OwnerKind.ROOT if name == "root" else OwnerKind.UNKNOWN


def _who(writers: Sequence[Writer]) -> str:
    return ", ".join(w.describe() for w in writers)


def _pip_installed(interp: Interpreter, target: str) -> int:
    return sum(len(c.pip_installed) for c in interp.target_contents if c.path == target)


def _foreign_owners(state: MachineState, interp: Interpreter, target: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for contents in interp.target_contents:
        if contents.path == target:
            for name, count in contents.owners.items():
                if kind_of(state, name) is not OwnerKind.ROOT:
                    out[name] = out.get(name, 0) + count
    return out


def classify(interp: Interpreter, state: MachineState) -> ApproachInEffect | None:
    """The approach in effect for ``interp`` (None if it could not be inspected)."""
    if not interp.ok:
        return None
    if interp.is_venv:
        return ApproachInEffect(
            Approach.VIRTUALENV,
            (
                f"sys.prefix ({interp.prefix}) differs from sys.base_prefix ({interp.base_prefix}): "
                "a virtual environment, with its own site-packages",
            ),
        )
    # (target as pip names it, facts about the directory it really is: a symlink's target decides who can write)
    existing = []
    for t in interp.pip_target:
        info = state.real_info(t) or state.path_info(t)
        if info is not None and info.exists:
            existing.append((t, info))
    if not existing:
        return ApproachInEffect(
            Approach.NONE,
            tuple(f"pip's target {t} does not exist yet, so nothing was installed there" for t in interp.pip_target),
        )

    evidence: list[str] = []
    principals: dict[str, Writer] = {}
    writer_sets = []
    foreign_all: dict[str, int] = {}
    for target, info in existing:
        if info.path != target:
            evidence.append(f"{target} is a symbolic link to {info.path}")
        # A writable group nobody is in grants nothing today; findings still mention it.
        writers = tuple(w for w in info.writers if w.kind != "acl" and not (w.kind == "group" and not w.members))
        writer_sets.append(frozenset((w.kind, w.name) for w in writers))
        for w in writers:
            principals[f"{w.kind}:{w.name}"] = w
        foreign = _foreign_owners(state, interp, target)
        for name, count in foreign.items():
            foreign_all[name] = foreign_all.get(name, 0) + count
        line = f"{info.path} is {info.owner_label}"
        line += f"; writable by {_who(writers)}" if writers else "; only root can write to it"
        if any(w.kind == "acl" for w in info.writers):
            line += "; it also has POSIX ACL entries (check them with getfacl)"
        evidence.append(line)
        count = _pip_installed(interp, target)
        if count:
            evidence.append(f"pip installed {count} distribution{'s' if count != 1 else ''} in {info.path}")
        if foreign:
            evidence.append(
                f"entries inside {info.path} belong to " + ", ".join(f"{n} ({c})" for n, c in sorted(foreign.items()))
            )

    if not principals:
        if foreign_all:
            evidence.append(
                "root owns the directory, but others own things inside it: "
                "installed by someone other than root, or ownership changed by hand"
            )
            return ApproachInEffect(Approach.MIXED, tuple(evidence))
        if any(_pip_installed(interp, t) for t, _info in existing):
            evidence.append("so packages were installed by root: `sudo pip` (approach 1)")
            return ApproachInEffect(Approach.SUDO_PIP, tuple(evidence))
        evidence.append("pip has not installed anything there yet")
        return ApproachInEffect(Approach.NONE, tuple(evidence))

    if len(set(writer_sets)) > 1:
        evidence.append("pip's target directories have different writers")
        return ApproachInEffect(Approach.MIXED, tuple(evidence))
    writer_names = {w.name for w in principals.values() if w.kind == "owner"}
    writer_names |= {m for w in principals.values() if w.kind == "group" for m in w.members}
    strangers = sorted(n for n in foreign_all if n not in writer_names)
    if strangers:
        evidence.append(f"{', '.join(strangers)} own(s) entries but cannot write the directory")
        return ApproachInEffect(Approach.MIXED, tuple(evidence))
    kinds = {w.owner_kind for w in principals.values()}
    if kinds == {OwnerKind.SERVICE}:
        evidence.append("a service account (no login) owns it, so pip runs as that user: approach 2")
        return ApproachInEffect(Approach.PIP_USER, tuple(evidence))
    if OwnerKind.SERVICE in kinds and len(kinds) > 1:
        evidence.append("both a service account and people can write there")
        return ApproachInEffect(Approach.MIXED, tuple(evidence))
    evidence.append("people can write there without sudo, and so can every program they run: approach 3")
    return ApproachInEffect(Approach.OWN_SITE, tuple(evidence))
