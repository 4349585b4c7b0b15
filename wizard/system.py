"""Provides the System protocol: every read and change the executor makes, with a real and a dry-run implementation.

Preview and apply run the same executor code; only the System differs (chezmoi's pattern). The real system
changes trees through directory file descriptors opened with O_NOFOLLOW, so a symbolic link swapped in by the
owner of a tree is never followed; it never crosses a mount point and skips files with several hard links. Work
that belongs to a person (their venv, shell start-up file, pip.conf) runs as that person, in a child process that
has dropped root's privileges, so nothing in their home becomes root-owned and no link they plant is followed
with root's power.

Tests can arm faults, honoured only with ``PIP_SETUP_WIZARD_TESTING=1``:
``PIP_SETUP_WIZARD_CRASH_AT=N`` (SIGKILL just before the Nth change), ``PIP_SETUP_WIZARD_SIGINT_AT=N`` (SIGINT just
before it) and ``PIP_SETUP_WIZARD_FAULT_AT=N:ERRNO`` (the Nth change fails with that errno, e.g. ``3:ENOSPC``).
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys

from wizard import proc
from wizard.record import field, record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

TESTING = "PIP_SETUP_WIZARD_TESTING"


@record(frozen=True, slots=True)
class Stat:
    """What ``lstat`` says about one path (``exists`` False when there is nothing)."""

    path: str
    exists: bool
    type: str = "missing"  # "dir" | "file" | "link" | "other" | "missing"
    uid: int = -1
    gid: int = -1
    mode: int = 0
    nlink: int = 0
    dev: int = 0
    ino: int = 0
    size: int = 0
    target: str | None = None

    @classmethod
    def of(cls, path: str, st: os.stat_result | None, target: str | None = None) -> Stat:
        if st is None:
            return cls(path, False)
        kind = (
            "dir"
            if stat.S_ISDIR(st.st_mode)
            else "file"
            if stat.S_ISREG(st.st_mode)
            else "link"
            if stat.S_ISLNK(st.st_mode)
            else "other"
        )
        return cls(
            path,
            True,
            kind,
            st.st_uid,
            st.st_gid,
            stat.S_IMODE(st.st_mode),
            st.st_nlink,
            st.st_dev,
            st.st_ino,
            st.st_size,
            target,
        )

    def label(self, names: Callable[[int, bool], str] | None = None) -> str:
        """``owner:group 0755`` (or ``missing``)."""
        if not self.exists:
            return "missing"
        user = names(self.uid, True) if names else str(self.uid)
        group = names(self.gid, False) if names else str(self.gid)
        return f"{user}:{group} {self.mode:04o}"


@record(frozen=True, slots=True)
class Account:
    """A user account as the system knows it now."""

    name: str
    uid: int
    gid: int
    home: str
    shell: str
    groups: tuple[int, ...] = ()


@record
class Tree:
    """The entries of a tree the executor may change, and what it must leave alone."""

    root: str
    entries: list[tuple[str, Stat]] = field(default_factory=list)  # (path relative to root, stat); root is ""
    hard_links: list[str] = field(default_factory=list)
    mounts: list[str] = field(default_factory=list)


@record(frozen=True, slots=True)
class Effect:
    """One change (or command) the dry-run system recorded: what the preview shows."""

    kind: str  # "chown" | "chmod" | "mkdir" | "write" | "unlink" | "rmtree" | "run"
    path: str
    before: Stat | None = None
    after: Stat | None = None
    old: bytes | None = None
    new: bytes | None = None
    argv: tuple[str, ...] = ()
    user: str | None = None


def _fault(spec: str) -> tuple[int, int]:
    if not spec:
        return 0, 0
    at, _, name = spec.partition(":")
    return int(at), int(getattr(errno, name or "EIO"))


class Faults:
    """Counts changes and fires the faults tests arm (only when PIP_SETUP_WIZARD_TESTING=1)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        env = dict(os.environ) if env is None else env
        self.count = self.journal_count = 0
        self.crash_at = self.sigint_at = self.fault_at = self.journal_fault_at = 0
        self.fault_errno = self.journal_errno = 0
        if env.get(TESTING) == "1":
            self.crash_at = int(env.get("PIP_SETUP_WIZARD_CRASH_AT", "0") or 0)
            self.sigint_at = int(env.get("PIP_SETUP_WIZARD_SIGINT_AT", "0") or 0)
            self.fault_at, self.fault_errno = _fault(env.get("PIP_SETUP_WIZARD_FAULT_AT", ""))
            self.journal_fault_at, self.journal_errno = _fault(env.get("PIP_SETUP_WIZARD_JOURNAL_FAULT_AT", ""))

    def before_journal(self) -> None:
        """Called before every write to the journal (a full disk shows up here first)."""
        self.journal_count += 1
        if self.journal_count == self.journal_fault_at:
            raise OSError(self.journal_errno, f"{os.strerror(self.journal_errno)} (injected)", "journal")

    def before_change(self, what: str) -> None:
        """Called just before every change to the machine."""
        self.count += 1
        if self.count == self.crash_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if self.count == self.sigint_at:
            os.kill(os.getpid(), signal.SIGINT)
        if self.count == self.fault_at:
            raise OSError(self.fault_errno, f"{os.strerror(self.fault_errno)} (injected)", what)


