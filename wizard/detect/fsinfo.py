"""Provides ownership facts about paths and accounts: who owns what, and who other than root can change it."""

from __future__ import annotations

import os
import stat
import sys

from wizard.model import Account, OwnerKind, PathInfo, Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

NO_LOGIN_SHELLS = {"nologin", "false", "sync", "halt", "shutdown", ""}
NOBODY_UID = 65534


def read_login_defs(path: str = "/etc/login.defs") -> dict[str, str]:
    """The ``KEY value`` settings of login.defs(5)."""
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and not parts[0].startswith("#"):
                    out[parts[0]] = parts[1]
    except OSError:
        pass
    return out


class Accounts:
    """Looks up users and groups once each, and sorts accounts into root, human and service."""

    def __init__(self) -> None:
        self._users: dict[int, tuple[str, int, str, str] | None] = {}
        self._groups: dict[int, tuple[str, tuple[str, ...]] | None] = {}
        self._primary: dict[int, list[str]] | None = None
        if sys.platform == "darwin":
            self.uid_min, self.uid_max = 501, 60000
        else:
            defs = read_login_defs()
            self.uid_min = int(defs.get("UID_MIN", "1000")) if defs.get("UID_MIN", "").isdigit() else 1000
            self.uid_max = int(defs.get("UID_MAX", "60000")) if defs.get("UID_MAX", "").isdigit() else 60000

    def user(self, uid: int) -> tuple[str, int, str, str] | None:
        """(name, gid, home, shell) for ``uid``, or None when the account database has no entry."""
        if uid not in self._users:
            try:
                import pwd

                pw = pwd.getpwuid(uid)
                self._users[uid] = (pw.pw_name, pw.pw_gid, pw.pw_dir, pw.pw_shell)
            except (KeyError, ImportError):
                self._users[uid] = None
        return self._users[uid]

    def user_by_name(self, name: str) -> Account | None:
        """The account called ``name``, if it exists."""
        try:
            import pwd

            pw = pwd.getpwnam(name)
        except (KeyError, ImportError):
            return None
        return Account(pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir, pw.pw_shell, self.kind(pw.pw_uid))

    def account(self, uid: int) -> Account | None:
        """The account with ``uid``, if it exists."""
        entry = self.user(uid)
        if entry is None:
            return None
        name, gid, home, shell = entry
        return Account(name, uid, gid, home, shell, self.kind(uid))

    def name(self, uid: int) -> str:
        """The user name for ``uid`` (the number itself when unknown)."""
        entry = self.user(uid)
        return entry[0] if entry else str(uid)

    def kind(self, uid: int) -> OwnerKind:
        """Root, a person (a login account in the human uid range), or a service account."""
        if uid == 0:
            return OwnerKind.ROOT
        entry = self.user(uid)
        if entry is None:
            return OwnerKind.UNKNOWN
        shell = os.path.basename(entry[3])
        if shell in NO_LOGIN_SHELLS or uid == NOBODY_UID:
            return OwnerKind.SERVICE
        return OwnerKind.HUMAN if self.uid_min <= uid <= self.uid_max else OwnerKind.SERVICE

    def group(self, gid: int) -> tuple[str, tuple[str, ...]]:
        """The group name and every member (listed members and users whose primary group it is)."""
        if gid not in self._groups:
            try:
                import grp

                gr = grp.getgrgid(gid)
                members = list(gr.gr_mem)
                for user in self._primary_members().get(gid, []):
                    if user not in members:
                        members.append(user)
                self._groups[gid] = (gr.gr_name, tuple(members))
            except (KeyError, ImportError):
                self._groups[gid] = None
        entry = self._groups[gid]
        return entry if entry else (str(gid), ())

    def _primary_members(self) -> dict[int, list[str]]:
        if self._primary is None:
            self._primary = {}
            try:
                import pwd

                for pw in pwd.getpwall():
                    self._primary.setdefault(pw.pw_gid, []).append(pw.pw_name)
            except ImportError:
                pass
        return self._primary

    def uid_of(self, name: str) -> int | None:
        """The uid of user ``name``."""
        try:
            import pwd

            return pwd.getpwnam(name).pw_uid
        except (KeyError, ImportError):
            return None


