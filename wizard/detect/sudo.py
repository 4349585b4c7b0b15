"""Provides what sudo would do here: whether it is installed, asks for a password, and which PATH it uses."""

from __future__ import annotations

import os
import re

from wizard import proc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

SUDOERS = "/etc/sudoers"
_INCLUDE = re.compile(r"^[@#](include|includedir)\s+(.+?)\s*$")
_DEFAULTS = re.compile(r"^Defaults(\s+|$)(.*)$")
_SECURE_PATH = re.compile(r'(?:^|,)\s*secure_path\s*=\s*(?:"([^"]*)"|([^,\s]+))')
_SECURE_PATH_OFF = re.compile(r"(?:^|,)\s*!\s*secure_path\b")


def find_sudo(path_dirs: Sequence[str]) -> str | None:
    """The sudo binary on PATH, or in its usual places."""
    for d in [*path_dirs, "/usr/bin", "/bin", "/usr/local/bin"]:
        candidate = os.path.join(d, "sudo")
        if d and os.path.isabs(d) and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _logical_lines(text: str) -> list[str]:
    out: list[str] = []
    buf = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        out.append((buf + line).strip())
        buf = ""
    if buf:
        out.append(buf.strip())
    return out


def _included_files(directory: str) -> list[str]:
    # sudoers(5): files in an includedir are read in lexical order; names ending in "~" or containing "."
    # are skipped, so a drop-in called "pip.conf" would silently do nothing.
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [os.path.join(directory, n) for n in names if not n.endswith("~") and "." not in n]


def parse_secure_path(path: str = SUDOERS, _depth: int = 0) -> tuple[tuple[str, ...] | None, str]:
    """Reads ``Defaults secure_path`` from sudoers and the files it includes.

    Returns the directories (None if not set or unreadable) and where the answer came from, e.g.
    ``/etc/sudoers``, ``not set`` or ``unreadable: /etc/sudoers (needs root)``.
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except PermissionError:
        return None, f"unreadable: {path} (only root can read it)"
    except FileNotFoundError:
        return None, f"missing: {path}"
    except OSError as exc:
        return None, f"unreadable: {path} ({exc.strerror})"
    result: tuple[str, ...] | None = None
    source = "not set"
    for line in _logical_lines(text):
        inc = _INCLUDE.match(line)
        if inc and _depth < 8:
            target = inc.group(2).strip('"')
            if not os.path.isabs(target):
                target = os.path.join(os.path.dirname(path), target)
            files = _included_files(target) if inc.group(1) == "includedir" else [target]
            for f in files:
                sub, sub_source = parse_secure_path(f, _depth + 1)
                if sub is not None:
                    result, source = sub, sub_source
                elif sub_source.startswith("unreadable"):
                    return None, sub_source
            continue
        if line.startswith("#"):
            continue
        d = _DEFAULTS.match(line)
        if not d:
            continue
        params = d.group(2)
        m = _SECURE_PATH.search(params)
        if m:
            value = m.group(1) if m.group(1) is not None else m.group(2)
            result, source = tuple(p for p in value.split(":") if p), path
        elif _SECURE_PATH_OFF.search(params):
            result, source = None, f"disabled in {path}"
    return result, source


def start_passwordless_check(sudo: str) -> proc.Running:
    """Starts ``sudo -n true``: succeeds only when sudo would not ask for a password (never prompts)."""
    return proc.start([sudo, "-n", "true"], timeout=5)


def secure_path_from_listing(sudo: str) -> tuple[str, ...] | None:
    """Asks ``sudo -n -l`` (no password prompt) for the secure_path that applies to the current user."""
    result = proc.run([sudo, "-n", "-l"], timeout=5)
    if not result.ok:
        return None
    m = re.search(r"secure_path=([^,\n]+)", result.stdout)
    if not m:
        return None
    # sudo -l escapes the colons: secure_path=/usr/local/sbin\:/usr/local/bin
    value = m.group(1).strip().strip('"').replace("\\:", ":")
    return tuple(p for p in value.split(":") if p)
