"""Provides the private mount namespace the demo sets the root-level approaches up in, so the machine never changes.

The demo starts its inside part with ``unshare --mount --propagation private``: unshare makes a new mount namespace
and makes every mount in it private *before* it starts the command, so nothing mounted there can reach the
machine's namespace, and the namespace (with every mount and every file written into its tmpfs) disappears when
the last process in it exits — there is no holder process to keep alive or forget. Before mounting anything the
inside checks that it really is in another namespace and that no mount is shared, and refuses otherwise.

Inside, ``/tmp`` becomes a fresh tmpfs (the scratch space), and each place a set-up may change (``/etc``,
``/usr/local``, ``/var/lib``, homes, ...) gets an overlay whose writes land in that tmpfs, so every file stays
visible while every change stays private. Mounts below a covered place get overlays of their own (an overlay
shows only its own file system), single-file mounts (``/etc/hosts`` in a container) a private copy. A place an
overlay cannot cover is copied when small, otherwise made read-only; :meth:`Covers.private` tells the demo which
paths a set-up may change.
"""

from __future__ import annotations

import os
import sys

from wizard import proc
from wizard.demo.model import DemoError

# What the set-ups (useradd, sudoers, site-packages, wrapper, pip user's home, logs, mail) and their checks touch.
PLACES = ("/etc", "/usr/local", "/root", "/home", "/var/lib", "/var/log", "/var/mail", "/opt")
COPY_LIMIT = 64 << 20  # bytes: a place an overlay cannot cover is copied up to this size, else made read-only


