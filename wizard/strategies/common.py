"""Provides what every planner shares: the target interpreter, the person, the trees, and switching."""

from __future__ import annotations

import os

from wizard import actions, safety
from wizard.actions import Context
from wizard.diagnose.roles import system_python
from wizard.model import Approach, Interpreter, MachineState
from wizard.plan import (
    ChownTree,
    EnsureDirs,
    Plan,
    PlanOptions,
    RestrictTree,
    Revert,
    SetConfigKey,
    Step,
    step_from_dict,
)
from wizard.record import field, record
from wizard.safety import refuse
from wizard.system import Account, DryRunSystem
from wizard.textedit import get_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from wizard.journal import Journal
    from wizard.model import Diagnosis


@record
class Planning:
    """One planning run: inputs, and the steps and notes collected so far.

    Every step is also played through a dry-run system as it is added, so later decisions see the machine as the
    earlier steps will leave it (a user a revert brings back, a file a revert removes).
    """

    state: MachineState
    diagnosis: Diagnosis
    options: PlanOptions
    system: DryRunSystem
    interp: Interpreter
    human: Account
    applied: Journal | None  # the wizard's apply in effect for this interpreter, if any
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reverts: str | None = None
    ctx: Context | None = None

    @classmethod
    def start(
        cls, state: MachineState, diagnosis: Diagnosis, options: PlanOptions, applied: Sequence[Journal]
    ) -> Planning:
        interp = target_interpreter(state, options)
        system = DryRunSystem()
        human = person(state, system)
        mine = [j for j in applied if j.begin["plan"]["interpreter"] == interp.path]
        planning = cls(state, diagnosis, options, system, interp, human, mine[-1] if mine else None)
        planning.ctx = Context(system, human, None)
        return planning

    # --- facts --------------------------------------------------------------------------------------------------

    @property
    def in_effect(self) -> str | None:
        view = self.diagnosis.view(self.interp.path)
        return view.approach.id.value if view and view.approach else None

    @property
    def applied_approach(self) -> str | None:
        return self.applied.begin["plan"]["approach"] if self.applied else None

    def trees(self) -> tuple[str, ...]:
        """The target trees (checked by the safety rules), refused up front if they cannot be changed."""
        trees = safety.target_trees(self.interp, self.state, self.options.target)
        for tree in trees:
            if self.system.readonly(tree):
                raise refuse(
                    f"{tree} is on a read-only file system",
                    "remount it read-write first, or use a virtualenv (it needs no change there)",
                    "read-only",
                )
            problem = actions.chown_refused(tree)
            if problem:
                raise refuse(
                    f"the file system of {tree} refuses to change owners ({problem})",
                    "NFS with root_squash and some FUSE mounts do this; use a virtualenv instead",
                    "chown-refused",
                )
        return trees

    def entries(self, path: str) -> list[tuple[int, int, int, str]]:
        """(uid, gid, mode, type) of every entry of a tree, read now."""
        return [(st.uid, st.gid, st.mode, st.type) for _rel, st in self.system.tree(path).entries]

    def needs_root(self) -> None:
        """Refuses when root steps cannot run: not root, and sudo is missing."""
        if self.state.user.is_root or self.state.sudo.installed:
            return
        raise refuse(
            f"{self.options.approach} needs root, and sudo is not installed",
            "install sudo (as root: apt install sudo), or choose virtualenv, which needs no root",
            "sudo-missing",
        )

    # --- building -------------------------------------------------------------------------------------------

    def add(self, step: Step) -> None:
        """Adds ``step`` and plays it through the dry run."""
        assert self.ctx is not None
        self.steps.append(step)
        history = self.applied if isinstance(step, Revert) else None
        actions.perform(self.ctx, step, actions.capture(self.ctx, step), history)

    def ensure_trees(self) -> tuple[str, ...]:
        """The target trees; missing ones are created root-owned (0755) first."""
        trees = self.trees()
        for tree in trees:
            if not self.system.stat(tree).exists:
                self.add(EnsureDirs(why="locked-after-install", path=tree))
        return trees

    def give_tree(self, path: str, owner: str, group: str, why: str) -> None:
        """Changes owners in ``path`` where they differ from ``owner``."""
        acct = self.system.account(owner)
        want = (acct.uid, acct.gid) if acct else None
        entries = self.entries(path) if self.system.stat(path).exists else []
        if want is None or not entries or any((uid, gid) != want for uid, gid, _m, _t in entries):
            self.add(ChownTree(why=why, path=path, owner=owner, group=group))

    def ensure_key(
        self, path: str, key: str, value: str, why: str, *, as_user: bool = False, owner: str = "root"
    ) -> None:
        """Sets ``key = value`` in [global] of a pip config file, unless it already holds that value."""
        reader = self.system.as_user(self.human) if as_user else self.system
        text = (reader.read(path) or b"").decode("utf-8", "replace")
        if get_key(text, "global", key) != value:
            self.add(SetConfigKey(why=why, path=path, key=key, value=value, as_user=as_user, owner=owner, group=owner))

    def restrict(self, path: str, why: str, recursive: bool = True) -> None:
        """Takes group/world write away where anyone has it."""
        entries = self.entries(path) if self.system.stat(path).exists else []
        if not recursive:
            entries = entries[:1]
        if any(mode & 0o022 and kind != "link" for _u, _g, mode, kind in entries):
            self.add(RestrictTree(why=why, path=path, recursive=recursive))

    def switch_from_applied(self) -> bool:
        """Reverts the wizard's apply in effect if it set up another approach; True when it set up this one."""
        if self.applied is None:
            return False
        if self.applied_approach == self.options.approach:
            return True
        self.reverts = self.applied_approach
        for i in sorted(self.applied.done(), reverse=True):
            step = step_from_dict(self.applied.steps()[i]["step"])
            if not step.changes() or isinstance(step, Revert):
                # Its reverts of an earlier approach stay: switching away must not bring that approach back.
                continue
            self.add(
                Revert(
                    why=step.why, journal=self.applied.id, index=i, step=step.to_dict(), as_user=step.scope == "user"
                )
            )
        self.notes.append(
            f"switches from {self.applied_approach} (applied by journal {self.applied.id}): its changes "
            "are reverted first"
        )
        return False

    def revert_by_hand(self) -> None:
        """Gives the target trees back to root when detection found another approach made by hand."""
        if self.applied is not None or self.in_effect not in (
            Approach.OWN_SITE.value,
            Approach.PIP_USER.value,
            Approach.MIXED.value,
        ):
            return
        trees = self.trees()
        self.reverts = self.in_effect
        self.notes.append(f"{self.in_effect} is in effect (made by hand): site-packages goes back to root first")
        for tree in trees:
            self.give_tree(tree, "root", "root", "anything-you-run-reaches-root")
            self.restrict(tree, "anything-you-run-reaches-root")

    def finish(self, checks: Sequence[Step] = ()) -> Plan:
        """The plan; smoke checks only when something changes (an applied approach plans zero steps)."""
        changing = [s for s in self.steps if s.changes()]
        steps = [*changing, *checks] if changing else []
        already = not changing
        notes = list(self.notes)
        if already:
            notes.insert(0, f"{self.options.approach} is already set up for {self.interp.path}: nothing to do")
        return Plan(self.options, self.interp.path, self.human.name, tuple(steps), tuple(notes), self.reverts, already)


