"""Provides the plan: typed steps, each with a description, the equivalent shell command, whether it needs root,
why (a content risk or benefit id), and how it is undone. Steps are plain data; the executor gives them effect.
"""

from __future__ import annotations

import shlex

from wizard.record import field, fields, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

ROOT, USER = "root", "user"


def q(text: str) -> str:
    return shlex.quote(text)


@record(frozen=True)
class Step:
    """One change (or check). ``scope`` is ``root`` (runs as root) or ``user`` (runs as the person)."""

    kind: ClassVar[str] = "step"
    why: str = ""

    @property
    def scope(self) -> str:
        return ROOT

    @property
    def needs_root(self) -> bool:
        return self.scope == ROOT

    def describe(self) -> str:
        raise NotImplementedError

    def command(self) -> str:
        raise NotImplementedError

    def undo(self) -> str:
        raise NotImplementedError

    def changes(self) -> bool:
        """False for read-only checks."""
        return True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


@record(frozen=True)
class EnsureDirs(Step):
    """Creates a directory (and missing parents) with an explicit owner and mode."""

    kind: ClassVar[str] = "ensure-dirs"
    path: str = ""
    owner: str = "root"
    group: str = "root"
    mode: int = 0o755

    def describe(self) -> str:
        return f"create {self.path} ({self.owner}:{self.group} {self.mode:04o})"

    def command(self) -> str:
        return f"install -d -o {q(self.owner)} -g {q(self.group)} -m {self.mode:04o} {q(self.path)}"

    def undo(self) -> str:
        return f"remove {self.path} again if it is still empty"


@record(frozen=True)
class CreateUser(Step):
    """Creates the system account that will own site-packages (approach 2)."""

    kind: ClassVar[str] = "create-user"
    name: str = ""
    home: str = ""
    comment: str = "pip-setup-wizard pip user"

    def describe(self) -> str:
        return f"create the system user {self.name} (no login shell, home {self.home} for pip's cache)"

    def argv(self) -> list[str]:
        return [
            "useradd",
            "--system",
            "--user-group",
            "--shell",
            "/usr/sbin/nologin",
            "--home-dir",
            self.home,
            "--create-home",
            "--comment",
            self.comment,
            "--",
            self.name,
        ]

    def command(self) -> str:
        return " ".join(q(a) for a in self.argv())

    def undo(self) -> str:
        return f"userdel --remove {self.name} (only the account this wizard created)"


@record(frozen=True)
class DeleteUser(Step):
    """Removes an account the wizard created earlier (switching away from approach 2)."""

    kind: ClassVar[str] = "delete-user"
    name: str = ""

    def describe(self) -> str:
        return f"delete the user {self.name} that pip-setup-wizard created, with its home"

    def command(self) -> str:
        return f"userdel --remove -- {q(self.name)}"

    def undo(self) -> str:
        return f"create {self.name} again with the same uid, group and home"


@record(frozen=True)
class ChownTree(Step):
    """Gives a whole tree to an owner: lchown only, no link followed, no mount crossed, hard links skipped."""

    kind: ClassVar[str] = "chown-tree"
    path: str = ""
    owner: str = "root"
    group: str = "root"
    recursive: bool = True

    def describe(self) -> str:
        if not self.recursive:
            return f"make {self.owner}:{self.group} the owner of the directory {self.path} (not its contents)"
        return f"make {self.owner}:{self.group} the owner of {self.path} and everything in it"

    def command(self) -> str:
        if not self.recursive:
            return f"chown -h {q(self.owner)}:{q(self.group)} {q(self.path)}"
        return (
            f"find {q(self.path)} -xdev \\( -type d -o -links 1 \\) -exec chown -h "
            f"{q(self.owner)}:{q(self.group)} {{}} +"
        )

    def undo(self) -> str:
        return "give every entry its previous owner back (new entries go to the tree's previous owner)"


@record(frozen=True)
class RestrictTree(Step):
    """Takes group and world write permission away throughout a tree."""

    kind: ClassVar[str] = "restrict-tree"
    path: str = ""
    recursive: bool = True

    def describe(self) -> str:
        where = f"in {self.path}" if self.recursive else f"on the directory {self.path}"
        return f"remove group and world write permission {where}"

    def command(self) -> str:
        if not self.recursive:
            return f"chmod go-w {q(self.path)}"
        return f"find {q(self.path)} -xdev ! -type l -perm /022 -exec chmod go-w {{}} +"

    def undo(self) -> str:
        return "restore every entry's previous mode"


