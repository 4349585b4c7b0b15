"""Provides probing of interpreters (in parallel, isolated, with a timeout) and turning answers into facts."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass

from wizard import proc
from wizard.detect import sitescan
from wizard.detect.marker import read_marker
from wizard.model import Interpreter, ProbeStatus, UserSite

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from wizard.detect.cache import ProbeCache
    from wizard.detect.discover import Candidate
    from wizard.detect.fsinfo import Inspector

# -E: ignore PYTHON* variables; -s: no user site; -S: no site module, so no .pth file and no sitecustomize
# runs; -B: write no bytecode. Run from "/" so that no module in the working directory can shadow the stdlib.
PROBE_FLAGS = ("-E", "-s", "-S", "-B")
MIN_VERSION = (3, 6)
_PROBE_SOURCE: list[str] = []


def probe_source() -> str:
    """The probe script's source, read once."""
    if not _PROBE_SOURCE:
        with open(os.path.join(os.path.dirname(__file__), "probe.py"), encoding="utf-8") as fh:
            _PROBE_SOURCE.append(fh.read())
    return _PROBE_SOURCE[0]


def probe_version() -> int:
    """The PROBE_VERSION of the probe script (part of every cache key)."""
    from wizard.detect import probe

    return int(probe.PROBE_VERSION)


def precheck(path: str) -> tuple[str, str] | None:
    """Reasons not to run ``path`` at all, as (error, hint); None when it may be probed."""
    if "\n" in path or "\0" in path:
        return (
            "the path contains a newline or NUL character",
            "pass the interpreter's plain path, for example /usr/bin/python3",
        )
    if not os.path.lexists(path):
        return "no such file", "check the path; `command -v python3` shows where python3 is"
    if not os.path.exists(path):
        return (f"is a broken symbolic link (to {os.readlink(path)})", "point --python at an interpreter that exists")
    if os.path.isdir(path):
        return (
            "is a directory, not a program",
            f"point --python at the interpreter inside it, e.g. {os.path.join(path, 'bin', 'python3')}",
        )
    if not os.access(path, os.X_OK):
        return "is not executable", "point --python at a Python interpreter, for example /usr/bin/python3"
    return None


def start_probe(path: str, timeout: float) -> proc.Running:
    """Starts the probe inside the interpreter at ``path``."""
    cwd = "/" if sys.platform != "win32" else None
    argv = [path, *PROBE_FLAGS, "-c", probe_source()]
    if sys.platform == "win32":  # pragma: no cover - Windows only: -I also keeps the script dir off sys.path
        argv.insert(1, "-I")
    return proc.start(argv, timeout=timeout, cwd=cwd)


NOT_PYTHON_HINT = "--python needs a Python 3.6+ interpreter, for example /usr/bin/python3"


def interpret(result: proc.Result, timeout: float) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """Turns a finished probe into (answer, error, hint)."""
    if result.start_error:
        return None, f"cannot be run: {result.start_error}", NOT_PYTHON_HINT
    if result.timed_out:
        return (
            None,
            f"did not answer within {timeout:g} s and was stopped",
            "if it is an interpreter, it hangs at start-up; otherwise leave it out (or raise --timeout)",
        )
    text = result.stdout.strip()
    try:
        answer = json.loads(text) if text.startswith("{") else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or "probe" not in answer:
        said = (result.stderr.strip() or text).splitlines()
        detail = f"; it said: {said[0][:120]}" if said else ""
        return (
            None,
            f"does not answer like a Python interpreter (exit code {result.returncode}{detail})",
            NOT_PYTHON_HINT,
        )
    if answer.get("probe_error"):
        return answer, f"the probe failed inside it: {answer['probe_error']}", None
    return answer, None, None


