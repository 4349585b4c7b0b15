"""Provides the demo's root run, both halves: ``run_as_root`` starts the inside part in a new private mount namespace
and reads its JSON lines (progress, then the result); ``main`` is that inside part.

Inside, as root, it covers every place a set-up may change with a private copy (``wizard.demo.namespace``), sets
sudo-pip, pip-user and own-site up for real — one after the other, each switching from the one before, with the
wizard's own planners and executor — and installs the canary under each as the account that approach runs pip as.
A set-up step outside the private copies is refused before it runs. "You" is ``SUDO_USER``, or else a throwaway
account created inside the namespace.
"""

from __future__ import annotations

import json
import os
import sys
import time

from wizard import proc
from wizard.demo import namespace
from wizard.demo.model import SYSTEM_ROWS, DemoError, DemoResult
from wizard.demo.runner import SECURE_PATH, Cancelled, Demo, Person, Steps, target
from wizard.errors import WizardError
from wizard.journal import Store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from wizard.demo.runner import Progress
    from wizard.plan import Plan

# The inside part imports the wizard from exactly where this process did, ignoring the environment (-I) and
# writing no bytecode (-B): root must not leave .pyc files in a folder others can read from.
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from wizard.demo.as_root import main; sys.exit(main(sys.argv[2]))"
SCRATCH = "/tmp/pip-setup-wizard-demo"  # inside the namespace's own /tmp
TIMEOUT = 600.0
THROWAWAY = "psw-demo"


def run_as_root(python: str | None, on_progress: Progress | None, cancel: Callable[[], bool] | None) -> DemoResult:
    """Runs the inside part in a private mount namespace and returns its result."""
    problem = namespace.unavailable()
    if problem:
        raise DemoError(
            f"the demo cannot make its private mount namespace here: {problem}",
            context="Nothing was changed.",
            hint="run `pip-setup-wizard demo` as your normal user to watch the user-level approaches",
            ref="demo-no-namespace",
        )
    from wizard.safety import refuse_untrusted_self

    refuse_untrusted_self()
    import wizard

    spec = {"host_namespace": namespace.namespace_id(), "python": python, "sudo_user": os.environ.get("SUDO_USER")}
    argv = [sys.executable, "-I", "-B", "-c", BOOT, os.path.dirname(os.path.dirname(wizard.__file__)), json.dumps(spec)]
    env = {"PATH": SECURE_PATH, "LANG": "C.UTF-8", "HOME": os.path.expanduser("~root"), "PYTHONDONTWRITEBYTECODE": "1"}
    said: dict[str, Any] = {}

    def heard(text: str) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        if "progress" in message and on_progress is not None:
            on_progress(*message["progress"])
        said.update({k: v for k, v in message.items() if k in ("result", "error")})

    before = namespace.mounts()
    done = proc.stream(namespace.command(argv), timeout=TIMEOUT, on_line=heard, env=env, cancel=cancel)
    leaks = namespace.leaked(before)
    if leaks:  # cannot happen with a private namespace; if it ever does, take them off the machine at once
        for point in reversed(leaks):
            proc.run(["umount", "-l", point], timeout=30)
        raise DemoError(
            f"mounts of the demo's namespace appeared on the machine: {', '.join(leaks)}; they were detached",
            hint="please report this as a bug",
            ref="demo-leak",
        )
    if cancel is not None and cancel():
        raise Cancelled()
    if "error" in said:
        err = said["error"]
        raise DemoError(err["message"], context=err.get("context"), hint=err.get("hint"), ref=err.get("ref", "demo"))
    if "result" not in said:
        tail = " / ".join((done.stderr or done.start_error or "").strip().splitlines()[-3:])
        why = "it took too long" if done.timed_out else f"exit status {done.returncode}"
        raise DemoError(f"the demo's private namespace ended without a result ({why}): {tail}", ref="demo-inside")
    return DemoResult.from_dict(said["result"])


# --- inside the namespace -----------------------------------------------------------------------------------------


