"""Provides machine-wide facts: OS and distribution, the user, environment, tools, venvs and command lookup."""

from __future__ import annotations

import os
import re
import sys

from wizard.detect.discover import Discovery, which_all
from wizard.model import Platform, Resolution, UserInfo, Venv

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from wizard.detect.fsinfo import Accounts

ENV_KEYS = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONUSERBASE",
    "PYTHONNOUSERSITE",
    "PYTHONSTARTUP",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "PYENV_VERSION",
    "PYENV_ROOT",
    "WORKON_HOME",
    "SUDO_USER",
    "UV_PYTHON_INSTALL_DIR",
)
TOOLS = ("pipx", "uv", "pyenv", "conda", "brew", "apt-get", "dnf", "visudo", "useradd")
LENS_COMMANDS = ("python3", "python", "pip3", "pip")
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
MAX_VENVS = 200


def redact(value: str) -> str:
    """Hides credentials in URLs (``https://user:token@host`` → ``https://***@host``): reports get shared."""
    return _URL_CREDENTIALS.sub("***@", value)


def read_os_release(path: str = "/etc/os-release") -> dict[str, str]:
    """The ``KEY=value`` pairs of os-release(5)."""
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, sep, value = line.strip().partition("=")
                if sep and key and not key.startswith("#"):
                    out[key] = value.strip().strip('"').strip("'")
    except OSError:
        pass
    return out


def platform_info() -> Platform:
    """The operating system (``sys.platform`` family) and, on Linux, the distribution."""
    system = "linux" if sys.platform.startswith("linux") else sys.platform
    try:
        uname = os.uname()
        release, machine = uname.release, uname.machine
    except AttributeError:  # pragma: no cover - Windows has no uname
        release = machine = ""
    rel = read_os_release() if system == "linux" else {}
    if not rel and system == "linux":
        rel = read_os_release("/usr/lib/os-release")
    return Platform(
        system=system,
        release=release,
        machine=machine,
        distro_id=rel.get("ID", ""),
        distro_name=rel.get("PRETTY_NAME", rel.get("NAME", "")),
        distro_version=rel.get("VERSION_ID", ""),
        distro_like=tuple(rel.get("ID_LIKE", "").split()),
    )


