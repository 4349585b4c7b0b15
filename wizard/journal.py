"""Provides the write-ahead journal: what an apply is about to change, recorded (and fsynced) before it changes it.

Each apply or undo gets a directory with ``log.jsonl`` (one record a line, each carrying a hash of the one
before, so an edited journal is recognised) and ``backups/`` (prior file contents, prior owners of trees). A
journal without a final ``commit`` or ``rolled-back`` record means the process died mid-way: then only
``status`` and ``recover`` run. System-scoped journals live in a root-only directory (``/var/lib/pip-setup-wizard``,
mode 0700); a person's own changes are journaled in their state directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time

from wizard.errors import WizardError
from wizard.paths import user_state_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager
    from typing import Any

    from wizard.system import Faults

SYSTEM_STATE_DIR = "/var/lib/pip-setup-wizard"
LOG = "log.jsonl"


class JournalError(WizardError):
    """A journal the wizard refuses to act on, or a store it cannot use."""

    def __init__(self, message: str, hint: str, ref: str = "journal") -> None:
        super().__init__(message, hint=hint, ref=ref)


def store_dir(euid: int | None = None) -> str:
    """Where this process keeps journals: the root-only system directory for root, the user's state dir otherwise."""
    euid = os.geteuid() if euid is None else euid
    if euid == 0:
        override = os.environ.get("PIP_SETUP_WIZARD_SYSTEM_STATE")
        if override and os.environ.get("PIP_SETUP_WIZARD_TESTING") == "1":
            return override
        return SYSTEM_STATE_DIR
    return user_state_dir()


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _digest(prev: str, record: dict[str, Any]) -> str:
    body = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev + body).encode()).hexdigest()


