"""Provides interpreter discovery: every Python on PATH, in the usual places and under sudo, shims resolved."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

PY_NAMES = ("python3", "python")
_PYENV_ROOT_IN_SHIM = re.compile(r'PYENV_ROOT="([^"\n]+)"')


@dataclass
class Candidate:
    """An interpreter path to probe, with how it was found."""

    path: str
    found_by: list[str] = field(default_factory=list)
    shim: str | None = None


def is_executable(path: str) -> bool:
    """True for an existing regular file (after links) we may execute."""
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _exe_names(name: str) -> list[str]:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        exts = os.environ.get("PATHEXT", ".EXE").split(os.pathsep)
        return [name + ext.lower() for ext in exts] + [name]
    return [name]


def which_all(name: str, dirs: Iterable[str]) -> list[str]:
    """Every executable called ``name`` along ``dirs``, in order (``which -a``)."""
    found: list[str] = []
    for d in dirs:
        if not d or not os.path.isabs(d):
            continue
        for exe in _exe_names(name):
            candidate = os.path.join(d, exe)
            if is_executable(candidate) and candidate not in found:
                found.append(candidate)
    return found


# --- pyenv --------------------------------------------------------------------------------------------------


def pyenv_shim_root(path: str) -> str | None:
    """The ``PYENV_ROOT`` a pyenv shim belongs to, or None if ``path`` is not a pyenv shim."""
    if os.path.basename(os.path.dirname(path)) != "shims":
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024).decode("utf-8", "replace")
    except OSError:
        return None
    if not head.startswith("#!") or "pyenv" not in head:
        return None
    match = _PYENV_ROOT_IN_SHIM.search(head)
    return match.group(1) if match else os.path.dirname(os.path.dirname(path))


def _read_version_file(path: str) -> list[str] | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            words = [w for line in fh for w in line.split("#", 1)[0].split()]
    except OSError:
        return None
    return words or None


def pyenv_selected_versions(root: str, env: Mapping[str, str], cwd: str) -> tuple[list[str], str]:
    """The versions pyenv would use, in pyenv's order of precedence, and where that choice came from."""
    if env.get("PYENV_VERSION"):
        return env["PYENV_VERSION"].split(":"), "PYENV_VERSION"
    directory = os.path.abspath(cwd)
    while True:
        found = _read_version_file(os.path.join(directory, ".python-version"))
        if found:
            return found, os.path.join(directory, ".python-version")
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    found = _read_version_file(os.path.join(root, "version"))
    if found:
        return found, os.path.join(root, "version")
    return ["system"], "default"


def _pyenv_version_dir(root: str, version: str) -> str | None:
    versions = os.path.join(root, "versions")
    exact = os.path.join(versions, version)
    if os.path.isdir(exact):
        return exact
    # pyenv accepts a prefix such as "3.11" and picks the newest installed match.
    try:
        names = [n for n in os.listdir(versions) if n.startswith(version + ".")]
    except OSError:
        return None
    if not names:
        return None

    def key(name: str) -> list[int]:
        return [int(p) if p.isdigit() else -1 for p in re.split(r"[.\-]", name)]

    return os.path.join(versions, max(names, key=key))


def resolve_pyenv_shim(
    shim: str, root: str, env: Mapping[str, str], cwd: str, path_dirs: Sequence[str]
) -> tuple[str | None, str]:
    """Resolves a pyenv shim the way ``pyenv which`` would, without running pyenv (saves ~65 ms a call).

    Returns the real executable (or None) and a note saying how it was chosen.
    """
    command = os.path.basename(shim)
    versions, source = pyenv_selected_versions(root, env, cwd)
    shims_dir = os.path.dirname(shim)
    for version in versions:
        if version == "system":
            rest = [
                d
                for d in path_dirs
                if os.path.realpath(d) != os.path.realpath(shims_dir) and not d.startswith(root + os.sep)
            ]
            hits = which_all(command, rest)
            if hits:
                return hits[0], f"pyenv shim, version 'system' (from {source})"
            continue
        vdir = _pyenv_version_dir(root, version)
        if vdir is None:
            continue
        exe = os.path.join(vdir, "bin", command)
        if is_executable(exe):
            return exe, f"pyenv shim, version {os.path.basename(vdir)} (from {source})"
    return None, f"pyenv shim: no selected version ({', '.join(versions)}, from {source}) provides {command}"


