"""Provides the fleet export: the very plan `plan` computes, written as an Ansible playbook or a POSIX sh script.

There is no second planner: each step of the plan becomes tasks (or sh code) that make the same change with the
same guards, and the guards run first, on the target machine, so a machine that differs from the one the plan was
made on is refused before anything changes. Both formats share one sh library (``lib.sh``) for the guards and the
tree changes, and run the wizard's own marked-block and pip.conf edits (``edit.py`` after ``wizard.textedit``).
"""

from __future__ import annotations

from importlib import resources

from wizard import __version__
from wizard.errors import UsageError
from wizard.plan import (
    ROOT,
    ChownTree,
    CreateUser,
    CreateVenv,
    DeleteUser,
    EnsureBlock,
    EnsureDirs,
    RemoveBlock,
    RemoveFile,
    RestrictTree,
    Revert,
    SetConfigKey,
    UnsetConfigKey,
    WriteFile,
)
from wizard.record import record
from wizard.safety import NAME, check_user_name, refuse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.model import MachineState
    from wizard.plan import Plan, PlanOptions, Step

FORMATS = ("ansible", "shell")
FILE_STEPS = (WriteFile, RemoveFile, EnsureBlock, RemoveBlock, SetConfigKey, UnsetConfigKey)


@record(frozen=True)
class Facts:
    """What the export assumes about the machine, as detection found it where the plan was made."""

    command: str
    interpreter: str
    version: str  # "3.11.2"
    targets: tuple[str, ...]
    marker: bool
    person: str
    home: str
    shell: str
    machine: str

    @property
    def short_version(self) -> str:
        return ".".join(self.version.split(".")[:2])


@record(frozen=True)
class Guard:
    """A read-only check on the target machine: a function of ``lib.sh`` and its arguments."""

    title: str
    argv: tuple[str, ...]


def library() -> str:
    """The shared sh library, with the wizard's account-name rule filled in."""
    text = resources.files("wizard.export").joinpath("lib.sh").read_text(encoding="utf-8")
    return text.replace("@NAME_RULE@", NAME.pattern)


def edit_program() -> str:
    """The Python program both exports run for file edits: wizard.textedit, then the driver ``edit.py``."""
    textedit = resources.files("wizard").joinpath("textedit.py").read_text(encoding="utf-8")
    driver = resources.files("wizard.export").joinpath("edit.py").read_text(encoding="utf-8")
    # The driver's own imports of __future__ (must open a module) and of wizard (the text above is that module).
    kept = [line for line in driver.splitlines() if not line.startswith(("from __future__ ", "from wizard."))]
    return textedit.rstrip("\n") + "\n\n\n" + "\n".join(kept) + "\n"


def command_line(options: PlanOptions, fmt: str) -> str:
    """The export command that gives this plan (only the options that differ from the defaults)."""
    import shlex

    parts = ["pip-setup-wizard", "export", options.approach, "--format", fmt]
    for flag, value in (
        ("--python", options.python),
        ("--user", options.user if options.user != "pipinstall" else None),
        ("--owner", options.owner),
        ("--target", options.target),
        ("--venv", options.venv),
        ("--shell-rc", options.shell_rc if options.shell_rc != "none" else None),
    ):
        if value:
            parts += [flag, value]
    for flag, on in (
        ("--require-virtualenv", options.require_virtualenv),
        ("--only-binary", options.only_binary),
        ("--break-system-packages", options.break_system_packages),
        ("--uv", options.uv),
    ):
        if on is not None and (on or flag in ("--require-virtualenv", "--uv")):
            parts.append(flag if on else flag.replace("--", "--no-", 1))
    return " ".join(shlex.quote(p) for p in parts)