def user_info(env: Mapping[str, str]) -> UserInfo:
    """Who runs the wizard; under sudo, the human is ``SUDO_USER``."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    euid = os.geteuid() if hasattr(os, "geteuid") else 0
    try:
        import pwd

        me = pwd.getpwuid(euid)
        name, home = me.pw_name, me.pw_dir
    except (ImportError, KeyError):
        name, home = env.get("USER") or env.get("USERNAME") or str(euid), os.path.expanduser("~")
    sudo_user = env.get("SUDO_USER") if euid == 0 and env.get("SUDO_USER") not in (None, "", "root") else None
    human, human_uid, human_home = name, euid, home
    if sudo_user:
        try:
            import pwd

            pw = pwd.getpwnam(sudo_user)
            human, human_uid, human_home = pw.pw_name, pw.pw_uid, pw.pw_dir
        except (ImportError, KeyError):
            sudo_user = None
    return UserInfo(
        name=name,
        uid=uid,
        euid=euid,
        home=home,
        human=human,
        human_uid=human_uid,
        human_home=human_home,
        sudo_user=sudo_user,
    )


def environment(env: Mapping[str, str]) -> dict[str, str]:
    """The variables that change what Python and pip do (credentials in URLs hidden)."""
    keys = sorted(k for k in env if k in ENV_KEYS or k.startswith("PIP_"))
    return {k: redact(env[k]) for k in keys}


def tools(path_dirs: Sequence[str]) -> dict[str, str]:
    """Where the related tools are on PATH (pipx, uv, pyenv, ...)."""
    out = {}
    for name in TOOLS:
        hits = which_all(name, path_dirs) or which_all(name, ["/usr/sbin", "/sbin"])
        if hits:
            out[name] = hits[0]
    return out


def read_pyvenv_cfg(root: str) -> dict[str, str]:
    """The ``key = value`` lines of a venv's ``pyvenv.cfg``."""
    out: dict[str, str] = {}
    try:
        with open(os.path.join(root, "pyvenv.cfg"), encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, sep, value = line.partition("=")
                if sep:
                    out[key.strip().lower()] = value.strip()
    except OSError:
        pass
    return out


def venv_places(home: str, env: Mapping[str, str]) -> list[str]:
    """Directories whose subdirectories are commonly venvs."""
    return [
        os.path.join(home, ".venvs"),
        env.get("WORKON_HOME") or os.path.join(home, ".virtualenvs"),
        os.path.join(home, ".local", "share", "virtualenvs"),
        os.path.join(home, ".local", "pipx", "venvs"),
        os.path.join(home, ".local", "share", "pipx", "venvs"),
    ]


def find_venvs(home: str, env: Mapping[str, str], cwd: str, accounts: Accounts) -> list[Venv]:
    """Virtual environments in the usual places, read from ``pyvenv.cfg`` (never run)."""
    roots: list[str] = []
    for place in venv_places(home, env):
        try:
            roots += [os.path.join(place, n) for n in sorted(os.listdir(place))]
        except OSError:
            continue
    roots += [os.path.join(cwd, ".venv"), os.path.join(cwd, "venv"), os.path.join(home, ".venv")]
    if env.get("VIRTUAL_ENV"):
        roots.append(env["VIRTUAL_ENV"])
    out: list[Venv] = []
    seen: set[str] = set()
    for root in roots:
        real = os.path.realpath(root)
        if real in seen or not os.path.isfile(os.path.join(root, "pyvenv.cfg")):
            continue
        seen.add(real)
        cfg = read_pyvenv_cfg(root)
        try:
            owner = accounts.name(os.lstat(root).st_uid)
        except OSError:
            owner = None
        out.append(
            Venv(
                root,
                cfg.get("home"),
                cfg.get("version") or cfg.get("version_info"),
                cfg.get("include-system-site-packages", "false").lower() == "true",
                owner,
            )
        )
        if len(out) >= MAX_VENVS:
            break
    return out


def shebang_interpreter(script: str, dirs: Sequence[str]) -> str | None:
    """The interpreter a script's ``#!`` line runs (``env`` lookups and pip's ``/bin/sh`` trampoline too)."""
    try:
        with open(script, "rb") as fh:
            head = fh.read(1024).decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    if not head or not head[0].startswith("#!"):
        return None
    words = head[0][2:].split()
    if not words:
        return None
    if os.path.basename(words[0]) == "env" and len(words) > 1:
        hits = which_all(words[-1], dirs)
        return hits[0] if hits else None
    if os.path.basename(words[0]) == "sh" and len(head) > 1:
        # pip writes `#!/bin/sh` + `'''exec' "/long/path/python" "$0" "$@"` when the path is too long.
        m = re.match(r"""'''exec' "?([^" ]+)"?""", head[1])
        return m.group(1) if m else None
    return words[0]


def resolve_command(command: str, dirs: Sequence[str], discovery: Discovery) -> Resolution:
    """What ``command`` runs when looked up along ``dirs``; for pip, the Python it runs with."""
    hits = which_all(command, dirs)
    if not hits:
        return Resolution(command, note="not found")
    real, shim, note = discovery.resolve(hits[0], dirs)
    if real is None:
        return Resolution(command, hits[0], note=note)
    if command.startswith("pip"):
        interpreter = shebang_interpreter(real, dirs)
        if interpreter and not os.path.isabs(interpreter):
            interpreter = None
        if interpreter:
            found, _shim, _note = discovery.resolve(interpreter, dirs)
            interpreter = found or interpreter
    else:
        interpreter = real
    return Resolution(command, hits[0], os.path.realpath(real), interpreter, via=note if shim else None)


def resolve_all(dirs: Sequence[str], discovery: Discovery) -> tuple[Resolution, ...]:
    """:func:`resolve_command` for python3, python, pip3 and pip."""
    return tuple(resolve_command(c, dirs, discovery) for c in LENS_COMMANDS)