def unavailable() -> str | None:
    """Why the demo cannot make its private namespace here (None when it can)."""
    if not sys.platform.startswith("linux"):
        return "mount namespaces are a Linux feature"
    if os.geteuid() != 0:
        return "making a mount namespace needs root"
    import shutil

    for tool in ("unshare", "mount"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (util-linux)"
    return None


def command(argv: list[str]) -> list[str]:
    """``argv`` run in a new, private mount namespace."""
    return ["unshare", "--mount", "--propagation", "private", "--", *argv]


def namespace_id() -> str:
    return os.readlink("/proc/self/ns/mnt")


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def mounts() -> list[tuple[str, str, bool]]:
    """(mount point, file system type, shared?) of every mount this process sees."""
    out = []
    with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            fields = line.split()
            dash = fields.index("-")
            shared = any(f.startswith("shared:") for f in fields[6:dash])
            out.append((_unescape(fields[4]), fields[dash + 1], shared))
    return out


def under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def verify_private(host_namespace: str) -> None:
    """Refuses to go on unless this process is in a namespace of its own in which nothing is shared."""
    if namespace_id() == host_namespace:
        raise DemoError(
            "the demo's inside part is running in the machine's own mount namespace: refusing to mount anything",
            context="Nothing was changed.",
            hint="this is a bug in the demo; please report it",
            ref="demo-not-private",
        )
    shared = [point for point, _fs, is_shared in mounts() if is_shared]
    if shared:
        raise DemoError(
            f"mounts in the demo's namespace still propagate to the machine: {', '.join(shared[:5])}",
            context="Nothing was changed.",
            hint="unshare --propagation private did not take effect; check the util-linux version",
            ref="demo-not-private",
        )


class Covers:
    """The private copies the inside part mounts, and which paths may therefore change."""

    def __init__(self, scratch: str) -> None:
        self.scratch = scratch
        self.layers = os.path.join(scratch, "layers")
        self.covered: list[str] = []  # private: writes stay in the namespace
        self.read_only: list[str] = []
        self.notes: list[str] = []
        self._n = 0

    def _mount(self, *argv: str) -> proc.Result:
        return proc.run(["mount", *argv], timeout=30)

    def _must(self, *argv: str) -> None:
        result = self._mount(*argv)
        if not result.ok:
            raise DemoError(
                f"mount {' '.join(argv)} failed: {(result.stderr or result.start_error or '').strip()}",
                context="Nothing was changed: the namespace goes away with the demo.",
                ref="demo-mount",
            )

    def _fresh(self, kind: str) -> str:
        self._n += 1
        path = os.path.join(self.layers, f"{kind}{self._n}")
        os.makedirs(path, mode=0o700)
        return path

    @staticmethod
    def scratch_tmpfs(path: str, keep: list[str] | None = None) -> None:
        """A fresh tmpfs over ``path`` (``/tmp``): the namespace's scratch space, gone with it. The folders in
        ``keep`` (the wizard's own code and interpreter, when they live under ``path``) stay visible in it,
        read-only: the tmpfs is first mounted on ``/run`` (only for these few calls, inside the namespace), the
        folders are bound into it, and it is then moved onto ``path``, its binds with it."""
        keep = sorted({os.path.realpath(k) for k in keep or [] if under(os.path.realpath(k), path)})
        keep = [k for k in keep if not any(under(k, other) and k != other for other in keep)]
        staging = "/run" if keep else path

        def must(*argv: str) -> None:
            done = proc.run(["mount", *argv], timeout=30)
            if not done.ok:
                raise DemoError(
                    f"mount {' '.join(argv)} failed: {(done.stderr or done.start_error or '').strip()}",
                    context="Nothing was changed: the namespace goes away with the demo.",
                    ref="demo-mount",
                )

        must("-t", "tmpfs", "-o", "mode=1777,nosuid,nodev", "tmpfs", staging)
        for folder in keep:
            inside = os.path.join(staging, os.path.relpath(folder, path))
            os.makedirs(inside, mode=0o755)
            must("--bind", folder, inside)
            must("-o", "remount,bind,ro", inside)
        if staging != path:
            must("--move", staging, path)

    def tmpfs(self, path: str) -> None:
        """An empty tmpfs with the same owner and mode over ``path`` (``/run/sudo``: sudo's timestamps)."""
        st = os.stat(path)
        self._must("-t", "tmpfs", "-o", f"mode={st.st_mode & 0o7777:o},uid={st.st_uid},gid={st.st_gid}", "tmpfs", path)
        self.covered.append(path)

    def blackhole(self, path: str) -> None:
        """An empty file over a socket (``/dev/log``): what the set-ups would log stays out of the system log."""
        stand_in = os.path.join(self.layers, "blackhole")
        if not os.path.exists(stand_in):
            open(stand_in, "w").close()
        if self._mount("--bind", stand_in, path).ok:
            self.notes.append(f"{path} is silenced inside the namespace, so the set-ups log nothing to the system log")

    def cover(self, place: str) -> None:
        """Makes ``place`` (and every mount below it) a private, copy-on-write view."""
        real = os.path.realpath(place)
        if not os.path.isdir(real) or any(under(real, c) for c in self.covered + self.read_only):
            return
        below = sorted({p for p, _fs, _s in mounts() if under(p, real) and p != real}, key=lambda p: p.count("/"))
        staged = []
        for point in below:  # bind each mount below first: the overlay on ``real`` hides them
            stage = self._fresh("stage")
            if not os.path.isdir(point):
                os.rmdir(stage)
                open(stage, "w").close()
            if self._mount("--bind", point, stage).ok:
                staged.append((point, stage))
        self._dir(real, real)
        for point, stage in staged:
            if os.path.isdir(stage):
                self._dir(stage, point)
            else:
                self._file(stage, point)

    def _dir(self, lower: str, point: str) -> None:
        if "," not in lower + point and ":" not in lower + point:
            upper, work = self._fresh("upper"), self._fresh("work")
            st = os.stat(lower)  # the overlay's top folder shows the upper folder's owner and mode
            os.chown(upper, st.st_uid, st.st_gid)
            os.chmod(upper, st.st_mode & 0o7777)
            for extra in (",metacopy=on", ""):  # metacopy: a chown copies no file data
                opts = f"lowerdir={lower},upperdir={upper},workdir={work}{extra}"
                if self._mount("-t", "overlay", "overlay", "-o", opts, point).ok:
                    self.covered.append(point)
                    return
        if _size(lower, COPY_LIMIT) <= COPY_LIMIT:
            copy = os.path.join(self._fresh("copy"), "tree")
            done = proc.run(["cp", "-a", "-x", "--", lower, copy], timeout=120)
            if done.ok and self._mount("--bind", copy, point).ok:
                self.covered.append(point)
                return
        self._must("--bind", lower, point)
        self._must("-o", "remount,bind,ro", point)
        self.read_only.append(point)
        self.notes.append(f"{point} could not be copied privately: it is read-only inside the namespace")

    def _file(self, stage: str, point: str) -> None:
        import shutil

        copy = os.path.join(self._fresh("file"), "copy")
        shutil.copy2(stage, copy)
        st = os.stat(stage)
        os.chown(copy, st.st_uid, st.st_gid)
        self._must("--bind", copy, point)
        self.covered.append(point)

    def private(self, path: str) -> bool:
        """True when a change at ``path`` stays in the namespace."""
        real = os.path.realpath(path)
        if any(under(real, r) for r in self.read_only):
            return False
        return any(under(real, c) for c in self.covered) or under(real, self.scratch)


def _size(path: str, limit: int) -> int:
    """The bytes under ``path`` (stops counting past ``limit``)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
            if total > limit:
                return total
    return total


def leaked(before: list[tuple[str, str, bool]]) -> list[str]:
    """Mount points on the demo's places that appeared in this (the machine's) namespace since ``before``: none,
    unless something went badly wrong."""
    ours = (*PLACES, "/tmp", "/run/sudo", "/dev/log")
    new = {p for p, _fs, _s in mounts()} - {p for p, _fs, _s in before}
    return sorted(p for p in new if any(under(p, place) for place in ours))


__all__ = ["PLACES", "Covers", "command", "leaked", "mounts", "namespace_id", "unavailable", "verify_private"]