def pyenv_interpreters(root: str) -> list[str]:
    """Every interpreter installed under a pyenv root."""
    out: list[str] = []
    versions = os.path.join(root, "versions")
    try:
        names = sorted(os.listdir(versions))
    except OSError:
        return out
    for name in names:
        for exe in ("python3", "python"):
            path = os.path.join(versions, name, "bin", exe)
            if is_executable(path):
                out.append(path)
                break
    return out


# --- other managers -----------------------------------------------------------------------------------------


def _bin_python(prefix: str) -> str | None:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        names = [os.path.join(prefix, "python.exe")]
    else:
        names = [os.path.join(prefix, "bin", n) for n in PY_NAMES]
    for name in names:
        if is_executable(name):
            return name
    return None


def conda_interpreters(home: str, env: Mapping[str, str]) -> list[str]:
    """Base and environment interpreters of conda, miniconda, miniforge and anaconda installs."""
    bases: list[str] = []
    if env.get("CONDA_EXE"):
        bases.append(os.path.dirname(os.path.dirname(env["CONDA_EXE"])))
    for name in ("miniconda3", "anaconda3", "miniforge3", "mambaforge"):
        bases.append(os.path.join(home, name))
        bases.append(os.path.join("/opt", name))
    bases.append("/opt/conda")
    prefixes: list[str] = []
    for base in bases:
        if os.path.isdir(os.path.join(base, "conda-meta")):
            prefixes.append(base)
            try:
                prefixes += [os.path.join(base, "envs", e) for e in sorted(os.listdir(os.path.join(base, "envs")))]
            except OSError:
                pass
    if env.get("CONDA_PREFIX"):
        prefixes.append(env["CONDA_PREFIX"])
    listed = _read_version_file(os.path.join(home, ".conda", "environments.txt")) or []
    prefixes += listed
    out: list[str] = []
    for prefix in prefixes:
        exe = _bin_python(prefix)
        if exe and exe not in out:
            out.append(exe)
    return out


def homebrew_interpreters(home: str, env: Mapping[str, str]) -> list[str]:
    """Homebrew's Pythons (Apple silicon, Intel and Linux prefixes)."""
    prefixes = [
        env.get("HOMEBREW_PREFIX", ""),
        "/opt/homebrew",
        "/home/linuxbrew/.linuxbrew",
        os.path.join(home, ".linuxbrew"),
    ]
    if sys.platform == "darwin":
        prefixes.append("/usr/local")
    out: list[str] = []
    for prefix in prefixes:
        if not prefix or not os.path.isdir(os.path.join(prefix, "Cellar")):
            continue
        exe = _bin_python(prefix)
        if exe:
            out.append(exe)
        try:
            opts = sorted(n for n in os.listdir(os.path.join(prefix, "opt")) if n.startswith("python@"))
        except OSError:
            opts = []
        for name in opts:
            exe = _bin_python(os.path.join(prefix, "opt", name))
            if exe and exe not in out:
                out.append(exe)
    return out


def uv_interpreters(home: str, env: Mapping[str, str]) -> list[str]:
    """Pythons installed by ``uv python install``."""
    if env.get("UV_PYTHON_INSTALL_DIR"):
        root = env["UV_PYTHON_INSTALL_DIR"]
    elif sys.platform == "win32":  # pragma: no cover - Windows only
        root = os.path.join(env.get("APPDATA", ""), "uv", "python")
    else:
        data = env.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
        root = os.path.join(data, "uv", "python")
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    out = []
    for name in names:
        exe = _bin_python(os.path.join(root, name))
        if exe:
            out.append(exe)
    return out


def python_org_interpreters() -> list[str]:
    """python.org installers' framework builds on macOS."""
    if sys.platform != "darwin":
        return []
    root = "/Library/Frameworks/Python.framework/Versions"
    try:
        names = sorted(n for n in os.listdir(root) if n[:1].isdigit())
    except OSError:
        return []
    return [p for p in (os.path.join(root, n, "bin", "python3") for n in names) if is_executable(p)]


