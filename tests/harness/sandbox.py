"""A private mount namespace over copies of the system's mutable places, for real system-level tests.

Inside it, `/etc`, `/root`, `/home`, `/tmp`, `/var/log`, `/var/mail`, the target site-packages and
`/usr/local/bin` are copies (or empty tmpfs) bind-mounted over the real ones, so the real `/usr/bin/python3`,
`useradd`, `sudo`, `visudo` and `pip` run unchanged while nothing leaks to the machine (SPEC §9).

A holder process (`unshare --mount --propagation private -- cat`) keeps the namespace alive; every command is
run in it with `nsenter --target PID --mount`, optionally as another user with `setpriv`. The holder reads
stdin, so it exits (and the namespace goes away) even if the test process dies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("snapshot.py")
USER_LIBRARIES = (
    "rich",
    "pygments",
    "markdown_it",
    "mdurl",
    "questionary",
    "prompt_toolkit",
    "wcwidth",
    "platformdirs",
)
REPO = Path(__file__).resolve().parents[2]

# What a sandbox covers by default: (path, how). "copy" mounts a copy of the real directory over it;
# "empty" mounts an empty directory with the same owner and mode; "tmpfs" mounts a fresh tmpfs; "overlay" mounts
# an overlay whose writes go to the sandbox (for big directories such as /var/lib).
DEFAULT_COVER: tuple[tuple[str, str], ...] = (
    ("/etc", "copy"),
    ("/root", "empty"),
    ("/home", "copy"),
    ("/usr/local/bin", "copy"),
    ("/usr/local/lib/python3.11", "copy"),
    ("/var/log", "tmpfs"),
    ("/var/lib", "overlay"),
    ("/var/mail", "tmpfs"),
    ("/var/lib/sudo", "tmpfs"),
    ("/run/sudo", "tmpfs"),
    ("/tmp", "tmpfs"),
)


def unavailable_reason() -> str | None:
    """Why the sandbox cannot run here (None when it can)."""
    if sys.platform != "linux":
        return "the sandbox needs Linux mount namespaces"
    if os.geteuid() != 0:
        return "the sandbox needs root (unshare -m); CI runs as root"
    for tool in ("unshare", "nsenter", "setpriv", "mount"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    if probe.returncode != 0:
        return f"unshare -m fails here: {probe.stderr.decode(errors='replace').strip()}"
    return None


@dataclass
class Result:
    """A finished command: exit code and output."""

    argv: list[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


@dataclass
class Sandbox:
    """One private mount namespace; start() it, run() commands inside, stop() it."""

    cover: tuple[tuple[str, str], ...] = DEFAULT_COVER
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="psw-sandbox-", dir="/var/tmp")))
    holder: subprocess.Popen[bytes] | None = None
    keep: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        assert self.holder is not None, "sandbox not started"
        return self.holder.pid

    # --- life cycle ---------------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        os.chmod(self.base, 0o755)
        self.holder = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "--", "cat"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        try:
            self._wait_until_private()
            # What the test process itself needs must stay visible where a covered place would hide it.
            self.keep = sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, str(REPO))})
            staged = self._stage_keeps()
            for path, how in self.cover:
                self._cover(path, how)
            for original, stage in staged:
                self.ns(["mkdir", "-p", original])
                self.ns(["mount", "--bind", stage, original])
            self._assert_nothing_leaked()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_private(self) -> None:
        """Waits until the holder runs `cat`: unshare has then made its own namespace AND set propagation to private.

        Entering it earlier would put our mounts into the machine's namespace (or let them propagate there) and the
        clean-up would then delete real files through them.
        """
        ours = os.readlink("/proc/self/ns/mnt")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                comm = Path(f"/proc/{self.pid}/comm").read_text().strip()
                theirs = os.readlink(f"/proc/{self.pid}/ns/mnt")
            except OSError:
                comm, theirs = "", ours
            if comm == "cat" and theirs != ours:
                return
            if self.holder is not None and self.holder.poll() is not None:
                raise RuntimeError("the sandbox's namespace holder exited at once")
            time.sleep(0.005)
        raise RuntimeError("the sandbox's private mount namespace did not come up")

    def _host_mounts_under_base(self) -> list[str]:
        base = str(self.base)
        with open("/proc/self/mountinfo", encoding="utf-8") as fh:
            points = [line.split()[4] for line in fh]
        return [p for p in points if p == base or p.startswith(base + "/")]

    def _assert_nothing_leaked(self) -> None:
        leaked = self._host_mounts_under_base()
        with open("/proc/self/mountinfo", encoding="utf-8") as fh:
            covered = [line.split()[4] for line in fh if line.split()[4] in {c for c, _ in self.cover}]
        if leaked or covered:
            raise RuntimeError(f"sandbox mounts are visible outside the sandbox: {leaked + covered}")

    def stop(self) -> None:
        if self.holder is not None:
            assert self.holder.stdin is not None
            self.holder.stdin.close()
            self.holder.wait(timeout=10)
            self.holder = None
        # Never delete through a mount point: if anything of the sandbox is mounted where we can see it, detach it,
        # and if that fails leave the directory alone rather than risk removing the files behind the mount.
        for point in sorted(self._host_mounts_under_base(), key=len, reverse=True):
            subprocess.run(["umount", "-l", point], capture_output=True)
        if self._host_mounts_under_base():
            raise RuntimeError(f"not removing {self.base}: something is still mounted under it")
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _covered(self, path: str) -> bool:
        return any(path == c or path.startswith(c.rstrip("/") + "/") for c, _ in self.cover)

    def _stage_keeps(self) -> list[tuple[str, str]]:
        staged = []
        for i, original in enumerate(self.keep):
            if not self._covered(original) or not os.path.isdir(original):
                continue
            stage = self.base / "keep" / str(i)
            stage.mkdir(parents=True)
            self.ns(["mount", "--bind", original, str(stage)])
            staged.append((original, str(stage)))
        return staged

    def _cover(self, path: str, how: str) -> None:
        if not os.path.isdir(path):
            return  # nothing there to hide; creating it would change the machine
        if how == "tmpfs":
            st = os.stat(path)
            self.ns(
                [
                    "mount",
                    "-t",
                    "tmpfs",
                    "-o",
                    f"mode={st.st_mode & 0o7777:o},uid={st.st_uid},gid={st.st_gid}",
                    "tmpfs",
                    path,
                ]
            )
            return
        if how == "overlay":
            upper, work = self.base / "upper" / path.lstrip("/"), self.base / "work" / path.lstrip("/")
            upper.mkdir(parents=True)
            work.mkdir(parents=True)
            self.ns(
                ["mount", "-t", "overlay", "overlay", "-o", f"lowerdir={path},upperdir={upper},workdir={work}", path]
            )
            return
        copy = self.base / "root" / path.lstrip("/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        if how == "copy":
            subprocess.run(["cp", "-a", "--", path, str(copy)], check=True)
        else:
            st = os.stat(path)
            copy.mkdir()
            os.chown(copy, st.st_uid, st.st_gid)
            os.chmod(copy, st.st_mode & 0o7777)
        self.ns(["mount", "--bind", str(copy), path])

    # --- running things inside ------------------------------------------------------------------------------

    def ns(self, argv: list[str]) -> None:
        """Runs a set-up command inside the namespace as root; fails loudly."""
        if os.readlink(f"/proc/{self.pid}/ns/mnt") == os.readlink("/proc/self/ns/mnt"):
            raise RuntimeError("refusing to run a sandbox command in the machine's own mount namespace")
        subprocess.run(["nsenter", "--target", str(self.pid), "--mount", "--", *argv], check=True, capture_output=True)

    def run(
        self,
        argv: list[str],
        *,
        user: str | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
        timeout: float = 120,
        cwd: str = "/",
    ) -> Result:
        """Runs ``argv`` inside the sandbox (as ``user`` if given) and returns its result."""
        if os.readlink(f"/proc/{self.pid}/ns/mnt") == os.readlink("/proc/self/ns/mnt"):
            raise RuntimeError("refusing to run a test command in the machine's own mount namespace")
        cmd = ["nsenter", "--target", str(self.pid), "--mount", "--wd=/", "--"]
        if user is not None:
            cmd += ["setpriv", f"--reuid={user}", f"--regid={self.gid_of(user)}", "--init-groups", "--"]
        if cwd != "/":  # nsenter resolves --wd before entering the namespace, so change directory inside it
            argv = ["sh", "-c", 'cd "$0" && exec "$@"', cwd, *argv]
        full_env = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
            "HOME": self.home_of(user or "root"),
            "USER": user or "root",
            "LOGNAME": user or "root",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        full_env.update(env or {})
        done = subprocess.run([*cmd, *argv], capture_output=True, text=True, env=full_env, input=input, timeout=timeout)
        return Result([*argv], done.returncode, done.stdout, done.stderr)

    def sh(self, script: str, **kw: object) -> Result:
        """Runs a shell script inside the sandbox; raises if it fails."""
        result = self.run(["sh", "-euc", script], **kw)  # type: ignore[arg-type]
        if result.returncode != 0:
            raise AssertionError(f"sandbox command failed ({result.returncode}): {script}\n{result.stderr}")
        return result

    def _passwd(self, name: str) -> list[str]:
        out = self.run(["getent", "passwd", name]).stdout.strip()
        if not out:
            raise KeyError(name)
        return out.split(":")

    def gid_of(self, user: str) -> str:
        return self._passwd(user)[3]

    def home_of(self, user: str) -> str:
        if user == "root":
            return "/root"
        try:
            return self._passwd(user)[5]
        except KeyError:
            return "/"

    def add_user(self, name: str, *, system: bool = False, shell: str | None = None) -> None:
        """Creates a user with the real useradd (inside the sandbox's copy of /etc)."""
        argv = ["useradd"]
        argv += (
            ["--system", "--shell", shell or "/usr/sbin/nologin", "--create-home", "--home-dir", f"/var/lib/{name}"]
            if system
            else ["--create-home", "--shell", shell or "/bin/bash"]
        )
        self.sh(" ".join([*argv, "--", name]))

    # --- observing ----------------------------------------------------------------------------------------

    def snapshot(self, roots: list[str] | None = None) -> dict:
        """Owner, group, mode, content hash, link target of everything under ``roots``, plus accounts."""
        roots = roots or [p for p, how in self.cover if how not in ("tmpfs", "overlay") or p == "/tmp"]
        roots = [*roots, "/var/lib/pip-setup-wizard"] if "/var/lib/pip-setup-wizard" not in roots else roots
        result = self.run([sys.executable, "-I", str(SNAPSHOT), "--skip", *self.keep, "--", *roots])
        if result.returncode != 0:
            raise AssertionError(f"snapshot failed: {result.stderr}")
        return result.json()

    def python_path_for_users(self) -> str:
        """A copy of the wizard's source every user can read (the checkout may sit in a private home)."""
        target = self.base / "app"
        if not target.exists():
            shutil.copytree(REPO / "wizard", target / "wizard", ignore=shutil.ignore_patterns("__pycache__"))
            shutil.copytree(REPO / "content", target / "wizard" / "content")
            # The pure-Python libraries the front ends use, for an interpreter that has none of them.
            import importlib.util

            for name in USER_LIBRARIES:
                spec = importlib.util.find_spec(name)
                if spec is not None and spec.origin:
                    src = Path(spec.origin).parent
                    shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
            for d, _dirs, files in os.walk(target):
                os.chmod(d, 0o755)
                for f in files:
                    os.chmod(os.path.join(d, f), 0o644)
        return str(target)
