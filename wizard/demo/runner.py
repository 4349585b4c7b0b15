"""Provides the demo's runs: the canary installed with pip under each approach available here, as the account
that approach runs pip as, and each run's report set against the prediction for this machine.

As a normal user the demo runs what needs no root — a virtualenv in a temporary folder and ``pip install --user``
— and shows the root-level approaches as predictions only. As root it sets those up for real, with the wizard's
own planners and executor, inside a private mount namespace (``wizard.demo.inside``), so the machine never
changes. Either way pip's configuration files are ignored (``PIP_CONFIG_FILE`` is the null device), so a setting
such as ``only-binary`` or ``require-virtualenv`` cannot keep the canary from running, and nothing is installed:
the canary stops its own build.
"""

from __future__ import annotations

import os
import time

from wizard import proc
from wizard.demo import canary, predict
from wizard.demo.model import ROWS, SYSTEM_ROWS, DemoError, DemoResult, Row, Runner
from wizard.record import record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from wizard.model import Interpreter, MachineState

    Progress = Callable[[int, int, str], None]

SECURE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # what sudo gives root on Debian
USER_PATH = "/usr/local/bin:/usr/bin:/bin"
PIP_TIMEOUT = 120.0
NEEDS_ROOT = {
    "sudo-pip": "needs root: sudo would run this install-time code as root",
    "pip-user": "needs root to set up (a new account that owns site-packages); its install-time code would then "
    "run as that account",
    "own-site": "needs root to set up (a chown of site-packages); its install-time code would then run as you, "
    "with site-packages — which root imports — in reach",
}


class Cancelled(DemoError):
    def __init__(self) -> None:
        super().__init__("the demo was stopped", context="Nothing was changed.", ref="demo-cancelled")


@record(frozen=True)
class Person:
    """An account the canary runs as."""

    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]
    home: str
    shell: str

    @property
    def runner(self) -> Runner:
        return Runner(self.name, self.uid, (self.gid, *(g for g in self.groups if g != self.gid)))

    @classmethod
    def named(cls, name: str) -> Person | None:
        import pwd

        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            return None
        try:
            groups = tuple(os.getgrouplist(name, pw.pw_gid))
        except OSError:
            groups = (pw.pw_gid,)
        return cls(name, pw.pw_uid, pw.pw_gid, groups, pw.pw_dir, pw.pw_shell)