def main(spec_text: str) -> int:
    """The inside part's entry point: JSON lines on standard output, whatever happens."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr  # nothing else may write to the channel

    def emit(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    try:
        result = inside(json.loads(spec_text), lambda i, n, text: emit({"progress": [i, n, text]}))
        emit({"result": result.to_dict()})
        return 0
    except WizardError as err:
        emit({"error": {"message": err.message, "context": err.context, "hint": err.hint, "ref": err.ref}})
        return 1
    except Exception as exc:  # report it rather than die silently: the parent shows it
        import traceback

        traceback.print_exc()
        emit({"error": {"message": f"the demo failed inside its namespace: {type(exc).__name__}: {exc}"}})
        return 1


def _preload() -> None:
    """Imports now what later steps import lazily: once the covers are mounted the wizard's own files may be hidden
    (a copy under /tmp)."""
    import importlib

    for name in ("wizard.actions", "wizard.doctor", "wizard.executor", "wizard.journal", "wizard.strategies"):
        importlib.import_module(name)
    from wizard import texts

    texts.approaches()


def inside(spec: dict[str, Any], on_progress: Progress) -> DemoResult:
    started = time.monotonic()
    os.umask(0o022)  # the accounts the canary runs as must reach its sdist whatever umask root had
    os.chdir("/")  # nothing run from here may pick up the folder the demo was started in
    _preload()
    steps = Steps(12, on_progress, None)
    steps("making a private mount namespace with copies of the places the set-ups change")
    namespace.verify_private(spec["host_namespace"])
    # The wizard's own files (and the interpreter running it) may live under /tmp: they stay visible.
    namespace.Covers.scratch_tmpfs("/tmp", [sys.prefix, *(p for p in sys.path if p and os.path.isdir(p))])
    os.makedirs(os.path.join(SCRATCH, "run"), mode=0o755)
    covers = namespace.Covers(SCRATCH)
    os.makedirs(covers.layers, mode=0o700)
    for place in namespace.PLACES:
        covers.cover(place)
    if os.path.isdir("/run/sudo"):
        covers.tmpfs("/run/sudo")
    if os.path.exists("/dev/log"):
        covers.blackhole("/dev/log")
    os.environ["PIP_SETUP_WIZARD_HOME"] = os.path.join(SCRATCH, "home")

    steps("looking at this machine")
    _state, interp = target(spec.get("python"))
    for tree in (*interp.pip_target, interp.paths.get("scripts", "")):
        if tree and os.path.isdir(tree) and not covers.private(tree):
            covers.cover(tree)

    you, how = _person(spec.get("sudo_user"), covers, steps)
    os.environ["SUDO_USER"] = you.name
    from wizard.paths import DEFAULT_PIP_USER

    pip_user = DEFAULT_PIP_USER if Person.named(DEFAULT_PIP_USER) is None else f"{DEFAULT_PIP_USER}-demo"
    steps("building the canary")
    demo = Demo(interp, you, pip_user, SCRATCH, steps)
    rows = demo.user_rows()  # first: they must see the machine as it is, before any set-up

    store = Store(root=os.path.join(SCRATCH, "state"))
    for approach in SYSTEM_ROWS:
        steps(f"{approach}: setting it up for real, inside the namespace")
        try:
            _set_up(approach, demo, covers, store)
        except WizardError as err:
            steps(f"{approach}: could not be set up")
            rows.append(demo.predicted(approach, f"setting it up failed: {err.message}"))
            continue
        runner = {"sudo-pip": None, "pip-user": Person.named(pip_user), "own-site": you}[approach]
        if approach == "pip-user" and runner is None:
            steps(f"{approach}: no pip user")
            rows.append(demo.predicted(approach, f"the set-up did not create {pip_user}"))
            continue
        rows.append(demo.install(approach, runner))
    notes = [
        "Ran as root. sudo-pip, pip-user and own-site were set up for real, one after the other, by the wizard's own "
        "planner and executor inside a private mount namespace, on private copy-on-write copies of "
        + ", ".join(c for c in covers.covered if not any(namespace.under(c, o) and c != o for o in covers.covered))
        + " (and the mounts below them); the namespace, and everything written in it, went away when the demo "
        "ended. The machine itself did not change.",
        "Each install ran as the account that approach's own command runs pip as (root for sudo pip, the pip user "
        "for its wrapper command, you otherwise); the demo switched to that account itself rather than through sudo.",
        *covers.notes,
    ]
    return demo.result(rows, as_root=True, user_how=how, notes=notes, started=started)


def _person(sudo_user: str | None, covers: namespace.Covers, steps: Steps) -> tuple[Person, str]:
    """Who "you" is: SUDO_USER, or a throwaway account made inside the namespace."""
    person = Person.named(sudo_user) if sudo_user else None
    if person is not None and person.uid != 0:
        steps(f"you are {person.name} (SUDO_USER)")
        return person, f"{person.name}, who ran the demo through sudo (SUDO_USER)"
    name = THROWAWAY
    for n in range(2, 100):
        if Person.named(name) is None:
            break
        name = f"{THROWAWAY}{n}"
    steps(f"no SUDO_USER: creating a throwaway account {name} inside the namespace")
    for path in ("/etc/passwd", "/home", "/var/log", "/var/mail"):
        if os.path.exists(path) and not covers.private(path):
            raise DemoError(f"the demo could not copy {path} privately, so it creates no account", ref="demo-user")
    made = proc.run(
        ["useradd", "--create-home", "--shell", "/bin/bash", "--comment", "pip-setup-wizard demo", "--", name],
        timeout=60,
    )
    person = Person.named(name)
    if not made.ok or person is None:
        raise DemoError(f"creating the throwaway account {name} failed: {made.stderr.strip()}", ref="demo-user")
    return person, f"{name}, a throwaway account the demo created inside its namespace (there was no SUDO_USER)"


def touched(plan: Plan) -> list[str]:
    """Every path a plan's steps may change (reverted steps included; accounts change /etc and the logs)."""
    out: list[str] = []
    for step in plan.steps:
        data = step.to_dict()
        for d in (data, data.get("step") or {}):
            out += [d[k] for k in ("path", "home") if isinstance(d.get(k), str) and d[k]]
            if d.get("kind") in ("create-user", "delete-user"):
                out += [p for p in ("/etc/passwd", "/var/log", "/var/mail") if os.path.lexists(p)]
    return out


def _set_up(approach: str, demo: Demo, covers: namespace.Covers, store: Store) -> None:
    """Plans ``approach`` as `apply` would and applies it — refused before any change if a step would reach a place
    outside the private copies."""
    from wizard import executor
    from wizard.detect import DetectOptions
    from wizard.doctor import run as look
    from wizard.plan import PlanOptions
    from wizard.strategies import make_plan

    report = look(DetectOptions(pythons=(demo.python,), use_cache=False))
    options = PlanOptions(
        approach=approach,
        python=demo.python,
        user=demo.pip_user.name,
        owner=demo.you.name if approach == "own-site" else None,
    )
    plan = make_plan(report.state, report.diagnosis, options, store.applied())
    outside = sorted({p for p in touched(plan) if not covers.private(p)})
    if outside:
        raise DemoError(
            f"setting {approach} up would change {outside[0]}, which the demo could not copy privately",
            context="Nothing was changed.",
            ref="demo-outside",
        )
    executor.run(plan, store, executor.account_for(plan.human))
