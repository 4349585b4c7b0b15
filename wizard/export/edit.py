"""Provides the file edit both exports run on the target machine: the wizard's own marked-block and pip.conf edits.

The exports embed :mod:`wizard.textedit` itself followed by this module (without its imports from ``__future__``
and ``wizard``: the text before it is that module), and run it with the target's interpreter, so a playbook or a
script edits a shell start-up file or a pip.conf exactly the way `apply` does (same markers, same comment line,
same placement), atomically, keeping what people wrote.

Arguments: ``MODE OP PATH SCOPE OWNER GROUP [ARGS...]`` with MODE ``apply`` or ``check``, OP one of ``set-key
SECTION KEY VALUE``, ``unset-key SECTION KEY VALUE``, ``block LINE...``, ``unblock``; SCOPE ``root`` (a new file
and its new folders go to OWNER:GROUP) or ``user`` (it runs as the person, whose files stay theirs). It prints one
line when it changes something (or would, in check mode) and nothing when the file already says so.
"""

from __future__ import annotations

import os
import stat
import sys

from wizard.textedit import remove_block, set_block, set_key, unset_key


def _current(path: str) -> tuple[str, os.stat_result | None]:
    """The file's text and lstat, or ("", None) when it is missing; anything but a regular file is refused."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "", None
    if not stat.S_ISREG(st.st_mode):
        raise SystemExit(f"pip-setup-wizard export: refusing: {path} is not a regular file (move it out of the way)")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as fh:
        return fh.read().decode("utf-8", "replace"), st


def _ids(owner: str, group: str) -> tuple[int, int]:
    import grp
    import pwd

    entry = pwd.getpwnam(owner)
    return entry.pw_uid, entry.pw_gid if group == owner else grp.getgrnam(group).gr_gid


def _mkdirs(path: str, mode: int, uid: int, gid: int) -> None:
    """``path`` and its missing parents, top-down, each with this owner and mode (as the wizard makes them)."""
    if os.path.lexists(path) or path in ("", "/"):
        return
    _mkdirs(os.path.dirname(path), mode, uid, gid)
    os.mkdir(path, 0o700)
    if uid >= 0:
        os.chown(path, uid, gid, follow_symlinks=False)
    os.chmod(path, mode)


def _write(path: str, data: bytes, mode: int, uid: int, gid: int) -> None:
    """Temp file next to it (never an existing name, never through a link), fsynced, then renamed over it."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.pip-setup-wizard-{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, data)
        if uid >= 0:
            os.fchown(fd, uid, gid)
        os.fchmod(fd, mode)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def main(argv: list[str]) -> int:
    mode, op, path, scope, owner, group, *rest = argv
    text, st = _current(path)
    if op == "set-key":
        new, what = set_key(text, rest[0], rest[1], rest[2]), f"{rest[1]} = {rest[2]} set in [{rest[0]}]"
    elif op == "unset-key":
        new, what = unset_key(text, rest[0], rest[1], rest[2]), f"{rest[1]} = {rest[2]} removed from [{rest[0]}]"
    elif op == "block":
        new, what = set_block(text, rest), "pip-setup-wizard's marked block written"
    elif op == "unblock":
        new, what = remove_block(text), "pip-setup-wizard's marked block removed"
    else:
        raise SystemExit(f"pip-setup-wizard export: unknown edit {op!r}")
    if st is not None and new == text:
        return 0
    if mode == "check":
        print(f"would edit {path} ({what})")
        return 0
    if scope == "root":
        uid, gid = (st.st_uid, st.st_gid) if st is not None else _ids(owner, group)
        folders = 0o755
    else:
        uid = gid = -1
        folders = 0o700
    _mkdirs(os.path.dirname(path), folders, uid, gid)
    _write(path, new.encode(), stat.S_IMODE(st.st_mode) if st is not None else 0o644, uid, gid)
    print(f"edited {path} ({what})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
