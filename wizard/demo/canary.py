"""Provides the canary: a harmless source distribution whose build step only looks around, then fails on purpose.

pip builds a source distribution by calling its build backend (PEP 517) — the hook where a real package's setup.py
runs, as whoever runs pip. The canary's backend lives in the sdist itself (``backend-path``, ``requires = []``:
no network, nothing to download), and its first hook reports who it runs as and, with ``access(2)``, which of the
demo's places it could write or read. It never opens, creates or changes anything. It prints that report as one
marked JSON line and then stops the build with an error, so pip installs nothing and there is nothing to undo; pip
shows a failed build's output, which is how the report gets back.
"""

from __future__ import annotations

import io
import json
import os
import tarfile

from wizard.demo.model import ABSENT, NO, YES, DemoError, Observed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from wizard.demo.model import Place

NAME = "psw-canary"
VERSION = "1.0"
MARK = "PIP-SETUP-WIZARD-CANARY"

PYPROJECT = f"""\
# The pip-setup-wizard demo's canary: its build only looks around, then stops on purpose (nothing gets installed).
[build-system]
requires = []
build-backend = "canary_backend"
backend-path = ["backend"]

[project]
name = "{NAME}"
version = "{VERSION}"
description = "A harmless probe: reports what its install-time code could reach, then fails the build."
"""

PKG_INFO = f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"

# Runs inside pip's build subprocess, in whatever Python the demo installs with: standard library only, syntax
# that Python 3.6 still reads, and nothing but looking (stat, access, getuid).
BACKEND = '''\
"""pip-setup-wizard's canary build backend: it reports what this install-time code could reach, then stops."""
import json
import os
import sys

NONCE = __NONCE__
PLACES = __PLACES__


def _reach(path):
    """The nearest existing path at or above ``path``, or None when something on the way cannot be searched."""
    real = os.path.realpath(path)
    while True:
        try:
            os.stat(real)
            return real
        except PermissionError:
            return None
        except OSError:
            if real == "/":
                return None
            real = os.path.dirname(real)


def _check(path, access):
    found = _reach(path)
    if found is None:
        return {"result": "no", "checked": None}
    exists = found == os.path.realpath(path)
    if access == "read" and not exists:
        return {"result": "absent", "checked": found}
    is_dir = os.path.isdir(found)
    mode = os.R_OK if access == "read" else os.W_OK
    if is_dir or not exists:
        mode |= os.X_OK
    return {"result": "yes" if os.access(found, mode) else "no", "checked": found}


def _observe(hook):
    try:
        import pwd
        user = pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        user = str(os.getuid())
    report = {
        "nonce": NONCE,
        "hook": hook,
        "uid": os.getuid(),
        "euid": os.geteuid(),
        "gid": os.getgid(),
        "groups": sorted(os.getgroups()),
        "user": user,
        "checks": dict((ident, _check(path, access)) for ident, path, access in PLACES),
    }
    sys.stdout.write(__MARK__ + " " + json.dumps(report, sort_keys=True) + "\\n")
    sys.stdout.flush()
    raise SystemExit(
        "pip-setup-wizard canary: this install-time code ran as %s and only looked around; it stops the build "
        "here on purpose, so pip installs nothing" % user
    )


def get_requires_for_build_wheel(config_settings=None):
    _observe("get_requires_for_build_wheel")


def get_requires_for_build_sdist(config_settings=None):
    _observe("get_requires_for_build_sdist")


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    _observe("prepare_metadata_for_build_wheel")


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _observe("build_wheel")


def build_sdist(sdist_directory, config_settings=None):
    _observe("build_sdist")
'''


def backend_source(nonce: str, places: Iterable[Place]) -> str:
    """The backend module for one run: its nonce and the places it checks are baked in."""
    table = [[p.id, p.path, p.access] for p in places]
    return (
        BACKEND.replace("__NONCE__", repr(nonce))
        .replace("__PLACES__", json.dumps(table))
        .replace("__MARK__", repr(MARK))
    )


def build(folder: str, nonce: str, places: Iterable[Place]) -> str:
    """Writes the canary's sdist (``psw-canary-1.0.tar.gz``, readable by everyone) into ``folder``; returns it."""
    top = f"{NAME}-{VERSION}"
    files = {
        f"{top}/pyproject.toml": PYPROJECT,
        f"{top}/PKG-INFO": PKG_INFO,
        f"{top}/backend/canary_backend.py": backend_source(nonce, places),
    }
    path = os.path.join(folder, f"{top}.tar.gz")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in (top, f"{top}/backend"):
            info = tarfile.TarInfo(name)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(info)
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(buf.getvalue())
    os.chmod(path, 0o644)
    return path


def parse(output: str, nonce: str, place_ids: Iterable[str]) -> tuple[Observed, dict[str, tuple[str, str | None]]]:
    """The canary's report in pip's output: who it ran as, and per place its result and the path it checked.

    Raises DemoError when the report is missing (the build never started, so the canary did not run) or malformed.
    """
    for line in output.splitlines():
        at = line.find(MARK + " ")
        if at < 0:
            continue
        try:
            data = json.loads(line[at + len(MARK) + 1 :])
        except ValueError:
            continue
        if not isinstance(data, dict) or data.get("nonce") != nonce:
            continue  # not this run's canary
        try:
            observed = Observed(
                int(data["uid"]),
                int(data["euid"]),
                int(data["gid"]),
                tuple(int(g) for g in data["groups"]),
                str(data["user"]),
                str(data["hook"]),
            )
            checks = {}
            for ident in place_ids:
                check = data["checks"][ident]
                if check["result"] not in (YES, NO, ABSENT):
                    raise ValueError(f"result {check['result']!r} for {ident}")
                checks[ident] = (check["result"], check["checked"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DemoError(f"the canary's report is malformed: {exc}", ref="canary-malformed") from None
        return observed, checks
    raise DemoError("the canary did not report: pip never ran its build", ref="canary-silent")


__all__ = ["MARK", "backend_source", "build", "parse"]