def facts_for(plan: Plan, state: MachineState, fmt: str) -> Facts:
    """The facts the export assumes; refuses a plan an export cannot carry (nothing to do, or a switch)."""
    from wizard.executor import account_for

    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint="pass --format ansible or --format shell")
    if any(isinstance(s, Revert) for s in plan.steps):
        raise refuse(
            f"the plan for {plan.approach} here first reverts {plan.reverts}, which pip-setup-wizard applied on this "
            "machine: those steps need this machine's journal, which an export cannot carry",
            "export on a machine where pip-setup-wizard has applied nothing, or run `pip-setup-wizard undo` here first",
            "export-switch",
        )
    if not plan.changes:
        raise refuse(
            f"{plan.approach} is already set up for {plan.interpreter} here, so its plan has no steps and the export "
            "would do nothing",
            "export on a machine that still needs it: a plan lists only what its machine is missing",
            "export-empty",
        )
    interp = state.interpreter(plan.interpreter)
    person = account_for(plan.human)
    if interp is None or person is None:
        raise refuse(
            f"the plan's interpreter {plan.interpreter} or person {plan.human} is not known here",
            "run the export again",
            "export-facts",
        )
    check_user_name(person.name, "account name of the person")
    platform = state.platform
    machine = platform.distro_name or platform.system
    if platform.distro_version and platform.distro_version not in machine:
        machine += f" {platform.distro_version}"
    return Facts(
        command=command_line(plan.options, fmt),
        interpreter=plan.interpreter,
        version=interp.version or "",
        targets=interp.pip_target,
        marker=bool(interp.marker and interp.marker.present),
        person=person.name,
        home=person.home,
        shell=person.shell,
        machine=machine,
    )


def names(plan: Plan, facts: Facts) -> dict[str, str]:
    """Every account or group name the plan uses, with what it is (each checked against the name rule)."""
    found = {facts.person: "account name of the person"}
    for step in plan.steps:
        if isinstance(step, (CreateUser, DeleteUser)):
            found.setdefault(step.name, "pip user name")
        elif isinstance(step, (ChownTree, EnsureDirs)) or (
            isinstance(step, (WriteFile, SetConfigKey)) and not step.as_user
        ):
            found.setdefault(step.owner, "owner")
            found.setdefault(step.group, "group")
    for name, what in found.items():
        check_user_name(name, what)
    return found


def guards(plan: Plan, facts: Facts) -> list[Guard]:
    """The checks that run before anything changes, in order; the name rule comes first (see :func:`names`)."""
    out = [Guard(f"{facts.person} exists, with the home {facts.home}", ("psw_check_account", facts.person, facts.home))]
    trees = [
        s.path for s in plan.steps if isinstance(s, (ChownTree, RestrictTree, EnsureDirs)) and s.path in facts.targets
    ]
    out.append(
        Guard(
            f"{facts.interpreter} is Python {facts.short_version}"
            + (f" and installs into {', '.join(dict.fromkeys(trees))}" if trees else ""),
            ("psw_check_python", facts.interpreter, facts.short_version, *dict.fromkeys(trees)),
        )
    )
    created = {s.name for s in plan.steps if isinstance(s, CreateUser)}
    for name, what in names(plan, facts).items():
        if what == "owner" and name not in created and name not in (facts.person, "root"):
            out.append(Guard(f"the account {name} exists", ("psw_check_account", name)))
    made: set[str] = set()
    for step in plan.steps:
        out.extend(_step_guards(step, made))
    unique: dict[tuple[str, ...], Guard] = {}
    for guard in out:
        unique.setdefault(guard.argv, guard)
    return list(unique.values())


def _step_guards(step: Step, made: set[str]) -> list[Guard]:
    if isinstance(step, CreateUser):
        shell = step.argv()[step.argv().index("--shell") + 1]
        return [
            Guard(
                f"the pip user {step.name} is new, or one pip-setup-wizard made",
                ("psw_check_new_user", step.name, step.comment, shell),
            )
        ]
    if isinstance(step, DeleteUser):
        return [
            Guard(f"{step.name} is an account pip-setup-wizard made", ("psw_check_ours", step.name, CreateUser.comment))
        ]
    if isinstance(step, EnsureDirs):
        made.add(step.path)
        return [Guard(f"{step.path} is a real directory or missing", ("psw_check_dir", step.path, "missing-ok"))]
    if isinstance(step, (ChownTree, RestrictTree)):
        if step.path in made:
            return [Guard(f"{step.path} is a real directory or missing", ("psw_check_dir", step.path, "missing-ok"))]
        return [Guard(f"{step.path} is a real directory, not a link", ("psw_check_dir", step.path))]
    if isinstance(step, FILE_STEPS):
        return [Guard(f"{step.path} is a regular file or missing", ("psw_check_file", step.path))]
    if isinstance(step, CreateVenv):
        found = [Guard(f"{step.path} can be a virtualenv of {step.python}", ("psw_check_venv", step.path, step.python))]
        if step.uv:
            found.append(Guard(f"uv is installed as {step.uv}", ("psw_check_tool", step.uv, "uv")))
        if step.seed:
            found.append(Guard(f"pip's wheel folder {step.seed} is there", ("psw_check_dir", step.seed)))
        return found
    return []