# --- safe tree access -----------------------------------------------------------------------------------------

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_parent(root: str, rel: str) -> tuple[int, str]:
    """An fd of the directory holding ``root/rel``, reached without following any link below ``root``."""
    fd = os.open(root, _DIR_FLAGS)
    parts = [p for p in rel.split("/") if p]
    if not parts:
        parent = os.path.dirname(root) or "/"
        os.close(fd)
        return os.open(parent, _DIR_FLAGS), os.path.basename(root)
    try:
        for part in parts[:-1]:
            nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd, parts[-1]


def walk_tree(root: str) -> Tree:
    """Every entry under ``root`` (no links followed, no mount point crossed, hard-linked files set aside)."""
    tree = Tree(root)
    try:
        top = os.lstat(root)
    except FileNotFoundError:
        return tree
    tree.entries.append(("", Stat.of(root, top)))
    if not stat.S_ISDIR(top.st_mode):
        return tree
    dev = top.st_dev

    def visit(fd: int, rel: str) -> None:
        for name in sorted(os.listdir(fd)):
            path = f"{rel}/{name}" if rel else name
            st = os.lstat(name, dir_fd=fd)
            full = os.path.join(root, path)
            if stat.S_ISDIR(st.st_mode):
                if st.st_dev != dev:
                    tree.mounts.append(full)
                    continue
                tree.entries.append((path, Stat.of(full, st)))
                try:
                    sub = os.open(name, _DIR_FLAGS, dir_fd=fd)
                except OSError:
                    continue  # replaced by something that is not a directory since the lstat: leave it
                try:
                    visit(sub, path)
                finally:
                    os.close(sub)
            elif stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                tree.hard_links.append(full)
            else:
                target = os.readlink(name, dir_fd=fd) if stat.S_ISLNK(st.st_mode) else None
                tree.entries.append((path, Stat.of(full, st, target)))

    fd = os.open(root, _DIR_FLAGS)
    try:
        visit(fd, "")
    finally:
        os.close(fd)
    return tree


def _lchown_at(root: str, rel: str, uid: int, gid: int) -> None:
    fd, name = _open_parent(root, rel)
    try:
        os.chown(name, uid, gid, dir_fd=fd, follow_symlinks=False)
    finally:
        os.close(fd)


def _chmod_at(root: str, rel: str, mode: int) -> None:
    fd, name = _open_parent(root, rel)
    try:
        target = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return  # a symbolic link: its mode means nothing and chmod would follow it
        raise
    finally:
        os.close(fd)
    try:
        os.fchmod(target, mode)
    finally:
        os.close(target)


# --- the systems ----------------------------------------------------------------------------------------------