# --- putting it together ------------------------------------------------------------------------------------


def venv_root_of(path: str) -> str | None:
    """The virtual environment an interpreter path belongs to (its ``pyvenv.cfg``), if any."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(path)))
    return root if os.path.isfile(os.path.join(root, "pyvenv.cfg")) else None


def identity(path: str) -> str:
    """What makes two interpreter paths the same interpreter: the real binary, and the venv if any.

    A venv's ``bin/python`` is a link to its base interpreter, yet it is a different environment.
    """
    venv = venv_root_of(path)
    real = os.path.realpath(path)
    return f"{real}|{os.path.realpath(venv)}" if venv else real


class Discovery:
    """Collects candidates, resolving shims and merging those that are the same interpreter."""

    def __init__(self, env: Mapping[str, str], cwd: str, path_dirs: Sequence[str]) -> None:
        self.env = env
        self.cwd = cwd
        self.path_dirs = list(path_dirs)
        self.candidates: dict[str, Candidate] = {}
        self.unresolved: list[tuple[str, str]] = []

    def resolve(self, path: str, dirs: Sequence[str] | None = None) -> tuple[str | None, str | None, str | None]:
        """Follows a pyenv shim to its real executable: returns (path, shim, note)."""
        root = pyenv_shim_root(path)
        if root is None:
            return path, None, None
        real, note = resolve_pyenv_shim(path, root, self.env, self.cwd, dirs if dirs is not None else self.path_dirs)
        return real, path, note

    def add(self, path: str, how: str, dirs: Sequence[str] | None = None) -> str | None:
        """Adds ``path`` (a shim is resolved first); returns the identity key, or None if unresolvable."""
        path = os.path.abspath(path)
        real, shim, note = self.resolve(path, dirs)
        if real is None:
            self.unresolved.append((path, note or "not resolvable"))
            return None
        key = identity(real)
        cand = self.candidates.get(key)
        if cand is None:
            cand = self.candidates[key] = Candidate(real, shim=shim)
        if how not in cand.found_by:
            cand.found_by.append(how)
        if shim and cand.shim is None:
            cand.shim = shim
        return key

    def add_many(self, paths: Iterable[str], how: str) -> None:
        """Adds each of ``paths`` with the same reason."""
        for p in paths:
            self.add(p, how)


def discover(
    env: Mapping[str, str],
    cwd: str,
    home: str,
    path_dirs: Sequence[str],
    secure_path: Sequence[str] | None,
    extra: Sequence[str],
) -> Discovery:
    """Finds every interpreter worth reporting.

    Args:
        env: the environment to read PATH-like settings from (PYENV_VERSION, CONDA_PREFIX, ...).
        cwd: the working directory (pyenv's ``.python-version`` lookup).
        home: the home directory of the person the report is for.
        path_dirs: the PATH directories, in order.
        secure_path: sudo's ``secure_path``, if known.
        extra: ``--python`` paths given on the command line (reported even if they are not interpreters).
    """
    found = Discovery(env, cwd, path_dirs)
    for name in PY_NAMES:
        found.add_many(which_all(name, path_dirs), "PATH")
    if sys.platform != "win32":
        for fixed in ("/usr/bin/python3", "/usr/local/bin/python3"):
            if is_executable(fixed):
                found.add(fixed, "system")
    if secure_path:
        for name in PY_NAMES:
            for hit in which_all(name, secure_path)[:1]:
                found.add(hit, "sudo", secure_path)
    roots = {env.get("PYENV_ROOT") or os.path.join(home, ".pyenv")}
    roots.update(r for r in (pyenv_shim_root(c.shim) for c in found.candidates.values() if c.shim) if r)
    for root in sorted(roots):
        found.add_many(pyenv_interpreters(root), "pyenv")
    found.add_many(conda_interpreters(home, env), "conda")
    found.add_many(homebrew_interpreters(home, env), "homebrew")
    found.add_many(uv_interpreters(home, env), "uv")
    found.add_many(python_org_interpreters(), "python.org")
    for path in extra:
        found.add(path, "--python")
    return found