def library_call(step: Step) -> tuple[str, ...] | None:
    """The shared library's function, and its arguments after the mode, that make ``step``'s change (or None)."""
    if isinstance(step, EnsureDirs):
        return ("psw_ensure_dirs", step.path, step.owner, step.group, f"{step.mode:04o}")
    if isinstance(step, ChownTree):
        return ("psw_tree_owner", step.path, step.owner, step.group, "all" if step.recursive else "top")
    if isinstance(step, RestrictTree):
        return ("psw_tree_restrict", step.path, "all" if step.recursive else "top")
    return None


def edit_call(step: EnsureBlock | RemoveBlock | SetConfigKey | UnsetConfigKey) -> tuple[str, ...]:
    """The arguments of the embedded edit (after the mode) that make ``step``'s change, as ``apply`` makes it."""
    if isinstance(step, EnsureBlock):
        return ("block", step.path, "user", "-", "-", *step.lines)
    if isinstance(step, RemoveBlock):
        return ("unblock", step.path, "user", "-", "-")
    op = "set-key" if isinstance(step, SetConfigKey) else "unset-key"
    if step.scope != ROOT:
        who = ("user", "-", "-")
    else:  # a new file (and new folders) go to the step's owner; an existing file keeps its own
        who = ("root", step.owner, step.group) if isinstance(step, SetConfigKey) else ("root", "root", "root")
    return (op, step.path, *who, step.section, step.key, step.value)


def header(plan: Plan, facts: Facts, what: str) -> list[str]:
    """The opening comment both formats share: what it was generated from, the facts it assumes, the steps."""
    targets = ", ".join(facts.targets) or "(none)"
    lines = [
        f"pip-setup-wizard {__version__}: {plan.approach} for {facts.interpreter}, as {what}.",
        "",
        f"Generated by `{facts.command}`",
        "from the same plan `plan` shows, on a machine where detection found:",
        f"  system:   {facts.machine}",
        f"  python:   {facts.interpreter} (Python {facts.version}); pip installs into {targets}",
        f"  PEP 668:  {'marked externally managed' if facts.marker else 'no marker'}",
        f"  person:   {facts.person} (home {facts.home}, shell {facts.shell})",
        "It holds only the steps that machine still needed, each with the guards `apply` uses. Before anything",
        "changes it checks that the facts above hold where it runs, and stops, changing nothing, when one does not.",
        "REVIEW IT before running it, above all on other machines. It keeps no journal: `pip-setup-wizard undo`",
        "cannot undo what it does.",
        "",
        "Steps:",
    ]
    lines += [
        f"  {i}. {step.describe()}{' [root]' if step.scope == ROOT else ''}" for i, step in enumerate(plan.steps, 1)
    ]
    if plan.notes:
        lines += ["", "Notes from the plan:"]
        lines += [f"  - {note}" for note in plan.notes]
    return lines


def render(plan: Plan, state: MachineState, fmt: str) -> str:
    """The export of ``plan`` in ``fmt`` (``ansible`` or ``shell``); refuses what an export cannot carry."""
    facts = facts_for(plan, state, fmt)
    if fmt == "ansible":
        from wizard.export.ansible import playbook

        return playbook(plan, facts)
    from wizard.export.shell import script

    return script(plan, facts)


__all__ = [
    "FORMATS",
    "Facts",
    "Guard",
    "edit_call",
    "edit_program",
    "guards",
    "header",
    "library",
    "library_call",
    "render",
]
