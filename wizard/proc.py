"""Provides the one place the wizard starts other programs: argv lists only, a timeout each, never a shell."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from typing import Any

# Larger answers than this are not what any command we run should print; treat them as a failure.
MAX_OUTPUT = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Result:
    """How a program ended: its exit code (None if it was killed for running too long) and its output."""

    argv: tuple[str, ...]
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool = False
    start_error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the program started, finished in time and exited 0."""
        return self.returncode == 0 and not self.timed_out and self.start_error is None


class Running:
    """A started program; :meth:`result` waits for it (killing its whole process group on timeout)."""

    def __init__(
        self,
        argv: Sequence[str],
        popen: subprocess.Popen[str] | None,
        error: str | None,
        timeout: float,
        stdin_data: str | None,
    ) -> None:
        self.argv = tuple(argv)
        self._popen = popen
        self._error = error
        self._deadline = time.monotonic() + timeout
        self._started = time.monotonic()
        self._stdin = stdin_data

    def result(self) -> Result:
        """Waits until the program exits or its deadline passes; never raises for the program's failures."""
        if self._popen is None:
            return Result(self.argv, None, "", "", start_error=self._error)
        remaining = max(self._deadline - time.monotonic(), 0.05)
        try:
            out, err = self._popen.communicate(self._stdin, timeout=remaining)
        except subprocess.TimeoutExpired:
            _kill_group(self._popen)
            try:
                out, err = self._popen.communicate(timeout=2)
            except subprocess.TimeoutExpired:
                # A grandchild that left the group still holds our pipes: stop reading rather than hang.
                for stream in (self._popen.stdout, self._popen.stderr):
                    if stream is not None:
                        stream.close()
                self._popen.wait(timeout=2)
                out, err = "", ""
            return Result(
                self.argv, None, out or "", err or "", timed_out=True, seconds=time.monotonic() - self._started
            )
        return Result(
            self.argv,
            self._popen.returncode,
            out[:MAX_OUTPUT],
            err[:MAX_OUTPUT],
            seconds=time.monotonic() - self._started,
        )


def _kill_group(popen: subprocess.Popen[Any]) -> None:
    # The program runs in its own session, so killing the group also stops children it started (a shell
    # script's `sleep`), which would otherwise keep our pipes open and hang communicate().
    try:
        if sys.platform != "win32":
            os.killpg(popen.pid, signal.SIGKILL)
        else:  # pragma: no cover - exercised on Windows only
            popen.kill()
    except (ProcessLookupError, PermissionError):
        pass


def start(
    argv: Sequence[str],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    stdin_data: str | None = None,
    user: int | None = None,
    group: int | None = None,
    extra_groups: Sequence[int] | None = None,
) -> Running:
    """Starts ``argv`` without waiting; call ``.result()`` later.

    Args:
        argv: the program and its arguments; never passed through a shell.
        timeout: seconds from now after which the program and its children are killed.
        env: the complete environment for the program (default: inherit ours).
        cwd: working directory (default: ours).
        stdin_data: text written to its standard input (default: no input, stdin is /dev/null).
        user, group, extra_groups: run as this uid/gid with these supplementary groups (root only).
    """
    identity: dict[str, Any] = {}
    if user is not None:
        identity = {"user": user, "group": group, "extra_groups": list(extra_groups or [])}
    try:
        popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            text=True,
            errors="replace",
            start_new_session=sys.platform != "win32",
            **identity,
        )
    except OSError as exc:
        return Running(argv, None, exc.strerror or str(exc), timeout, None)
    return Running(argv, popen, None, timeout, stdin_data)


def stream(
    argv: Sequence[str],
    *,
    timeout: float,
    on_line: Callable[[str], None],
    env: Mapping[str, str] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Result:
    """Runs ``argv`` like :func:`run`, calling ``on_line`` with each line of its standard output as it arrives
    (for progress). ``cancel()`` turning true stops the program (and its group) like a timeout does."""
    import selectors
    import threading

    started = time.monotonic()
    try:
        popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None,
            start_new_session=sys.platform != "win32",
        )
    except OSError as exc:
        return Result(tuple(argv), None, "", "", start_error=exc.strerror or str(exc))
    assert popen.stdout is not None and popen.stderr is not None
    errors: list[bytes] = []
    err_stream = popen.stderr
    reader = threading.Thread(target=lambda: errors.append(err_stream.read()), daemon=True)
    reader.start()
    lines: list[str] = []
    pending = b""
    stopped = False
    with selectors.DefaultSelector() as sel, _killed_on_error(popen):
        sel.register(popen.stdout, selectors.EVENT_READ)
        while True:
            if time.monotonic() > started + timeout or (cancel is not None and cancel()):
                _kill_group(popen)
                stopped = True
                break
            if not sel.select(0.1):
                continue
            chunk = os.read(popen.stdout.fileno(), 1 << 16)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                raw, pending = pending.split(b"\n", 1)
                text = raw.decode("utf-8", "replace")
                lines.append(text)
                on_line(text)
    popen.wait()
    reader.join(timeout=2)
    out = "\n".join(lines) + ("\n" if lines else "") + pending.decode("utf-8", "replace")
    err = b"".join(errors).decode("utf-8", "replace")
    return Result(
        tuple(argv),
        None if stopped else popen.returncode,
        out[:MAX_OUTPUT],
        err[:MAX_OUTPUT],
        timed_out=stopped,
        seconds=time.monotonic() - started,
    )


@contextlib.contextmanager
def _killed_on_error(popen: subprocess.Popen[Any]) -> Iterator[None]:
    """Stops the program (and its group) when the caller is interrupted (Ctrl-C) or fails while it runs."""
    try:
        yield
    except BaseException:
        _kill_group(popen)
        popen.wait()
        raise


def run(
    argv: Sequence[str],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    stdin_data: str | None = None,
    user: int | None = None,
    group: int | None = None,
    extra_groups: Sequence[int] | None = None,
) -> Result:
    """Runs ``argv`` to completion (or until ``timeout``) and returns its :class:`Result`."""
    return start(
        argv,
        timeout=timeout,
        env=env,
        cwd=cwd,
        stdin_data=stdin_data,
        user=user,
        group=group,
        extra_groups=extra_groups,
    ).result()
