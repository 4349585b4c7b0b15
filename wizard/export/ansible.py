"""Provides the Ansible playbook: the plan's steps as tasks, after read-only preflight checks.

Native modules where they make exactly the change `apply` makes (``user``, ``copy`` with ``validate: visudo -cf
%s``, ``blockinfile`` with the wizard's markers, ``file``), the shared sh library for tree changes (no link
followed, no mount crossed, hard links skipped) and guards, and the wizard's own pip.conf edit. Every task is
idempotent and check-mode aware: commands run in check mode only to report (``psw_mode`` is ``check`` there), or
have a ``creates``, or are read-only checks skipped in check mode.
"""

from __future__ import annotations

from wizard.export import Facts, edit_call, edit_program, guards, header, library, library_call, names
from wizard.export.yamltext import Jinja, Literal, document
from wizard.plan import (
    USER,
    Check,
    CreateUser,
    CreateVenv,
    DeleteUser,
    EnsureBlock,
    RemoveBlock,
    RemoveFile,
    SetConfigKey,
    UnsetConfigKey,
    WriteFile,
)
from wizard.safety import NAME
from wizard.textedit import BEGIN, END

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from wizard.plan import Plan, Step

# blockinfile's marker: "{mark}" becomes marker_begin / marker_end, giving exactly textedit's BEGIN and END lines.
MARKER = "# {mark} pip-setup-wizard {mark}"
MARK_BEGIN, MARK_END = BEGIN.split(" ")[1], END.split(" ")[1]
MODE = Jinja("{{ psw_mode }}")
SH = ["/bin/sh", "-c", Jinja("{{ psw_sh }}"), "psw"]


def _octal(mode: int) -> str:
    return f"{mode:04o}"


def lib(name: str, function: str, *args: str, register: str, report: bool = True) -> dict[str, Any]:
    """A task running a function of the shared library: a change (reporting) or a guard (read-only)."""
    argv = [*SH, function, *([MODE] if report else []), *args]
    return {
        "name": name,
        "ansible.builtin.command": {"argv": argv, "expand_argument_vars": False},
        "register": register,
        "changed_when": f"{register}.stdout != ''" if report else False,
        "check_mode": False,
    }