def _has_acl(path: str) -> bool:
    try:
        return "system.posix_acl_access" in os.listxattr(path, follow_symlinks=False)
    except (OSError, AttributeError):
        return False


def writers_of(st: os.stat_result, path: str, accounts: Accounts) -> tuple[Writer, ...]:
    """Everyone other than root who can change the entry (an owner can always chmod it back to writable)."""
    if stat.S_ISLNK(st.st_mode):
        return ()
    out: list[Writer] = []
    if st.st_uid != 0:
        out.append(Writer("owner", accounts.name(st.st_uid), accounts.kind(st.st_uid)))
    if st.st_mode & stat.S_IWGRP:
        name, members = accounts.group(st.st_gid)
        uids = {m: accounts.uid_of(m) for m in members}
        others = tuple(m for m in members if uids[m] != 0)
        if st.st_gid != 0 or others:
            kinds = {accounts.kind(uid) if uid is not None else OwnerKind.UNKNOWN for uid in (uids[m] for m in others)}
            kind = OwnerKind.HUMAN if OwnerKind.HUMAN in kinds else (OwnerKind.SERVICE if kinds else OwnerKind.UNKNOWN)
            out.append(Writer("group", name, kind, others))
    if st.st_mode & stat.S_IWOTH:
        out.append(Writer("everyone", "*", OwnerKind.HUMAN))
    if _has_acl(path):
        out.append(Writer("acl", "POSIX ACL entries", OwnerKind.UNKNOWN))
    return tuple(out)


def _type_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "other"


class Inspector:
    """Reads :class:`PathInfo` for paths (``lstat`` only), remembering each answer for the run."""

    def __init__(self, accounts: Accounts | None = None) -> None:
        self.accounts = accounts or Accounts()
        self.seen: dict[str, PathInfo] = {}
        self._real: dict[str, str] = {}
        self._effective = os.access in os.supports_effective_ids

    def _realpath(self, path: str, st: os.stat_result | None) -> str:
        # realpath() re-walks every component; building on the parent's answer (memoized) is much cheaper
        # when hundreds of paths share their parents. Only a symlink needs the full resolution.
        if path in self._real:
            return self._real[path]
        parent = os.path.dirname(path)
        if st is None or stat.S_ISLNK(st.st_mode) or parent == path or sys.platform == "win32":
            real = os.path.realpath(path)
        else:
            real = os.path.join(self._realpath(parent, self._lstat(parent)), os.path.basename(path))
        self._real[path] = real
        return real

    def _lstat(self, path: str) -> os.stat_result | None:
        try:
            return os.lstat(path)
        except OSError:
            return None

    def inspect(self, path: str) -> PathInfo:
        """Facts about ``path`` itself (a symlink is described, not followed)."""
        path = os.path.normpath(path)
        if path in self.seen:
            return self.seen[path]
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            info = PathInfo(path, False, "missing", os.path.realpath(path))
        except OSError as exc:
            info = PathInfo(path, False, "missing", path, error=exc.strerror or str(exc))
        else:
            target = None
            if stat.S_ISLNK(st.st_mode):
                try:
                    target = os.readlink(path)
                except OSError:
                    target = None
            group = self.accounts.group(st.st_gid)[0]
            info = PathInfo(
                path=path,
                exists=True,
                type=_type_of(st.st_mode),
                realpath=self._realpath(path, st),
                symlink_target=target,
                owner=self.accounts.name(st.st_uid),
                uid=st.st_uid,
                group=group,
                gid=st.st_gid,
                mode=stat.S_IMODE(st.st_mode),
                owner_kind=self.accounts.kind(st.st_uid),
                writable_by_me=os.access(path, os.W_OK, effective_ids=self._effective),
                writers=writers_of(st, path, self.accounts),
            )
        self.seen[path] = info
        return info

    def inspect_with_parents(self, path: str) -> list[PathInfo]:
        """The path and each parent directory up to the root (a writable parent lets someone swap the path)."""
        out = [self.inspect(path)]
        parent = os.path.dirname(os.path.normpath(path))
        while parent and parent != path:
            out.append(self.inspect(parent))
            path, parent = parent, os.path.dirname(parent)
        return out

    def inspect_all(self, paths: Iterable[str]) -> list[PathInfo]:
        """:meth:`inspect` for each path."""
        return [self.inspect(p) for p in paths]