@record(frozen=True)
class WriteFile(Step):
    """Writes a whole file the wizard owns (atomically: temp file, fsync, rename; explicit mode)."""

    kind: ClassVar[str] = "write-file"
    path: str = ""
    content: str = ""
    mode: int = 0o644
    owner: str = "root"
    group: str = "root"
    as_user: bool = False
    validate: str | None = None  # "visudo": checked with `visudo -cf` before it is put in place

    @property
    def scope(self) -> str:
        return USER if self.as_user else ROOT

    def describe(self) -> str:
        extra = ", checked with visudo -cf" if self.validate == "visudo" else ""
        return f"write {self.path} ({self.owner}:{self.group} {self.mode:04o}{extra})"

    def command(self) -> str:
        check = f" && visudo -cf {q(self.path)}.tmp" if self.validate == "visudo" else ""
        return (
            f"install -o {q(self.owner)} -g {q(self.group)} -m {self.mode:04o} /dev/stdin {q(self.path)}.tmp"
            f"{check} && mv {q(self.path)}.tmp {q(self.path)}"
        )

    def undo(self) -> str:
        return "put back the previous file, or remove it if there was none"


@record(frozen=True)
class RemoveFile(Step):
    """Removes a file the wizard wrote earlier."""

    kind: ClassVar[str] = "remove-file"
    path: str = ""
    as_user: bool = False

    @property
    def scope(self) -> str:
        return USER if self.as_user else ROOT

    def describe(self) -> str:
        return f"remove {self.path}"

    def command(self) -> str:
        return f"rm -f -- {q(self.path)}"

    def undo(self) -> str:
        return "put the file back as it was"


@record(frozen=True)
class EnsureBlock(Step):
    """Adds (or updates) the wizard's marked block in a shell start-up file, as the person."""

    kind: ClassVar[str] = "ensure-block"
    path: str = ""
    lines: tuple[str, ...] = ()

    @property
    def scope(self) -> str:
        return USER

    def describe(self) -> str:
        return f"add a marked block to {self.path}: {'; '.join(self.lines)}"

    def command(self) -> str:
        from wizard.textedit import BEGIN, END

        body = "\\n".join([BEGIN, *self.lines, END])
        return f"printf '%b\\n' {q(body)} >> {q(self.path)}"

    def undo(self) -> str:
        return "remove only the marked block; lines you added yourself stay"


@record(frozen=True)
class RemoveBlock(Step):
    """Removes the wizard's marked block from a shell start-up file."""

    kind: ClassVar[str] = "remove-block"
    path: str = ""

    @property
    def scope(self) -> str:
        return USER

    def describe(self) -> str:
        return f"remove pip-setup-wizard's marked block from {self.path}"

    def command(self) -> str:
        return f"sed -i '/^# >>> pip-setup-wizard >>>$/,/^# <<< pip-setup-wizard <<<$/d' {q(self.path)}"

    def undo(self) -> str:
        return "add the block back"


@record(frozen=True)
class SetConfigKey(Step):
    """Sets one key in a pip configuration file (the file is created if missing), keeping everything else."""

    kind: ClassVar[str] = "set-config"
    path: str = ""
    section: str = "global"
    key: str = ""
    value: str = ""
    as_user: bool = False
    owner: str = "root"
    group: str = "root"

    @property
    def scope(self) -> str:
        return USER if self.as_user else ROOT

    def describe(self) -> str:
        return f"set {self.key} = {self.value} in [{self.section}] of {self.path}"

    def command(self) -> str:
        return f"PIP_CONFIG_FILE={q(self.path)} python3 -m pip config set {self.section}.{self.key} {q(self.value)}"

    def undo(self) -> str:
        return "remove the key again (or restore its previous value), unless you changed it since"


@record(frozen=True)
class UnsetConfigKey(Step):
    """Removes a key the wizard set earlier, if it still holds the wizard's value."""

    kind: ClassVar[str] = "unset-config"
    path: str = ""
    section: str = "global"
    key: str = ""
    value: str = ""
    as_user: bool = False

    @property
    def scope(self) -> str:
        return USER if self.as_user else ROOT

    def describe(self) -> str:
        return f"remove {self.key} = {self.value} from [{self.section}] of {self.path}"

    def command(self) -> str:
        return f"PIP_CONFIG_FILE={q(self.path)} python3 -m pip config unset {self.section}.{self.key}"

    def undo(self) -> str:
        return "set the key again"


@record(frozen=True)
class CreateVenv(Step):
    """Creates a virtual environment, as the person."""

    kind: ClassVar[str] = "create-venv"
    path: str = ""
    python: str = ""
    uv: str | None = None  # path of uv, when it is used
    seed: str | None = None  # a local directory with pip's wheel for uv to seed from

    @property
    def scope(self) -> str:
        return USER

    @property
    def scratch(self) -> str:
        """uv's cache for this one run, next to the venv and removed after it.

        On the venv's own file system uv hard-links pip's files into the venv instead of copying them across from a
        temporary directory (often a tmpfs), which makes seeding pip several times faster; nothing stays behind in
        the person's own cache.
        """
        parent, name = self.path.rsplit("/", 1)
        return f"{parent}/.{name}.pip-setup-wizard-uv.tmp"

    def commands(self) -> list[list[str]]:
        """The commands that create it: ``python -m venv``, or uv (seeding pip from a local wheel when it can)."""
        if not self.uv:
            return [[self.python, "-m", "venv", self.path]]
        cache = ["--cache-dir", self.scratch, "--no-config"]
        create = [self.uv, "venv", "--quiet", *cache, "--python", self.python]
        if not self.seed:
            return [[*create, "--seed", self.path]]
        pip = [
            self.uv,
            "pip",
            "install",
            "--quiet",
            *cache,
            "--python",
            f"{self.path}/bin/python",
            "--offline",
            "--no-index",
            "--find-links",
            self.seed,
            "pip",
        ]
        return [[*create, self.path], pip]

    def describe(self) -> str:
        tool = "uv venv" if self.uv else "python -m venv"
        return f"create the virtualenv {self.path} for {self.python} ({tool})"

    def command(self) -> str:
        shown = " && ".join(" ".join(q(a) for a in argv) for argv in self.commands())
        return f"{shown} && rm -rf {q(self.scratch)}" if self.uv else shown

    def undo(self) -> str:
        return f"remove {self.path} and what was installed in it (it did not exist before)"


