"""Provides the per-user cache of probe answers, keyed by the interpreter binary's identity.

A probe's answer (version, scheme, sysconfig paths) only changes when the interpreter is replaced or its
standard library is updated, so it is kept and reused while the binary (device, inode, size, mtime, ctime),
its ``pyvenv.cfg`` and the stdlib files the answer came from are unchanged. Ownership, permissions, markers,
pip versions and config files are never cached: they are read fresh on every run.
"""

from __future__ import annotations

import json
import os
import stat
import sys

from wizard.paths import cache_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CACHE_FILE = "probes.json"
FORMAT = 1
MAX_ENTRIES = 200


def _stamp(path: str, identity: bool = False) -> str:
    """Size and mtime of ``path`` (plus device, inode and ctime when ``identity`` is asked for); "-" if absent."""
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    if identity:
        return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
    return f"{st.st_size}:{st.st_mtime_ns}"


class ProbeCache:
    """Loads once, answers lookups, and saves atomically (0600, in a 0700 directory) if anything changed."""

    def __init__(self, probe_version: int, enabled: bool = True, directory: str | None = None) -> None:
        self.enabled = enabled
        self.path = os.path.join(directory or cache_dir(), CACHE_FILE)
        self.probe_version = probe_version
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        if enabled:
            self.entries = self._load()

    def _load(self) -> dict[str, dict[str, Any]]:
        # Only trust a cache that is ours alone: a file someone else can write could lie about paths.
        try:
            st = os.lstat(self.path)
        except OSError:
            return {}
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o022:
            return {}
        if sys.platform != "win32" and st.st_uid != os.geteuid():
            return {}
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def key(self, path: str) -> str:
        """What must be unchanged for an answer about ``path`` to still hold (the user's settings included)."""
        real = os.path.realpath(path)
        venv_cfg = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))), "pyvenv.cfg")
        env = os.environ
        parts = [
            str(self.probe_version),
            path,
            real,
            _stamp(real, identity=True),
            _stamp(venv_cfg, identity=True),
            str(os.geteuid() if sys.platform != "win32" else 0),
            env.get("HOME", ""),
            env.get("PYTHONUSERBASE", ""),
            env.get("PYTHONNOUSERSITE", ""),
            env.get("APPDATA", ""),
        ]
        return "|".join(parts)

    def get(self, path: str) -> dict[str, Any] | None:
        """The cached probe answer for ``path``, if it is still valid."""
        if not self.enabled:
            return None
        entry = self.entries.get(path)
        if not entry or entry.get("key") != self.key(path):
            return None
        stamps = entry.get("stamps", {})
        if any(_stamp(f) != s for f, s in stamps.items()):
            return None
        answer = entry.get("answer")
        return answer if isinstance(answer, dict) else None

    def put(self, path: str, answer: dict[str, Any]) -> None:
        """Remembers a successful probe answer."""
        if not self.enabled:
            return
        watched = answer.get("watched_files") or []
        self.entries[path] = {
            "key": self.key(path),
            "stamps": {f: _stamp(f) for f in watched if isinstance(f, str)},
            "answer": answer,
        }
        self.dirty = True

    def save(self) -> None:
        """Writes the cache if it changed; a failure to write is not an error (the cache is optional)."""
        if not (self.enabled and self.dirty):
            return
        if len(self.entries) > MAX_ENTRIES:
            self.entries = dict(list(self.entries.items())[-MAX_ENTRIES:])
        import tempfile  # only on a cache miss; keeps the warm path's imports small

        directory = os.path.dirname(self.path)
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".probes-", dir=directory)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump({"format": FORMAT, "entries": self.entries}, fh)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o600)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            return
        self.dirty = False