class Steps:
    """Progress: each call announces the next stage; a requested stop ends the demo between stages."""

    def __init__(self, total: int, on_progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
        self.total, self.done = total, 0
        self.on_progress, self.cancel = on_progress, cancel

    def __call__(self, text: str) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        self.done = min(self.done + 1, self.total)
        if self.on_progress is not None:
            self.on_progress(self.done, self.total, text)


def target(python: str | None, env: dict[str, str] | None = None) -> tuple[MachineState, Interpreter]:
    """The interpreter the demo installs with (``--python``, default the system python3), as detection sees it."""
    from wizard.detect import DetectOptions, detect
    from wizard.plan import PlanOptions
    from wizard.strategies.common import target_interpreter

    state = detect(DetectOptions(pythons=(python,) if python else (), use_cache=False, env=env))
    interp = target_interpreter(state, PlanOptions(approach="virtualenv", python=python))
    if interp.pip is None or not interp.pip.present:
        raise DemoError(
            f"{interp.path} has no pip, so there is nothing to watch",
            hint="install pip for it (on Debian: apt install python3-pip), or pass another --python",
            ref="demo-no-pip",
        )
    return state, interp


class Demo:
    """One run: the places, the facts and predictions, the canary, and the installs under each approach."""

    def __init__(self, interp: Interpreter, you: Person, pip_user: str, folder: str, steps: Steps) -> None:
        import pwd
        import secrets

        self.interp, self.you, self.folder, self.steps = interp, you, folder, steps
        self.python = interp.path
        self.site_packages = interp.pip_target[0] if interp.pip_target else interp.paths.get("purelib", "")
        self.trees = interp.pip_target or (self.site_packages,)
        self.places = predict.places(self.site_packages, you.home, you.shell, pwd.getpwuid(0).pw_dir)
        self.facts = predict.gather(self.places)
        self.names = predict.namer(pip_user)
        self.root = Runner("root", 0, (0,))
        self.pip_user = Runner(pip_user, None, ())
        self.nonce = secrets.token_hex(8)
        self.marker = bool(interp.marker and interp.marker.present)
        canary_dir = os.path.join(folder, "canary")
        os.makedirs(canary_dir, mode=0o755)
        os.chmod(canary_dir, 0o755)
        self.sdist = canary.build(canary_dir, self.nonce, self.places)

    # --- predictions ----------------------------------------------------------------------------------------

    def predicted(self, approach: str, why_not: str = "") -> Row:
        """The row as the sources predict it for this machine (not run, unless filled in by :meth:`observe`)."""
        runner = predict.runner_for(approach, self.root, self.pip_user, self.you.runner)
        facts = predict.after(approach, self.facts, self.trees, self.you.runner)
        cells = {p.id: predict.predict(runner, p, facts, self.names) for p in self.places}
        return Row(approach, runner, cells, not_run=why_not, command=self.command(approach))

    def command(self, approach: str) -> str:
        """What a person types for this install."""
        name = os.path.basename(self.sdist)
        return {
            "sudo-pip": f"sudo {self.python} -m pip install {name}",
            "pip-user": f"{self.pip_user.name}-pip install {name}",
            "own-site": f"{self.python} -m pip install {name}",
            "virtualenv": f"VENV/bin/python -m pip install {name}",
            "user-scheme": f"{self.python} -m pip install --user {name}",
        }[approach]

    # --- running --------------------------------------------------------------------------------------------

    def workspace(self, who: Person | None) -> str:
        """A private folder for one account's run (its TMPDIR, a venv): inside the demo's own folder."""
        name = who.name if who else "root"
        path = os.path.join(self.folder, "run", name)
        os.makedirs(path, mode=0o700, exist_ok=True)
        if who is not None and who.uid != os.geteuid():
            os.chown(path, who.uid, who.gid)
        return path

    def env(self, who: Person | None, tmp: str, outside_venv: bool) -> dict[str, str]:
        """A clean environment: nothing of the caller's PIP_* or PYTHON* settings, pip's config files off."""
        home = who.home if who else os.path.expanduser("~root")
        name = who.name if who else "root"
        env = {
            "PATH": USER_PATH if who else SECURE_PATH,
            "HOME": home,
            "USER": name,
            "LOGNAME": name,
            "LANG": "C.UTF-8",
            "TMPDIR": tmp,
            "PIP_CONFIG_FILE": os.devnull,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        if outside_venv and self.marker:
            env["PIP_BREAK_SYSTEM_PACKAGES"] = "1"  # this one run only; the canary stops before anything installs
        if who is None:
            env["PIP_ROOT_USER_ACTION"] = "ignore"
        return env

    def start(self, who: Person | None, argv: list[str], env: dict[str, str], cwd: str) -> proc.Running:
        """Starts ``argv`` as ``who`` (None: root, i.e. this process)."""
        if who is not None and who.uid != os.geteuid():
            ident = who.runner
            return proc.start(
                argv, timeout=PIP_TIMEOUT, env=env, cwd=cwd, user=who.uid, group=who.gid, extra_groups=ident.gids
            )
        return proc.start(argv, timeout=PIP_TIMEOUT, env=env, cwd=cwd)

    def pip(self, python: str, *extra: str) -> list[str]:
        flags = ["--no-index", "--no-cache-dir", "--disable-pip-version-check", "--no-input"]
        return [python, "-m", "pip", "install", *flags, *extra, self.sdist]

    def observe(self, row: Row, result: proc.Result, argv: list[str]) -> Row:
        """The row with the canary's report filled in (or why there is none)."""
        if result.timed_out:
            return replace(row, not_run=f"pip did not finish within {PIP_TIMEOUT:.0f} s", argv=tuple(argv))
        try:
            observed, checks = canary.parse(result.stdout + "\n" + result.stderr, self.nonce, row.cells)
        except DemoError as err:
            tail = (result.stderr or result.stdout or result.start_error or "").strip().splitlines()[-3:]
            return replace(row, not_run=f"{err.message}; pip said: {' / '.join(tail)}", argv=tuple(argv))
        cells = {k: replace(c, observed=checks[k][0], checked=checks[k][1]) for k, c in row.cells.items()}
        return replace(
            row, cells=cells, ran=True, observed=observed, argv=tuple(argv), seconds=result.seconds, not_run=""
        )

    def install(self, approach: str, who: Person | None, python: str | None = None) -> Row:
        """Installs the canary as ``who`` (None: root) under ``approach``'s set-up, which must be in place."""
        self.steps(f"{approach}: pip install the canary as {who.name if who else 'root'}")
        row = self.predicted(approach)
        tmp = self.workspace(who)
        argv = self.pip(python or self.python)
        return self.observe(row, self.start(who, argv, self.env(who, tmp, True), tmp).result(), argv)

    def user_rows(self) -> list[Row]:
        """The rows that need no root: a virtualenv of the person's own, and ``pip install --user``."""
        who = self.you
        tmp = self.workspace(who)
        self.steps(f"pip --user and virtualenv: pip install the canary as {self.you.name}")
        user_argv = self.pip(self.python, "--user")
        by_user = self.start(who, user_argv, self.env(who, tmp, True), tmp)
        venv = os.path.join(tmp, "venv")
        venv_row = self.predicted("virtualenv")
        made = self.start(
            who,
            [self.python, "-m", "venv", "--without-pip", "--system-site-packages", venv],
            self.env(who, tmp, False),
            tmp,
        ).result()
        if not made.ok:
            detail = (made.stderr or made.start_error or "").strip().splitlines()[-1:]
            venv_row = replace(venv_row, not_run=f"python -m venv failed: {' '.join(detail)}")
        else:
            argv = self.pip(os.path.join(venv, "bin", "python"))
            venv_row = self.observe(venv_row, self.start(who, argv, self.env(who, tmp, False), tmp).result(), argv)
        self.steps(f"pip --user and virtualenv: reading the canary's reports as {self.you.name}")
        user_row = self.observe(self.predicted("user-scheme"), by_user.result(), user_argv)
        return [venv_row, user_row]

    def result(self, rows: list[Row], *, as_root: bool, user_how: str, notes: list[str], started: float) -> DemoResult:
        from wizard import __version__

        order = {a: i for i, a in enumerate(ROWS)}
        notes = [
            *notes,
            "pip's configuration files were ignored for these installs, so settings such as only-binary or "
            "require-virtualenv could not keep the canary from running.",
        ]
        if self.marker:
            notes.append(
                f"{self.python} is marked externally managed (PEP 668): the demo's pip runs outside a venv were "
                "told to override that (for that run only); the canary stopped each build, so nothing was installed."
            )
        return DemoResult(
            as_root=as_root,
            user=self.you.name,
            user_how=user_how,
            interpreter=self.python,
            site_packages=self.site_packages,
            places=self.places,
            rows=tuple(sorted(rows, key=lambda r: order.get(r.approach, 99))),
            notes=tuple(notes),
            seconds=time.monotonic() - started,
            tool={"name": "pip-setup-wizard", "version": __version__},
        )


def run(
    python: str | None = None,
    on_progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> DemoResult:
    """The blast-radius demo on this machine: as root every approach (in a private namespace), otherwise the ones
    a normal user can run, with the others predicted. Changes nothing outside its temporary folders."""
    if python is not None:  # refused here, before a namespace exists
        from wizard.safety import check_absolute

        check_absolute(python, "--python path")
        if not os.access(python, os.X_OK) or os.path.isdir(python):
            raise DemoError(
                f"--python {python}: there is no program to run there",
                hint="pass the path of a Python interpreter, for example /usr/bin/python3",
                ref="demo-python",
            )
    if os.geteuid() == 0:
        from wizard.demo.as_root import run_as_root

        return run_as_root(python, on_progress, cancel)
    return run_as_user(python, on_progress, cancel)


def run_as_user(python: str | None, on_progress: Progress | None, cancel: Callable[[], bool] | None) -> DemoResult:
    """The user-level rows for real, in a temporary folder that is removed afterwards; the others predicted."""
    import shutil
    import tempfile

    started = time.monotonic()
    steps = Steps(4, on_progress, cancel)
    steps("looking at this machine")
    _state, interp = target(python)
    you = Person.named(_my_name())
    if you is None:
        raise DemoError("this account is not in the account database", hint="run the demo as a normal user")
    folder = tempfile.mkdtemp(prefix="pip-setup-wizard-demo-")
    try:
        steps("building the canary")
        from wizard.paths import DEFAULT_PIP_USER

        demo = Demo(interp, you, DEFAULT_PIP_USER, folder, steps)
        rows = demo.user_rows()
        rows += [demo.predicted(a, NEEDS_ROOT[a]) for a in SYSTEM_ROWS]
        notes = [
            f"Ran as {you.name}, in a temporary folder that is gone again. As root (`sudo pip-setup-wizard demo`) the "
            "demo also sets the three root-level approaches up for real, inside a private mount namespace, and "
            "shows what their install-time code could reach."
        ]
        return demo.result(rows, as_root=False, user_how=f"{you.name}, who ran the demo", notes=notes, started=started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _my_name() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())