class Tasks:
    """The tasks of one playbook, with the person's name for the steps that run as them."""

    def __init__(self, plan: Plan, facts: Facts) -> None:
        self.plan = plan
        self.facts = facts
        self.tasks: list[dict[str, Any]] = []
        self.user_guards: dict[str, str] = {}  # pip user name -> the register of its guard

    def add(self, task: dict[str, Any], step: Step | None = None) -> None:
        if step is not None and step.scope == USER and self.facts.person != "root":
            task["become_user"] = self.facts.person
        self.tasks.append(task)

    def preflight(self) -> None:
        found = names(self.plan, self.facts)
        self.add(
            {
                "name": f"preflight: the account names follow the wizard's rule ({', '.join(found)})",
                "ansible.builtin.assert": {
                    "that": [f"item.name is match({NAME.pattern!r})"],
                    "fail_msg": Jinja(
                        "the {{ item.what }} '{{ item.name }}' is not allowed: names start with a lower-case letter "
                        "or '_' and use only lower-case letters, digits, '_' and '-' (at most 31); choose a name such "
                        "as pipinstall"
                    ),
                    "quiet": True,
                },
                "loop": [{"name": name, "what": what} for name, what in found.items()],
                "loop_control": {"label": Jinja("{{ item.name }}")},
            }
        )
        for k, guard in enumerate(guards(self.plan, self.facts), 1):
            register = f"psw_guard_{k}"
            if guard.argv[0] == "psw_check_new_user":
                self.user_guards[guard.argv[1]] = register
            self.add(lib(f"preflight: {guard.title}", guard.argv[0], *guard.argv[1:], register=register, report=False))

    def step(self, i: int, step: Step) -> None:
        name = f"[{i}/{len(self.plan.steps)}] {step.describe()}"
        reg = f"psw_step_{i}"
        found = library_call(step)
        if found is not None:
            self.add(lib(name, *found, register=reg), step)
        elif isinstance(step, CreateUser):
            argv = step.argv()
            module = {
                "name": step.name,
                "system": True,
                "shell": argv[argv.index("--shell") + 1],
                "home": step.home,
                "create_home": True,
                "comment": step.comment,
            }
            guard = self.user_guards[step.name]
            self.add({"name": name, "ansible.builtin.user": module, "when": f"{guard}.stdout == 'absent'"}, step)
        elif isinstance(step, DeleteUser):
            self.add({"name": name, "ansible.builtin.user": {"name": step.name, "state": "absent", "remove": True}})
        elif isinstance(step, WriteFile):
            self.add({"name": name, "ansible.builtin.copy": self._copy(step)}, step)
        elif isinstance(step, RemoveFile):
            self.add({"name": name, "ansible.builtin.file": {"path": step.path, "state": "absent"}}, step)
        elif isinstance(step, (EnsureBlock, RemoveBlock)):
            self._block(name, reg, step)
        elif isinstance(step, (SetConfigKey, UnsetConfigKey)):
            self._config(name, reg, step)
        elif isinstance(step, CreateVenv):
            self._venv(name, reg, step)
        elif isinstance(step, Check):
            self._check(name, reg, step)
        else:  # Revert is refused before rendering; a new kind of step must be taught to the export
            raise AssertionError(f"no export for the step kind {step.kind}")

    def _copy(self, step: WriteFile) -> dict[str, Any]:
        module: dict[str, Any] = {"dest": step.path, "content": Literal(step.content)}
        if step.scope != USER:
            module.update(owner=step.owner, group=step.group)
        module["mode"] = _octal(step.mode)
        if step.validate == "visudo":
            module["validate"] = "visudo -cf %s"
        return module

    def _block(self, name: str, reg: str, step: EnsureBlock | RemoveBlock) -> None:
        number = name.split(" ", 1)[0]
        module: dict[str, Any] = {
            "path": step.path,
            "marker": MARKER,
            "marker_begin": MARK_BEGIN,
            "marker_end": MARK_END,
        }
        if isinstance(step, RemoveBlock):
            module["state"] = "absent"
            self.add({"name": name, "ansible.builtin.blockinfile": module}, step)
            return
        folder = step.path.rsplit("/", 1)[0] or "/"
        title = f"{number} the folder {folder}, if missing (0700, as the person)"
        self.add(lib(title, "psw_ensure_dirs", folder, "-", "-", "0700", register=f"{reg}_dir"), step)
        look = {"path": step.path, "get_checksum": False}
        self.add(
            {"name": f"{number} look at {step.path}", "ansible.builtin.stat": look, "register": f"{reg}_stat"}, step
        )
        module.update(
            block=Literal("\n".join(step.lines)),
            create=True,
            mode=Jinja(f"{{{{ omit if {reg}_stat.stat.exists else '0644' }}}}"),
        )
        self.add({"name": name, "ansible.builtin.blockinfile": module}, step)

    def _config(self, name: str, reg: str, step: SetConfigKey | UnsetConfigKey) -> None:
        argv = [self.plan.interpreter, "-I", "-c", Jinja("{{ psw_edit }}"), MODE, *edit_call(step)]
        task = {
            "name": name,
            "ansible.builtin.command": {"argv": argv, "expand_argument_vars": False},
            "register": reg,
            "changed_when": f"{reg}.stdout != ''",
            "check_mode": False,
        }
        self.add(task, step)

    def _venv(self, name: str, reg: str, step: CreateVenv) -> None:
        folder = step.path.rsplit("/", 1)[0] or "/"
        title = f"{name.split(' ', 1)[0]} the folder {folder}, if missing (0755, as the person)"
        self.add(lib(title, "psw_ensure_dirs", folder, "-", "-", "0755", register=f"{reg}_dir"), step)
        commands = step.commands()
        argv = commands[0] if len(commands) == 1 and not step.uv else ["/bin/sh", "-c", step.command()]
        module = {"argv": argv, "creates": f"{step.path}/pyvenv.cfg", "expand_argument_vars": False}
        self.add({"name": name, "ansible.builtin.command": module}, step)

    def _check(self, name: str, reg: str, step: Check) -> None:
        failed = []
        if step.expect_rc is not None:
            failed.append(f"{reg}.rc != {step.expect_rc}")
        if step.expect_in is not None:
            failed.append(f"psw_expect {'in' if step.expect_absent else 'not in'} ({reg}.stdout ~ {reg}.stderr)")
        task: dict[str, Any] = {
            "name": name,
            "ansible.builtin.command": {"argv": list(step.argv), "expand_argument_vars": False},
            "register": reg,
            "changed_when": False,
            "failed_when": " or ".join(failed) or False,
            "when": "not ansible_check_mode",
        }
        if step.expect_in is not None:
            task["vars"] = {"psw_expect": step.expect_in}
        self.add(task, step)


def playbook(plan: Plan, facts: Facts) -> str:
    """The playbook text."""
    tasks = Tasks(plan, facts)
    tasks.preflight()
    for i, step in enumerate(plan.steps, 1):
        tasks.step(i, step)
    variables: dict[str, Any] = {
        "psw_mode": Jinja("{{ 'check' if ansible_check_mode else 'apply' }}"),
        "psw_sh": Literal(library().rstrip("\n") + '\n\n"$@"\n'),
    }
    if any(isinstance(s, (SetConfigKey, UnsetConfigKey)) for s in plan.steps):
        variables["psw_edit"] = Literal(edit_program())
    play = {
        "name": f"pip-setup-wizard: {plan.approach} for {facts.interpreter} (for {facts.person})",
        "hosts": "all",
        "become": True,
        "gather_facts": False,
        "vars": variables,
        "tasks": tasks.tasks,
    }
    name = f"{plan.approach}.yml"
    comments = [
        *header(plan, facts, "an Ansible playbook"),
        "",
        "Run it with a connection user that can become root (and the person): first with --check, which reports",
        "what would change and changes nothing, then without:",
        f"  ansible-playbook -i HOST, {name} --check",
        f"  ansible-playbook -i HOST, {name}",
        f"On this machine itself: ansible-playbook -c local -i localhost, {name}",
    ]
    return document([play], comments)