class System:
    """What the executor may ask of a machine. Subclasses: :class:`RealSystem`, :class:`DryRunSystem`."""

    dry_run = False

    def __init__(self, faults: Faults | None = None, user: Account | None = None) -> None:
        self.faults = faults or Faults()
        self.user = user  # the account this view acts as (None: the process's own)

    # reads
    def stat(self, path: str) -> Stat:
        raise NotImplementedError

    def read(self, path: str) -> bytes | None:
        raise NotImplementedError

    def tree(self, root: str) -> Tree:
        raise NotImplementedError

    def account(self, name: str) -> Account | None:
        raise NotImplementedError

    def readonly(self, path: str) -> bool:
        raise NotImplementedError

    def check(self, argv: Sequence[str], timeout: float = 60) -> proc.Result:
        """Runs a command that changes nothing (a smoke check, ``visudo -cf``)."""
        raise NotImplementedError

    # changes (each one counted, and announced to the faults first)
    def lchown(self, root: str, rel: str, uid: int, gid: int) -> None:
        raise NotImplementedError

    def chmod(self, root: str, rel: str, mode: int) -> None:
        raise NotImplementedError

    def mkdir(self, path: str, mode: int, uid: int, gid: int) -> None:
        raise NotImplementedError

    def write_temp(self, tmp: str, data: bytes, mode: int, uid: int, gid: int) -> None:
        raise NotImplementedError

    def rename(self, tmp: str, path: str) -> None:
        raise NotImplementedError

    def unlink(self, path: str) -> None:
        raise NotImplementedError

    def rmtree(self, path: str) -> None:
        raise NotImplementedError

    def rmdir(self, path: str) -> None:
        raise NotImplementedError

    def run(self, argv: Sequence[str], timeout: float = 300) -> proc.Result:
        raise NotImplementedError

    def as_user(self, account: Account) -> System:
        """A view of this system whose reads and changes happen as ``account``."""
        raise NotImplementedError


def _lookup(name: str) -> Account | None:
    try:
        import grp
        import pwd

        pw = pwd.getpwnam(name)
    except (KeyError, ImportError):
        return None
    groups = tuple(sorted({pw.pw_gid, *(g.gr_gid for g in grp.getgrall() if name in g.gr_mem)}))
    return Account(pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir, pw.pw_shell, groups)


def _stat_path(path: str) -> Stat:
    try:
        st = os.lstat(path)
    except OSError:
        return Stat(path, False)
    target = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
    return Stat.of(path, st, target)


def _read_path(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def _write_temp(tmp: str, data: bytes, mode: int, uid: int, gid: int) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, data)
        if os.geteuid() == 0 and uid >= 0:
            os.fchown(fd, uid, gid)
        os.fchmod(fd, mode)  # explicit, whatever the caller's umask
        os.fsync(fd)
    finally:
        os.close(fd)


def _rename(tmp: str, path: str) -> None:
    os.replace(tmp, path)
    fd = os.open(os.path.dirname(path) or ".", _DIR_FLAGS)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mkdir(path: str, mode: int, uid: int, gid: int) -> None:
    os.mkdir(path, 0o700)
    if os.geteuid() == 0 and uid >= 0:
        os.chown(path, uid, gid, follow_symlinks=False)
    os.chmod(path, mode)


def removing_name(path: str) -> str:
    """Where a directory goes while it is removed: a crash never leaves a half-removed one under its own name."""
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.pip-setup-wizard-removing")


def _rmtree(path: str) -> None:
    import shutil

    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
        return
    doomed = removing_name(path)
    if os.path.lexists(doomed):
        shutil.rmtree(doomed)
    _rename(path, doomed)  # atomic: the directory is whole, or gone from its place
    shutil.rmtree(doomed)


def _readonly(path: str) -> bool:
    probe = path
    while probe and not os.path.exists(probe):
        probe = os.path.dirname(probe)
    try:
        return bool(os.statvfs(probe or "/").f_flag & os.ST_RDONLY)
    except OSError:
        return False