def target_interpreter(state: MachineState, options: PlanOptions) -> Interpreter:
    """The interpreter to set up: ``--python``, else the system's python3 — never this wizard's own venv."""
    if options.python:
        safety.check_absolute(options.python, "--python path")
        found = state.interpreter(options.python) or state.interpreter(os.path.realpath(options.python))
        if found is None:
            raise refuse(
                f"{options.python} was not found among the interpreters detection inspected",
                "check the path; `pip-setup-wizard detect --python PATH` shows what it is",
                "python-unknown",
            )
    else:
        found = system_python(state)
        if found is None:
            raise refuse("there is no system python3 to set up", "pass --python PATH", "python-missing")
    if not found.ok:
        raise refuse(
            f"{found.path} cannot be set up: {found.error}", found.hint or "pass another --python", "python-unusable"
        )
    if found.wizard_own:
        raise refuse(
            f"{found.path} is pip-setup-wizard's own environment",
            "pass the interpreter to set up with --python, for example /usr/bin/python3",
            "python-wizard",
        )
    return found


def person(state: MachineState, system: DryRunSystem) -> Account:
    """The person the set-up is for: SUDO_USER under sudo, else whoever runs the wizard."""
    acct = system.account(state.user.human)
    if acct is None:
        raise refuse(f"the account {state.user.human!r} does not exist", "run the wizard as yourself", "human-missing")
    return acct


def venv_default(state: MachineState, human: Account) -> str:
    """~/.venvs/default, or under $WORKON_HOME when it is set."""
    workon = state.env.get("WORKON_HOME")
    if workon and os.path.isabs(workon):
        return os.path.join(workon, "default")
    return os.path.join(human.home, ".venvs", "default")