class Journal:
    """One apply's (or undo's) records and backups."""

    def __init__(self, path: str, faults: Faults | None = None) -> None:
        self.path = path
        self.id = os.path.basename(path)
        self.records: list[dict[str, Any]] = []
        self._last = ""
        self._valid: int | None = None  # bytes of whole records in the log (a torn last line is cut off)
        self.faults = faults

    # --- reading --------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str) -> Journal:
        """Reads and verifies a journal (owner, modes, and the hash chain)."""
        j = cls(path)
        log = os.path.join(path, LOG)
        for p, want in ((path, 0o700), (log, 0o600)):
            try:
                st = os.lstat(p)
            except OSError as exc:
                raise JournalError(
                    f"cannot read the journal {p}: {exc.strerror}", hint=f"inspect it with: ls -la {path}"
                ) from None
            if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid() or stat.S_IMODE(st.st_mode) & ~want:
                raise JournalError(
                    f"refusing to act on the journal {path}: {p} has owner uid {st.st_uid} and mode "
                    f"{stat.S_IMODE(st.st_mode):04o} (expected uid {os.geteuid()}, at most {want:04o})",
                    hint=f"inspect it with: ls -la {path} && cat {log}; move it away once you know what it holds",
                    ref="journal-tampered",
                )
        with open(log, "rb") as fh:
            data = fh.read()
        # A last line without its newline was torn by a power cut in the middle of a write: that record never
        # counted (the change it announces had not started), and the next append replaces it.
        j._valid = data.rfind(b"\n") + 1
        for number, raw in enumerate(data[: j._valid].splitlines(), 1):
            try:
                entry = json.loads(raw.decode("utf-8"))
                claimed = entry.pop("h")
            except (ValueError, KeyError, AttributeError):
                raise JournalError(
                    f"refusing to act on the journal {path}: line {number} is damaged",
                    hint=f"inspect it with: cat {log}",
                    ref="journal-tampered",
                ) from None
            if _digest(j._last, entry) != claimed:
                raise JournalError(
                    f"refusing to act on the journal {path}: line {number} was changed after it was written",
                    hint=f"inspect it with: cat {log}",
                    ref="journal-tampered",
                )
            j._last = claimed
            j.records.append(entry)
        if not j.records and not j._valid:
            return j  # not even its begin record was written whole: nothing was done under it
        if not j.records or j.records[0].get("t") != "begin":
            raise JournalError(
                f"refusing to act on the journal {path}: it does not start with a begin record",
                hint=f"inspect it with: cat {log}",
                ref="journal-tampered",
            )
        return j

    @property
    def begin(self) -> dict[str, Any]:
        return self.records[0]

    @property
    def kind(self) -> str:
        """``apply`` or ``undo``."""
        return str(self.begin.get("kind", "apply"))

    @property
    def status(self) -> str:
        """``open`` (unfinished), ``committed`` or ``rolled-back``."""
        for rec in reversed(self.records):
            if rec["t"] == "commit":
                return "committed"
            if rec["t"] == "rolled-back":
                return "rolled-back"
        return "open"

    def steps(self) -> dict[int, dict[str, Any]]:
        """Step records by index: the step and its prior state (only steps that started)."""
        return {rec["i"]: rec for rec in self.records if rec["t"] == "step"}

    def done(self) -> set[int]:
        """Indexes of steps that completed."""
        return {rec["i"] for rec in self.records if rec["t"] == "done"}

    def reverted(self) -> set[int]:
        """Indexes of steps already undone during a rollback or recover (crash-safe progress)."""
        return {rec["i"] for rec in self.records if rec["t"] == "reverted"}

    def backup_path(self, name: str) -> str:
        return os.path.join(self.path, "backups", name)

    def read_backup(self, name: str) -> bytes:
        with open(self.backup_path(name), "rb") as fh:
            return fh.read()

    # --- writing --------------------------------------------------------------------------------------------

    def append(self, record: dict[str, Any]) -> None:
        """Adds a record and makes it durable (flush + fsync) before returning."""
        if self.faults is not None:
            self.faults.before_journal()
        digest = _digest(self._last, record)
        line = json.dumps({**record, "h": digest}, sort_keys=True, separators=(",", ":")) + "\n"
        fd = os.open(os.path.join(self.path, LOG), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            if self._valid is not None and os.fstat(fd).st_size != self._valid:
                os.ftruncate(fd, self._valid)  # drop a torn last line before writing after it
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        self._last = digest
        self.records.append(record)
        if self._valid is not None:
            self._valid += len(line.encode())

    def backup(self, name: str, data: bytes) -> str:
        """Stores ``data`` (a prior file content, a tree's prior owners) durably; returns its name."""
        if self.faults is not None:
            self.faults.before_journal()
        path = self.backup_path(name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        return name


def _order(name: str) -> tuple[int, str]:
    """Journals sort by their sequence number (the digits before the first dash)."""
    head = name.split("-", 1)[0]
    return (int(head) if head.isdigit() and len(head) <= 9 else 0, name)


class Store:
    """A directory of journals, with a lock so that two wizards never change the machine at once."""

    def __init__(self, root: str | None = None, faults: Faults | None = None) -> None:
        self.root = root or store_dir()
        self.faults = faults

    def _ensure(self) -> None:
        os.makedirs(os.path.join(self.root, "journal"), mode=0o700, exist_ok=True)
        for p in (self.root, os.path.join(self.root, "journal")):
            os.chmod(p, 0o700)

    def lock(self) -> AbstractContextManager[None]:
        """Holds the store's lock (fails at once if another run holds it)."""
        import contextlib
        import fcntl

        @contextlib.contextmanager
        def held() -> Iterator[None]:
            self._ensure()
            fd = os.open(os.path.join(self.root, "lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise JournalError(
                        "another pip-setup-wizard is changing this machine right now",
                        hint="wait for it to finish, then run the command again",
                        ref="locked",
                    ) from None
                yield
            finally:
                os.close(fd)

        return held()

    def journals(self) -> list[Journal]:
        """Every journal, oldest first (each verified)."""
        folder = os.path.join(self.root, "journal")
        try:
            names = [n for n in os.listdir(folder) if not n.startswith(".")]
        except OSError:
            return []
        loaded = [Journal.load(os.path.join(folder, n)) for n in sorted(names, key=_order)]
        return [j for j in loaded if j.records]

    def unfinished(self) -> Journal | None:
        """The journal of an apply that did not finish, if any."""
        return next((j for j in self.journals() if j.status == "open"), None)

    def applied(self) -> list[Journal]:
        """Committed applies that have not been undone, oldest first (the last one is in effect)."""
        journals = self.journals()
        undone = {j.begin.get("target") for j in journals if j.kind == "undo" and j.status == "committed"}
        return [j for j in journals if j.kind == "apply" and j.status == "committed" and j.id not in undone]

    def new(self, kind: str, payload: dict[str, Any]) -> Journal:
        """Starts a journal (its begin record is durable when this returns)."""
        self._ensure()
        # A sequence number first: two runs in the same second (or a clock set back) keep their order.
        try:
            last = max((_order(n)[0] for n in os.listdir(os.path.join(self.root, "journal"))), default=0)
        except OSError:
            last = 0
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        name = f"{last + 1:06d}-{stamp}-{os.getpid()}-{kind}"
        path = os.path.join(self.root, "journal", name)
        os.mkdir(path, 0o700)
        os.mkdir(os.path.join(path, "backups"), 0o700)
        _fsync_dir(os.path.dirname(path))
        journal = Journal(path, self.faults)
        try:
            journal.append({"t": "begin", "kind": kind, "time": time.time(), "pid": os.getpid(), **payload})
        except BaseException:
            import shutil

            shutil.rmtree(path, ignore_errors=True)  # nothing has happened yet: no half-written journal stays
            raise
        _fsync_dir(path)
        return journal
