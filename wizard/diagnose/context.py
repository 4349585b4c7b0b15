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
    # Where a directory is a symlink (or lies under one), the real directory is what Python reads.
    dirs += [real.path for real in (state.real_info(d) for d in dirs) if real is not None]
    return list(dict.fromkeys(dirs))


def target_dirs(interp: Interpreter, state: MachineState) -> set[str]:
    """pip's install directories, by the names pip uses and by their real paths."""
    reals = (state.real_info(t) for t in interp.pip_target)
    return {*interp.pip_target, *(r.path for r in reals if r is not None)}


def severity_of(writers: tuple[Writer, ...]) -> Severity:
    """Danger when a person (or anyone) can write, or a non-root owner; a warning for the rest (groups of
    service accounts, groups nobody is in, ACLs to check)."""
    for w in writers:
        if w.kind in ("everyone", "owner") or (w.kind == "group" and w.owner_kind is OwnerKind.HUMAN):
            return Severity.DANGER
    return Severity.WARNING


def restore_command(info: PathInfo, writers: tuple[Writer, ...], recursive: bool, group: str) -> str:
    """The shell command that makes ``info.path`` root's and not writable by others.

    For a whole tree it uses ``find`` the way the wizard itself changes trees: never following links
    (``find`` does not by default, ``chown -h`` changes a link itself), staying on one file system
    (``-xdev``), and leaving files with several hard links alone (``-links 1``).
    """
    path = q(info.path)
    parts = []
    owner = any(w.kind == "owner" for w in writers)
    perms = any(w.kind in ("group", "everyone") for w in writers)
    if recursive:
        if owner:
            parts.append(
                f"sudo find {path} -xdev \\( -type d -o -links 1 \\) \\( ! -user root -o ! -group {group} \\) "
                f"-exec chown -h root:{group} {{}} +"
            )
        if perms or owner:
            parts.append(f"sudo find {path} -xdev ! -type l -perm /022 -exec chmod go-w {{}} +")
    else:
        if owner:
            parts.append(f"sudo chown -h root:{group} {path}")
        if perms or owner:
            parts.append(f"sudo chmod go-w {path}")
    if any(w.kind == "acl" for w in writers):
        parts.append(f"getfacl -p {path}  # then, if needed: sudo setfacl -b {path}")
    return " && ".join(parts)


def describe_writers(writers: tuple[Writer, ...]) -> str:
    return ", ".join(w.describe() for w in writers)


def writer_evidence(info: PathInfo, writers: tuple[Writer, ...]) -> tuple[str, ...]:
    """One evidence line per writer: ``/path is owner:group mode; writable by ...``."""
    return tuple(f"{info.path} is {info.owner_label}; writable by {w.describe()}" for w in writers)


def name_list(names: tuple[str, ...], most: int = 12) -> str:
    """``a, b, c …``: at most ``most`` names."""
    return ", ".join(names[:most]) + (" …" if len(names) > most else "")