class RealSystem(System):
    """Changes the machine for real. With ``user`` set, every operation runs as that account (forked child)."""

    def _do(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self.user is None or self.user.uid == os.geteuid():
            return fn(*args)
        return run_as(self.user, fn, *args)

    def stat(self, path: str) -> Stat:
        return self._do(_stat_path, path)  # type: ignore[no-any-return]

    def read(self, path: str) -> bytes | None:
        return self._do(_read_path, path)  # type: ignore[no-any-return]

    def tree(self, root: str) -> Tree:
        return self._do(walk_tree, root)  # type: ignore[no-any-return]

    def account(self, name: str) -> Account | None:
        return _lookup(name)

    def readonly(self, path: str) -> bool:
        return _readonly(path)

    def check(self, argv: Sequence[str], timeout: float = 60) -> proc.Result:
        return proc.run(argv, timeout=timeout, **self._identity())

    def _identity(self) -> dict[str, Any]:
        if self.user is None or self.user.uid == os.geteuid():
            return {}
        env = {
            "HOME": self.user.home,
            "USER": self.user.name,
            "LOGNAME": self.user.name,
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
        }
        return {
            "user": self.user.uid,
            "group": self.user.gid,
            "extra_groups": list(self.user.groups),
            "env": env,
            "cwd": "/",
        }

    def lchown(self, root: str, rel: str, uid: int, gid: int) -> None:
        self.faults.before_change(f"chown {os.path.join(root, rel)}")
        self._do(_lchown_at, root, rel, uid, gid)

    def chmod(self, root: str, rel: str, mode: int) -> None:
        self.faults.before_change(f"chmod {os.path.join(root, rel)}")
        self._do(_chmod_at, root, rel, mode)

    def mkdir(self, path: str, mode: int, uid: int, gid: int) -> None:
        self.faults.before_change(f"mkdir {path}")
        self._do(_mkdir, path, mode, uid, gid)

    def write_temp(self, tmp: str, data: bytes, mode: int, uid: int, gid: int) -> None:
        self.faults.before_change(f"write {tmp}")
        self._do(_write_temp, tmp, data, mode, uid, gid)

    def rename(self, tmp: str, path: str) -> None:
        self.faults.before_change(f"rename {tmp} to {path}")
        self._do(_rename, tmp, path)

    def unlink(self, path: str) -> None:
        self.faults.before_change(f"remove {path}")
        self._do(os.unlink, path)

    def rmtree(self, path: str) -> None:
        self.faults.before_change(f"remove {path}")
        self._do(_rmtree, path)

    def rmdir(self, path: str) -> None:
        self.faults.before_change(f"remove {path}")
        self._do(os.rmdir, path)

    def run(self, argv: Sequence[str], timeout: float = 300) -> proc.Result:
        self.faults.before_change(" ".join(argv))
        return proc.run(argv, timeout=timeout, **self._identity())

    def as_user(self, account: Account) -> System:
        return RealSystem(self.faults, account)


def run_as(account: Account, fn: Callable[..., Any], *args: Any) -> Any:
    """Runs ``fn(*args)`` as ``account`` (in its helper process); returns its result or raises its error."""
    helper = _HELPERS.get(account)
    if helper is None or not helper.alive:
        helper = _HELPERS[account] = _Helper(account)
    return helper.call(fn, args)


class _Helper:
    """A child process that has become one account and runs our functions for us, one at a time.

    Forking once per account (rather than once per operation) keeps a preview that reads a dozen of a person's files
    fast. The child keeps only its two pipes (no inherited lock or journal descriptor), ignores Ctrl-C (the parent
    decides what an interrupt means), and exits when the parent closes the pipe or dies.
    """

    def __init__(self, account: Account) -> None:
        import pickle
        import threading

        self.account, self.pickle, self.lock = account, pickle, threading.Lock()
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                _close_all_but(down_r, up_w)
                os.setgroups(list(account.groups) or [account.gid])
                os.setgid(account.gid)
                os.setuid(account.uid)
                _serve(pickle, down_r, up_w, None)
            except BaseException as exc:
                try:
                    _serve(pickle, down_r, up_w, exc)
                finally:
                    os._exit(1)
            os._exit(0)
        os.close(down_r)
        os.close(up_w)
        self.pid, self.down, self.up, self.alive = pid, down_w, up_r, True

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        with self.lock:
            try:
                _send(self.down, self.pickle.dumps((fn, args)))
                data = _receive(self.up)
            except OSError:
                data = None
            if data is None:
                self.close()
                raise OSError(errno.EIO, f"the helper running as {self.account.name} died")
            kind, value = self.pickle.loads(data)  # our own child, over a private pipe
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        if not self.alive:
            return
        self.alive = False
        for fd in (self.down, self.up):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


_HELPERS: dict[Account, _Helper] = {}


def close_helpers() -> None:
    """Ends every helper process (they also end by themselves when this process exits)."""
    for helper in list(_HELPERS.values()):
        helper.close()
    _HELPERS.clear()


def _close_all_but(*keep: int) -> None:  # pragma: no cover - runs in the helper
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)


