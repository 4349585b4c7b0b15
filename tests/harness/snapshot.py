"""Prints a JSON snapshot of file trees and accounts: the before/after evidence every system test compares.

Usage: python -I snapshot.py [--skip PATH ...] -- ROOT [ROOT ...]
Stdlib only; it runs inside the sandbox, as root, with the interpreter of the test process.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys


def entry(path: str) -> dict[str, object]:
    st = os.lstat(path)
    out: dict[str, object] = {"uid": st.st_uid, "gid": st.st_gid, "mode": format(stat.S_IMODE(st.st_mode), "04o")}
    if stat.S_ISLNK(st.st_mode):
        out["type"] = "link"
        out["target"] = os.readlink(path)
    elif stat.S_ISDIR(st.st_mode):
        out["type"] = "dir"
    elif stat.S_ISREG(st.st_mode):
        out["type"] = "file"
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 16), b""):
                digest.update(chunk)
        out["sha256"] = digest.hexdigest()
        out["nlink"] = st.st_nlink
    else:
        out["type"] = "other"
    return out


def walk(root: str, skip: set[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    if not os.path.lexists(root):
        return {root: None}
    out[root] = entry(root)
    if not os.path.isdir(root) or os.path.islink(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if os.path.join(dirpath, d) not in skip)
        for name in sorted(dirnames + filenames):
            full = os.path.join(dirpath, name)
            if full in skip:
                continue
            try:
                out[full] = entry(full)
            except FileNotFoundError:
                continue
    return out


def accounts() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in ("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow"):
        try:
            with open(name, encoding="utf-8") as fh:
                # Password-change dates differ by day, not by what a test did; keep them (they would change
                # only if an account changed).
                out[name] = sorted(line.rstrip("\n") for line in fh)
        except OSError:
            out[name] = []
    try:
        out["sudoers.d"] = sorted(os.listdir("/etc/sudoers.d"))
    except OSError:
        out["sudoers.d"] = []
    return out


def main(argv: list[str]) -> int:
    skip: set[str] = set()
    roots: list[str] = []
    mode = None
    for arg in argv:
        if arg == "--skip":
            mode = "skip"
        elif arg == "--":
            mode = "roots"
        elif mode == "skip":
            skip.add(arg)
        else:
            roots.append(arg)
    files: dict[str, object] = {}
    for root in roots:
        files.update(walk(root, skip))
    json.dump({"files": files, "accounts": accounts()}, sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
