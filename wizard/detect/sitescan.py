"""Provides reading of site-packages directories: who owns what is inside, who installed it, startup hooks.

Files are read as text and never imported or executed: a ``.pth`` file's ``import`` lines are reported, not run.
"""

from __future__ import annotations

import os
import re

from wizard.model import PipInfo, StartupHook, TargetContents

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from wizard.detect.fsinfo import Accounts

MAX_ENTRIES = 5000
MAX_HOOK_LINE = 160
_DIST = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+?)\.(?P<kind>dist-info|egg-info)$")
_PIP_VERSION = re.compile(r"""__version__\s*=\s*["']([^"']+)["']""")
PIP_INSTALLERS = {"pip", "uv"}


def _listdir(path: str) -> list[str]:
    try:
        return sorted(os.listdir(path))[:MAX_ENTRIES]
    except OSError:
        return []


def _installer(dist_info: str) -> str | None:
    try:
        with open(os.path.join(dist_info, "INSTALLER"), encoding="utf-8", errors="replace") as fh:
            return fh.readline().strip() or None
    except OSError:
        return None


def target_contents(path: str, accounts: Accounts) -> TargetContents:
    """Owners of the top-level entries of ``path``, and which distributions pip (or uv) installed there."""
    names = _listdir(path)
    owners: dict[str, int] = {}
    pip_installed: list[str] = []
    other = 0
    for name in names:
        full = os.path.join(path, name)
        try:
            uid = os.lstat(full).st_uid
        except OSError:
            continue
        owner = accounts.name(uid)
        owners[owner] = owners.get(owner, 0) + 1
        m = _DIST.match(name)
        if m:
            if m.group("kind") == "dist-info" and _installer(full) in PIP_INSTALLERS:
                pip_installed.append(m.group("name"))
            else:
                other += 1
    return TargetContents(path, len(names), owners, tuple(pip_installed), other)


def installed_names(path: str) -> tuple[str, ...]:
    """Names of the distributions installed in ``path`` (from their metadata directories)."""
    out = []
    for name in _listdir(path):
        m = _DIST.match(name)
        if m:
            out.append(m.group("name"))
    return tuple(out)


def find_pip(dirs: Iterable[str]) -> PipInfo:
    """Where ``import pip`` would find pip along ``dirs`` (in import order), and its version."""
    for d in dirs:
        if not os.path.isfile(os.path.join(d, "pip", "__init__.py")):
            continue
        version = None
        for name in _listdir(d):
            m = _DIST.match(name)
            if m and m.group("name").lower() == "pip":
                version = m.group("version")
                break
        if version is None:
            try:
                with open(os.path.join(d, "pip", "__init__.py"), encoding="utf-8", errors="replace") as fh:
                    found = _PIP_VERSION.search(fh.read(4096))
                version = found.group(1) if found else None
            except OSError:
                pass
        return PipInfo(present=True, version=version, location=os.path.join(d, "pip"))
    return PipInfo(present=False)


def scan_pth(dirs: Sequence[str], accounts: Accounts) -> tuple[list[StartupHook], list[str]]:
    """``.pth`` files in ``dirs``: those with ``import`` lines (run at every start) and the paths they add.

    site.py executes a ``.pth`` line that starts with ``import`` followed by a space or tab, and adds any other
    non-comment line as a directory on ``sys.path`` if it exists.
    """
    hooks: list[StartupHook] = []
    added: list[str] = []
    for d in dirs:
        for name in _listdir(d):
            if not name.endswith(".pth"):
                continue
            full = os.path.join(d, name)
            try:
                with open(full, encoding="utf-8", errors="replace") as fh:
                    lines = fh.read(65536).splitlines()
                uid = os.lstat(full).st_uid
            except OSError:
                continue
            imports = []
            for line in lines:
                if line.startswith(("import ", "import\t")):
                    imports.append(line if len(line) <= MAX_HOOK_LINE else line[:MAX_HOOK_LINE] + "…")
                elif line.strip() and not line.startswith("#"):
                    extra = os.path.normpath(os.path.join(d, line.rstrip()))
                    if os.path.isdir(extra) and extra not in added:
                        added.append(extra)
            if imports:
                hooks.append(StartupHook(full, "pth", tuple(imports), accounts.name(uid), accounts.kind(uid)))
    return hooks, added


def scan_customize(dirs: Sequence[str], accounts: Accounts) -> list[StartupHook]:
    """``sitecustomize`` and ``usercustomize`` modules on the path (imported by site.py at every start)."""
    hooks = []
    for d in dirs:
        for mod in ("sitecustomize", "usercustomize"):
            for candidate in (os.path.join(d, mod + ".py"), os.path.join(d, mod, "__init__.py")):
                try:
                    uid = os.lstat(candidate).st_uid
                except OSError:
                    continue
                owner_kind = accounts.kind(uid)
                hooks.append(StartupHook(candidate, mod, (), accounts.name(uid), owner_kind))
    return hooks