@record(frozen=True)
class Revert(Step):
    """Undoes one step of an earlier apply (switching approach): its prior state comes from that journal."""

    kind: ClassVar[str] = "revert"
    journal: str = ""
    index: int = 0
    step: dict[str, Any] = field(default_factory=dict)
    as_user: bool = False

    @property
    def scope(self) -> str:
        return USER if self.as_user else ROOT

    def original(self) -> Step:
        return step_from_dict(self.step)

    def describe(self) -> str:
        return f"revert: {self.original().undo()} ({self.original().describe()})"

    def command(self) -> str:
        return f"pip-setup-wizard undo  # step {self.index + 1} of {self.journal}"

    def undo(self) -> str:
        return f"apply it again: {self.original().describe()}"


@record(frozen=True)
class Check(Step):
    """A read-only smoke check, run as root or as the person, with what its output must (not) contain."""

    kind: ClassVar[str] = "check"
    title: str = ""
    argv: tuple[str, ...] = ()
    as_user: bool = False
    expect_rc: int | None = 0
    expect_in: str | None = None
    expect_absent: bool = False  # expect_in must NOT appear

    @property
    def scope(self) -> str:
        return USER if self.as_user else ROOT

    def changes(self) -> bool:
        return False

    def describe(self) -> str:
        return f"check: {self.title}"

    def command(self) -> str:
        return " ".join(q(a) for a in self.argv)

    def undo(self) -> str:
        return "nothing to undo (read-only)"


STEP_TYPES: dict[str, type[Step]] = {
    cls.kind: cls
    for cls in (
        EnsureDirs,
        CreateUser,
        DeleteUser,
        ChownTree,
        RestrictTree,
        WriteFile,
        RemoveFile,
        EnsureBlock,
        RemoveBlock,
        SetConfigKey,
        UnsetConfigKey,
        CreateVenv,
        Revert,
        Check,
    )
}


def step_from_dict(data: dict[str, Any]) -> Step:
    """Builds a step from its JSON form."""
    cls = STEP_TYPES[data["kind"]]
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in data:
            value = data[f.name]
            kwargs[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**kwargs)


# Which approaches use which option (the planners ignore it elsewhere, so the guided front ends do not offer it):
# the system approaches can be told to pass PEP 668's marker; only-binary needs a pip.conf of the approach's own
# (root's, the pip user's, the venv's; own-site leaves pip's configuration to its owner).
SYSTEM_APPROACHES = ("sudo-pip", "pip-user", "own-site")
ONLY_BINARY_APPROACHES = ("sudo-pip", "pip-user", "virtualenv")


@record(frozen=True)
class PlanOptions:
    """What the person asked for (every interactive answer has a flag)."""

    approach: str
    python: str | None = None
    user: str = "pipinstall"
    owner: str | None = None
    target: str | None = None
    venv: str | None = None
    shell_rc: str = "none"  # "none" | "path" | "activate"
    require_virtualenv: bool | None = None
    only_binary: bool = False
    break_system_packages: bool = False
    uv: bool | None = None  # None: use uv when it is installed

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanOptions:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@record(frozen=True)
class Plan:
    """What setting up an approach would change, in order."""

    options: PlanOptions
    interpreter: str
    human: str
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = ()
    reverts: str | None = None  # the approach this plan switches away from
    already: bool = False  # the approach is already set up: nothing to do

    @property
    def approach(self) -> str:
        return self.options.approach

    @property
    def changes(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.changes())

    @property
    def needs_root(self) -> bool:
        return any(s.needs_root and s.changes() for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "approach": self.approach,
            "options": self.options.to_dict(),
            "interpreter": self.interpreter,
            "human": self.human,
            "steps": [s.to_dict() for s in self.steps],
            "notes": list(self.notes),
            "reverts": self.reverts,
            "already": self.already,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(
            PlanOptions.from_dict(data["options"]),
            data["interpreter"],
            data["human"],
            tuple(step_from_dict(s) for s in data["steps"]),
            tuple(data.get("notes", ())),
            data.get("reverts"),
            bool(data.get("already")),
        )