def _dedupe(items: Sequence[str | None]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        if item and os.path.normpath(item) not in out:
            out.append(os.path.normpath(item))
    return tuple(out)


def _on_path(directory: str | None, path_dirs: Sequence[str]) -> bool:
    if not directory:
        return False
    norm = os.path.normpath(directory)
    return any(os.path.normpath(d) == norm for d in path_dirs if d)


def failed(
    cand: Candidate,
    error: str,
    hint: str | None,
    answer: dict[str, Any] | None = None,
    status: ProbeStatus = ProbeStatus.ERROR,
) -> Interpreter:
    """An interpreter that could not be inspected, with what little is known."""
    version = answer.get("version") if answer else None
    return Interpreter(
        path=cand.path,
        realpath=os.path.realpath(cand.path),
        found_by=tuple(cand.found_by),
        status=status,
        error=error,
        hint=hint,
        shim=cand.shim,
        version=version,
        implementation=answer.get("implementation") if answer else None,
    )


def build(
    cand: Candidate,
    answer: dict[str, Any],
    cached: bool,
    inspector: Inspector,
    env: Mapping[str, str],
    path_dirs: Sequence[str],
) -> Interpreter:
    """Combines a probe answer with what the file system says now (owners, markers, pip, hooks)."""
    version_info = tuple(answer.get("version_info") or ())
    if version_info[:2] < MIN_VERSION or answer.get("unsupported"):
        return failed(
            cand,
            f"Python {answer.get('version')} is too old to inspect (3.6 or later is needed)",
            "Python 2 reached its end of life in 2020; a modern Python 3 is the one to set up",
            answer,
            ProbeStatus.UNSUPPORTED,
        )
    accounts = inspector.accounts
    paths: dict[str, str] = answer.get("paths") or {}
    distutils = answer.get("pip_target_distutils") or [None, None, None]
    pip_target = _dedupe([distutils[0] or paths.get("purelib"), distutils[1] or paths.get("platlib")])
    scripts = distutils[2] or paths.get("scripts")
    if scripts:
        paths = {**paths, "scripts": scripts}
    prefix, base_prefix = answer.get("prefix"), answer.get("base_prefix")
    is_venv = bool(prefix and base_prefix and os.path.realpath(prefix) != os.path.realpath(base_prefix)) or bool(
        answer.get("real_prefix")
    )
    site_packages = _dedupe(answer.get("site_packages") or [])
    user = UserSite(
        enabled=answer.get("enable_user_site") if not is_venv else False,
        base=answer.get("user_base"),
        site=answer.get("user_site"),
        scripts=answer.get("user_scripts"),
        on_path=_on_path(answer.get("user_scripts"), path_dirs),
    )
    user_dirs = [user.site] if user.enabled and user.site and os.path.isdir(user.site) else []
    import_dirs = _dedupe([*user_dirs, *site_packages, *pip_target])
    hooks, pth_paths = sitescan.scan_pth(import_dirs, accounts)
    sys_path = _dedupe(answer.get("sys_path") or [])
    hooks += sitescan.scan_customize(_dedupe([*sys_path, *import_dirs]), accounts)
    distro_dirs: tuple[str, ...] = ()
    if sys.platform.startswith("linux") and not is_venv and base_prefix == "/usr":
        distro_dirs = tuple(
            d
            for d in site_packages
            if d not in pip_target and d.startswith(("/usr/lib/", "/usr/lib64/", "/usr/share/"))
        )
    contents = tuple(sitescan.target_contents(t, accounts) for t in (*pip_target, *distro_dirs) if os.path.isdir(t))
    stdlib = paths.get("stdlib", "")
    for p in [*pip_target, *site_packages, *sys_path, *pth_paths, stdlib, scripts or "", *user_dirs]:
        if p:
            real = inspector.inspect_with_parents(p)[0].realpath
            if real != os.path.normpath(p):  # a symlinked directory: who can write the real one matters
                inspector.inspect_with_parents(real)
    for hook in hooks:
        inspector.inspect(hook.path)
    return Interpreter(
        path=cand.path,
        realpath=os.path.realpath(cand.path),
        found_by=tuple(cand.found_by),
        status=ProbeStatus.OK,
        shim=cand.shim,
        version=answer.get("version"),
        implementation=answer.get("implementation"),
        executable=answer.get("executable"),
        is_venv=is_venv,
        prefix=prefix,
        base_prefix=base_prefix,
        scheme=answer.get("scheme"),
        paths=paths,
        pip_target=pip_target,
        site_packages=site_packages,
        sys_path=sys_path,
        user_site=user,
        marker=read_marker(stdlib, env) if stdlib else None,
        pip=sitescan.find_pip(import_dirs),
        distro_dirs=distro_dirs,
        target_contents=contents,
        user_installed=sitescan.installed_names(user_dirs[0]) if user_dirs else (),
        startup_hooks=tuple(hooks),
        pth_paths=tuple(pth_paths),
        venv_module=answer.get("venv_module"),
        ensurepip=answer.get("ensurepip"),
        # Only a venv the wizard itself runs from is "its own" (a wizard installed into a system Python must still
        # be able to set that Python up).
        wizard_own=isinstance(prefix, str)
        and sys.prefix != sys.base_prefix
        and os.path.realpath(prefix) == os.path.realpath(sys.prefix),
        cached=cached,
    )


class ProbeBatch:
    """Starts every probe at once (reusing cached answers), so they run while other facts are gathered."""

    def __init__(self, candidates: Sequence[Candidate], cache: ProbeCache, timeout: float) -> None:
        self.cache = cache
        self.timeout = timeout
        self._items: list[tuple[Candidate, proc.Running | None, dict[str, Any] | None, tuple[str, str] | None]]
        self._items = []
        for cand in candidates:
            problem = precheck(cand.path)
            if problem:
                self._items.append((cand, None, None, problem))
                continue
            hit = cache.get(cand.path)
            self._items.append((cand, None if hit else start_probe(cand.path, timeout), hit, None))

    def results(self) -> list[Outcome]:
        """Waits for every probe; one :class:`Outcome` per candidate, in order."""
        out = []
        for cand, handle, hit, problem in self._items:
            if problem:
                out.append(Outcome(cand, None, problem[0], problem[1], False))
            elif hit is not None:
                out.append(Outcome(cand, hit, None, None, True))
            else:
                assert handle is not None
                answer, error, hint = interpret(handle.result(), self.timeout)
                if answer is not None and error is None:
                    self.cache.put(cand.path, answer)
                out.append(Outcome(cand, answer, error, hint, False))
        return out


@dataclass(frozen=True, slots=True)
class Outcome:
    """One probe's result: the answer (if any), or why there is none."""

    cand: Candidate
    answer: dict[str, Any] | None
    error: str | None
    hint: str | None
    cached: bool

    def interpreter(self, inspector: Inspector, env: Mapping[str, str], path_dirs: Sequence[str]) -> Interpreter:
        """The :class:`Interpreter` facts for this outcome."""
        if self.error or self.answer is None:
            return failed(self.cand, self.error or "no answer", self.hint, self.answer)
        return build(self.cand, self.answer, self.cached, inspector, env, path_dirs)
