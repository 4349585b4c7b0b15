"""Provides pip's configuration as pip would see it: every file it reads, and the PIP_* environment."""

from __future__ import annotations

import os
import stat
import sys

from wizard.model import PipConfigFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from wizard.detect.fsinfo import Accounts

# The settings that change how safe an install is (pip's option names, as in pip.conf).
RELEVANT = (
    "require-virtualenv",
    "break-system-packages",
    "only-binary",
    "prefer-binary",
    "require-hashes",
    "index-url",
    "extra-index-url",
    "trusted-host",
    "find-links",
    "user",
    "target",
    "prefix",
    "root-user-action",
)


def config_locations(env: Mapping[str, str], home: str) -> list[tuple[str, str]]:
    """(path, scope) of the global and user files pip reads, lowest precedence first (pip's own order)."""
    out: list[tuple[str, str]] = []
    if sys.platform == "win32":  # pragma: no cover - Windows only
        out.append((os.path.join(env.get("PROGRAMDATA", r"C:\ProgramData"), "pip", "pip.ini"), "global"))
        out.append((os.path.join(env.get("APPDATA", ""), "pip", "pip.ini"), "user"))
        return out
    if sys.platform == "darwin":
        out.append(("/Library/Application Support/pip/pip.conf", "global"))
    else:
        for d in (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":"):
            if d:
                out.append((os.path.join(d, "pip", "pip.conf"), "global"))
    out.append(("/etc/pip.conf", "global"))
    out.append((os.path.join(home, ".pip", "pip.conf"), "user"))
    if sys.platform == "darwin":
        out.append((os.path.join(home, "Library", "Application Support", "pip", "pip.conf"), "user"))
    xdg = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    out.append((os.path.join(xdg, "pip", "pip.conf"), "user"))
    return out


def _readable_by_all(path: str, mode: int) -> bool:
    if not mode & stat.S_IROTH:
        return False
    parent = os.path.dirname(path)
    while parent and parent != os.path.dirname(parent):
        try:
            if not os.stat(parent).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
        parent = os.path.dirname(parent)
    return True


def read_config(path: str, scope: str, accounts: Accounts) -> PipConfigFile:
    """Reads one pip config file; keys are ``section.option`` with pip's spelling (dashes, lower case)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return PipConfigFile(path, scope, exists=False)
    except OSError as exc:
        return PipConfigFile(path, scope, exists=False, error=exc.strerror or str(exc))
    mode = stat.S_IMODE(st.st_mode)
    base = {
        "path": path,
        "scope": scope,
        "exists": True,
        "readable_by_all": _readable_by_all(path, mode),
        "mode": mode,
        "owner": accounts.name(st.st_uid),
    }
    import configparser

    parser = configparser.RawConfigParser()
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            parser.read_file(fh)
    except (OSError, configparser.Error) as exc:
        message = exc.strerror if isinstance(exc, OSError) else str(exc).splitlines()[0]
        return PipConfigFile(**base, error=message or type(exc).__name__)  # type: ignore[arg-type]
    values: dict[str, str] = {}
    for section in parser.sections():
        for key, value in parser.items(section):
            name = key.lower().replace("_", "-")
            if name in RELEVANT:
                values[f"{section}.{name}"] = " ".join(value.split())
    return PipConfigFile(**base, values=values)  # type: ignore[arg-type]


def read_environment(env: Mapping[str, str]) -> PipConfigFile | None:
    """The ``PIP_*`` variables pip treats as settings, as one pseudo-file with scope ``env``."""
    values: dict[str, str] = {}
    for key, value in env.items():
        if not key.startswith("PIP_"):
            continue
        name = key[4:].lower().replace("_", "-")
        if name in RELEVANT:
            values[f"env.{name}"] = value
    if not values:
        return None
    return PipConfigFile("environment (PIP_* variables)", "env", exists=True, values=values)


def collect(env: Mapping[str, str], home: str, accounts: Accounts, prefixes: list[str]) -> list[PipConfigFile]:
    """Every pip config pip could read for the human, plus each interpreter's site config and the environment.

    ``PIP_CONFIG_FILE`` replaces nothing but adds a file read last; set to ``os.devnull`` it switches all
    files off, which is reported as such.
    """
    configured = env.get("PIP_CONFIG_FILE")
    if configured == os.devnull:
        return [
            PipConfigFile(
                os.devnull,
                "env",
                exists=True,
                error="PIP_CONFIG_FILE points to /dev/null: pip reads no configuration files",
            )
        ]
    out = [read_config(p, scope, accounts) for p, scope in config_locations(env, home)]
    for prefix in prefixes:
        name = "pip.ini" if sys.platform == "win32" else "pip.conf"
        out.append(read_config(os.path.join(prefix, name), "site", accounts))
    if configured:
        out.append(read_config(configured, "env", accounts))
    from_env = read_environment(env)
    if from_env is not None:
        out.append(from_env)
    return [c for c in out if c.exists or c.error]
