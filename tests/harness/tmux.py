"""A private tmux server with one pane, for driving a full-screen program in a real terminal.

Each `Tmux` runs its own server on a socket in a temporary directory (never the user's server), with no user
configuration, `remain-on-exit on` (so a program's exit status can be read after it ends) and a fixed size.
Programs run in the pane with exactly the environment given (plus TERM), not the caller's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from signal import SIGCHLD

TMUX = shutil.which("tmux")

CONFIG = """\
set -g remain-on-exit on
set -g default-terminal tmux-256color
set -g status off
set -g history-limit 0
"""


class Tmux:
    """One detached session ``w`` of ``width`` x ``height`` on a private server."""

    def __init__(self, width: int = 100, height: int = 32, env: dict[str, str] | None = None) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.width, self.height = width, height
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})}
        self._dir = tempfile.TemporaryDirectory(prefix="tmux-")
        self.socket = str(Path(self._dir.name) / "sock")
        self.config = Path(self._dir.name) / "tmux.conf"
        self.config.write_text(CONFIG)
        self.started = False

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = [str(TMUX), "-S", self.socket, "-f", str(self.config), *args]
        return subprocess.run(argv, capture_output=True, text=True, check=check, env=self.env)

    def start(self, argv: Sequence[str]) -> None:
        """Starts the session running ``argv`` (directly, no shell)."""
        self.tmux("new-session", "-d", "-s", "w", "-x", str(self.width), "-y", str(self.height), *argv)
        self.started = True

    def respawn(self, argv: Sequence[str]) -> None:
        """Runs ``argv`` in the (dead) pane again: a new program without starting a new server."""
        self.tmux("respawn-pane", "-k", "-t", "w", *argv)

    def send(self, *keys: str) -> None:
        """tmux key names (``n``, ``Escape``, ``Enter``, ``?``) sent to the pane as if typed."""
        self.tmux("send-keys", "-t", "w", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "w").stdout

    def info(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", "w", fmt).stdout.strip()

    def pane_pid(self) -> int:
        return int(self.info("#{pane_pid}"))

    def exit_status(self) -> int | None:
        """The program's exit status once it has ended (minus the signal's number if one killed it), else None."""
        # The pane reads as dead as soon as its terminal closes; the status follows once tmux reaps the process,
        # which it does on SIGCHLD. tmux before 3.5 sometimes loses that signal when remain-on-exit is on, leaving
        # the program a zombie and the status empty for good: then remind our own server with a SIGCHLD of its
        # own (it only makes it call waitpid).
        for nudge in (False, True):
            dead, status, signal = self.info("#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}").split(":")
            if dead != "1":
                return None
            if status:
                return int(status)
            if signal:
                return -int(signal)
            if not nudge:
                os.kill(int(self.info("#{pid}")), SIGCHLD)
                time.sleep(0.01)
        return None

    def wait_for(self, done: Callable[[str], bool], timeout: float, interval: float = 0.005) -> str:
        """Polls the screen until ``done(screen)``; returns that screen. TimeoutError shows the last one."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if done(text):
                return text
            if time.monotonic() > deadline:
                raise TimeoutError(f"screen did not change as expected within {timeout} s; it shows:\n{text}")
            time.sleep(interval)

    def wait_text(self, *texts: str, timeout: float = 10.0, interval: float = 0.005) -> str:
        """Waits until every one of ``texts`` is on the screen."""
        return self.wait_for(lambda s: all(t in s for t in texts), timeout, interval)

    def wait_exit(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the program did not exit within {timeout} s; it shows:\n{self.screen()}")
            time.sleep(0.02)
        return status

    def close(self) -> None:
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False
        self._dir.cleanup()

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
