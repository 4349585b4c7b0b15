"""Provides what every finding rule may look at, and the helpers rules share (quoting, writers, fix commands)."""

from __future__ import annotations

import ntpath
import posixpath
import re
import shlex
from dataclasses import dataclass

from wizard.model import Interpreter, InterpreterView, LensRow, MachineState, OwnerKind, PathInfo, Severity, Writer


def q(path: str) -> str:
    """Shell-quotes a path for a fix command."""
    return shlex.quote(path)


@dataclass
class Context:
    """What every rule may look at."""

    state: MachineState
    views: dict[str, InterpreterView]
    you: Interpreter | None
    system: Interpreter | None
    lens: tuple[LensRow, ...]

    def view(self, interp: Interpreter) -> InterpreterView:
        """The derived view of ``interp``."""
        return self.views[interp.path]

    def relevant(self, interp: Interpreter) -> bool:
        """Interpreters worth a finding: root uses them, or they are python3/pip for someone, or asked for."""
        v = self.view(interp)
        return interp.ok and (v.used_by_root or bool(v.roles))

    def root_group(self) -> str:
        """The group a root-owned system directory normally has."""
        return "wheel" if self.state.platform.system == "darwin" else "root"


def parents_of(path: str) -> list[str]:
    mod = ntpath if re.match(r"^[A-Za-z]:\\", path) else posixpath
    out = []
    parent = mod.dirname(path)
    while parent and parent != path:
        out.append(parent)
        path, parent = parent, mod.dirname(parent)
    return out


def root_import_dirs(interp: Interpreter, state: MachineState) -> list[str]:
    """Directories Python imports from when root starts ``interp``."""
    dirs = [p for p in interp.sys_path if not p.endswith(".zip")]
    dirs += [*interp.site_packages, *interp.pip_target, *interp.pth_paths]
    if interp.paths.get("stdlib"):
        dirs.append(interp.paths["stdlib"])
    if state.user.is_root and interp.user_site and interp.user_site.enabled and interp.user_site.site:
        dirs.append(interp.user_site.site)
    return list(dict.fromkeys(dirs))


def severity_of(writers: tuple[Writer, ...]) -> Severity:
    sev = Severity.WARNING
    for w in writers:
        if w.kind == "everyone" or (w.kind == "owner" and w.owner_kind is not OwnerKind.SERVICE):
            return Severity.DANGER
        if w.kind == "group" and w.owner_kind is OwnerKind.HUMAN:
            return Severity.DANGER
        if w.kind == "owner" and w.owner_kind is OwnerKind.SERVICE:
            sev = Severity.DANGER
    return sev


def restore_command(info: PathInfo, writers: tuple[Writer, ...], recursive: bool, group: str) -> str:
    rec = "-R " if recursive else ""
    parts = []
    if any(w.kind == "owner" for w in writers):
        parts.append(f"sudo chown {rec}{'--no-dereference ' if recursive else ''}root:{group} {q(info.path)}")
    if any(w.kind == "group" for w in writers):
        parts.append(f"sudo chmod {rec}g-w {q(info.path)}")
    if any(w.kind == "everyone" for w in writers):
        parts.append(f"sudo chmod {rec}o-w {q(info.path)}")
    if any(w.kind == "acl" for w in writers):
        parts.append(f"getfacl {q(info.path)}  # then remove the entries with: sudo setfacl -b {q(info.path)}")
    return " && ".join(parts)


def describe_writers(writers: tuple[Writer, ...]) -> str:
    return ", ".join(w.describe() for w in writers)