def _send(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> bytes | None:
    """One message, or None when the other side has gone."""
    head = _read_exactly(fd, 8)
    if head is None:
        return None
    return _read_exactly(fd, int.from_bytes(head, "big"))


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _serve(pickle: Any, down: int, up: int, failed: BaseException | None) -> None:  # pragma: no cover - helper
    while True:
        data = _receive(down)
        if data is None:
            return
        try:
            if failed is not None:
                raise failed
            fn, args = pickle.loads(data)
            payload = pickle.dumps(("ok", fn(*args)))
        except BaseException as exc:  # every failure goes back to the parent
            try:
                payload = pickle.dumps(("error", exc))
            except Exception:
                payload = pickle.dumps(("error", OSError(errno.EIO, repr(exc))))
        _send(up, payload)


class DryRunSystem(System):
    """Reads the real machine and records every change as an :class:`Effect` instead of making it.

    Changes land in an overlay, so later steps see earlier ones (a directory made, a user created).
    """

    dry_run = True

    def __init__(
        self,
        faults: Faults | None = None,
        user: Account | None = None,
        shared: DryRunSystem | None = None,
        reader: RealSystem | None = None,
    ) -> None:
        super().__init__(faults or Faults({}), user)
        self.reader = reader or RealSystem(Faults({}), user)
        self.effects: list[Effect] = shared.effects if shared else []
        self.stats: dict[str, Stat] = shared.stats if shared else {}
        self.contents: dict[str, bytes | None] = shared.contents if shared else {}
        self.accounts: dict[str, Account | None] = shared.accounts if shared else {}
        self.reads: dict[str, Stat] = shared.reads if shared else {}
        # What the real machine answered, per viewpoint (root and the person may see a path differently): a dry run
        # asks again and again about the same few paths, and each question as the person crosses a process boundary.
        self.seen: dict[tuple[str | None, str], Stat] = shared.seen if shared else {}
        self.seen_content: dict[tuple[str | None, str], bytes | None] = shared.seen_content if shared else {}
        self.next_uid: int = shared.next_uid if shared else 900_000

    def _who(self) -> str | None:
        return self.user.name if self.user else None

    def stat(self, path: str) -> Stat:
        if path in self.stats:
            return self.stats[path]
        key = (self._who(), path)
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = self.reader.stat(path)
        self.reads.setdefault(path, found)
        return found

    def read(self, path: str) -> bytes | None:
        if path in self.contents:
            return self.contents[path]
        self.stat(path)
        key = (self._who(), path)
        if key not in self.seen_content:
            self.seen_content[key] = self.reader.read(path)
        return self.seen_content[key]

    def tree(self, root: str) -> Tree:
        real = self.reader.tree(root) if self.stat(root).exists and root not in self.contents else Tree(root)
        if not real.entries and self.stat(root).exists:
            real.entries.append(("", self.stat(root)))
        for _rel, st in real.entries:
            self.reads.setdefault(st.path, st)
        real.entries = [(rel, self.stats.get(os.path.join(root, rel) if rel else root, st)) for rel, st in real.entries]
        return real

    def account(self, name: str) -> Account | None:
        if name in self.accounts:
            return self.accounts[name]
        return self.reader.account(name)

    def readonly(self, path: str) -> bool:
        return self.reader.readonly(path)

    def check(self, argv: Sequence[str], timeout: float = 60) -> proc.Result:
        self.effects.append(Effect("check", argv[0], argv=tuple(argv), user=self._who()))
        return proc.Result(tuple(argv), 0, "", "")

    def _changed(self, path: str, **changes: Any) -> tuple[Stat, Stat]:
        before = self.stat(path)
        after = replace(before, **changes)
        self.stats[path] = after
        return before, after

    def lchown(self, root: str, rel: str, uid: int, gid: int) -> None:
        path = os.path.join(root, rel) if rel else root
        before, after = self._changed(path, uid=uid, gid=gid)
        self.effects.append(Effect("chown", path, before, after, user=self._who()))

    def chmod(self, root: str, rel: str, mode: int) -> None:
        path = os.path.join(root, rel) if rel else root
        before, after = self._changed(path, mode=mode)
        self.effects.append(Effect("chmod", path, before, after, user=self._who()))

    def _ids(self, uid: int, gid: int) -> tuple[int, int]:
        # -1 means "whoever does it": the account this view acts as
        if uid >= 0:
            return uid, gid
        if self.user is not None:
            return self.user.uid, self.user.gid
        return os.geteuid(), os.getegid()

    def mkdir(self, path: str, mode: int, uid: int, gid: int) -> None:
        before = self.stat(path)
        uid, gid = self._ids(uid, gid)
        after = Stat(path, True, "dir", uid, gid, mode)
        self.stats[path] = after
        self.effects.append(Effect("mkdir", path, before, after, user=self._who()))

    def write_temp(self, tmp: str, data: bytes, mode: int, uid: int, gid: int) -> None:
        uid, gid = self._ids(uid, gid)
        self.stats[tmp] = Stat(tmp, True, "file", uid, gid, mode, size=len(data))
        self.contents[tmp] = data

    def rename(self, tmp: str, path: str) -> None:
        before = self.stat(path)
        old = self.read(path) if before.exists else None
        after = replace(self.stats.pop(tmp), path=path)
        new = self.contents.pop(tmp)
        self.stats[path] = after
        self.contents[path] = new
        self.effects.append(Effect("write", path, before, after, old, new, user=self._who()))

    def unlink(self, path: str) -> None:
        before = self.stat(path)
        old = self.read(path)
        self.stats[path] = Stat(path, False)
        self.contents[path] = None
        self.effects.append(Effect("unlink", path, before, self.stats[path], old, None, user=self._who()))

    def rmtree(self, path: str) -> None:
        before = self.stat(path)
        self.stats[path] = Stat(path, False)
        self.effects.append(Effect("rmtree", path, before, self.stats[path], user=self._who()))

    def rmdir(self, path: str) -> None:
        self.rmtree(path)

    def run(self, argv: Sequence[str], timeout: float = 300) -> proc.Result:
        self.effects.append(Effect("run", argv[0], argv=tuple(argv), user=self._who()))
        return proc.Result(tuple(argv), 0, "", "")

    def assume(self, path: str, kind: str = "dir") -> None:
        """Records that ``path`` will exist (made by a command the dry run did not run), without an effect."""
        uid, gid = self._ids(-1, -1)
        self.stats[path] = Stat(path, True, kind, uid, gid, 0o755)

    def add_account(self, name: str, home: str, shell: str) -> Account:
        """Records an account that a dry-run ``useradd`` would create (with a stand-in uid)."""
        self.next_uid += 1
        acct = Account(name, self.next_uid, self.next_uid, home, shell)
        self.accounts[name] = acct
        return acct

    def drop_account(self, name: str) -> None:
        """Records that a dry-run ``userdel`` removed ``name``."""
        self.accounts[name] = None

    def as_user(self, account: Account) -> System:
        return DryRunSystem(self.faults, account, shared=self, reader=RealSystem(Faults({}), account))


def is_stand_in(uid: int) -> bool:
    """True for the uids the dry run makes up for accounts it would create."""
    return uid >= 900_000


def current_process_is_root() -> bool:
    """True when this process can make root's changes."""
    return sys.platform != "win32" and os.geteuid() == 0


__all__ = ["Account", "DryRunSystem", "Effect", "Faults", "RealSystem", "Stat", "System", "Tree", "walk_tree"]
