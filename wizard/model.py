"""Provides the machine-state model: the facts detection gathers, as frozen dataclasses with JSON helpers.

Everything here is plain data. The JSON form (``to_dict``) is the ``detect --json`` schema documented in the
README; ``from_dict`` reads it back (a saved ``detect --json`` is a valid test fixture), ignoring keys it does not
know so that derived data in a report does not get in the way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum

# `typing` costs ~6 ms to import and `detect --json` must start fast, so it is only imported for type checking
# (and lazily when JSON is read back).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TypeVar

    T = TypeVar("T")

SCHEMA_VERSION = 1


class Severity(str, Enum):
    """How much a finding matters."""

    INFO = "info"
    WARNING = "warning"
    DANGER = "danger"

    @property
    def rank(self) -> int:
        """Orders severities: info < warning < danger."""
        return ("info", "warning", "danger").index(self.value)


class Approach(str, Enum):
    """The install approach in effect for an interpreter (SPEC §1 plus ``mixed`` and ``none``)."""

    SUDO_PIP = "sudo-pip"
    PIP_USER = "pip-user"
    OWN_SITE = "own-site"
    VIRTUALENV = "virtualenv"
    MIXED = "mixed"
    NONE = "none"


class OwnerKind(str, Enum):
    """What sort of account owns a path: root (or an administrator), a person, a service account."""

    ROOT = "root"
    HUMAN = "human"
    SERVICE = "service"
    UNKNOWN = "unknown"


class ProbeStatus(str, Enum):
    """Whether an interpreter could be inspected."""

    OK = "ok"
    UNSUPPORTED = "unsupported"
    ERROR = "error"


def _octal(value: int | None) -> str | None:
    return None if value is None else format(value, "04o")


OCTAL = {"octal": True}
DERIVED = {"derived": True}


@dataclass(frozen=True, slots=True)
class Writer:
    """Someone other than root who can change a path (its owner, a group, everyone, or an ACL)."""

    kind: str  # "owner" | "group" | "everyone" | "acl"
    name: str
    owner_kind: OwnerKind = OwnerKind.UNKNOWN
    members: tuple[str, ...] = ()

    def describe(self) -> str:
        """A short phrase such as ``user alice (owner)`` or ``group staff (members: bob)``."""
        if self.kind == "owner":
            return f"user {self.name} (owner)"
        if self.kind == "group":
            who = ", ".join(self.members) if self.members else "no members"
            return f"group {self.name} ({who})"
        if self.kind == "everyone":
            return "every user (world-writable)"
        return f"an access-control list ({self.name})"


@dataclass(frozen=True, slots=True)
class PathInfo:
    """Ownership and permissions of one path, read with ``lstat`` (links are never followed)."""

    path: str
    exists: bool
    type: str  # "dir" | "file" | "symlink" | "missing" | "other"
    realpath: str
    symlink_target: str | None = None
    owner: str | None = None
    uid: int | None = None
    group: str | None = None
    gid: int | None = None
    mode: int | None = field(default=None, metadata=OCTAL)
    owner_kind: OwnerKind = OwnerKind.UNKNOWN
    writable_by_me: bool = False
    writers: tuple[Writer, ...] = ()
    error: str | None = None

    @property
    def owner_label(self) -> str:
        """``owner:group mode`` as ``ls -l`` would suggest, or ``missing``."""
        if not self.exists:
            return "missing"
        return f"{self.owner}:{self.group} {_octal(self.mode)}"


@dataclass(frozen=True, slots=True)
class UserSite:
    """The per-user scheme (``pip install --user``) as the interpreter reports it."""

    enabled: bool | None
    base: str | None
    site: str | None
    scripts: str | None
    on_path: bool = False


@dataclass(frozen=True, slots=True)
class Marker:
    """The PEP 668 ``EXTERNALLY-MANAGED`` marker next to the interpreter's standard library."""

    present: bool
    path: str
    error_text: str | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class PipInfo:
    """Whether pip is importable by the interpreter, and which version (read from its metadata)."""

    present: bool
    version: str | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class TargetContents:
    """What is inside a directory pip installs into: who owns the top-level entries, and who installed what."""

    path: str
    entries: int
    owners: dict[str, int] = field(default_factory=dict)
    pip_installed: tuple[str, ...] = ()
    other_installed: int = 0


@dataclass(frozen=True, slots=True)
class StartupHook:
    """Code that runs at interpreter start: a ``.pth`` file with ``import`` lines, or ``sitecustomize``."""

    path: str
    kind: str  # "pth" | "sitecustomize" | "usercustomize"
    lines: tuple[str, ...] = ()
    owner: str | None = None
    owner_kind: OwnerKind = OwnerKind.UNKNOWN


@dataclass(frozen=True, slots=True)
class Interpreter:
    """One Python interpreter found on the machine, with what its probe and the file system said."""

    path: str
    realpath: str
    found_by: tuple[str, ...]
    status: ProbeStatus
    error: str | None = None
    hint: str | None = None
    shim: str | None = None
    version: str | None = None
    implementation: str | None = None
    executable: str | None = None
    is_venv: bool = False
    prefix: str | None = None
    base_prefix: str | None = None
    scheme: str | None = None
    paths: dict[str, str] = field(default_factory=dict)
    pip_target: tuple[str, ...] = ()
    site_packages: tuple[str, ...] = ()
    sys_path: tuple[str, ...] = ()
    user_site: UserSite | None = None
    marker: Marker | None = None
    pip: PipInfo | None = None
    distro_dirs: tuple[str, ...] = ()
    target_contents: tuple[TargetContents, ...] = ()
    user_installed: tuple[str, ...] = ()
    startup_hooks: tuple[StartupHook, ...] = ()
    pth_paths: tuple[str, ...] = ()
    venv_module: bool | None = None
    ensurepip: bool | None = None
    wizard_own: bool = False
    cached: bool = False

    @property
    def ok(self) -> bool:
        """True when the probe succeeded."""
        return self.status is ProbeStatus.OK

    @property
    def label(self) -> str:
        """The path as found, with the version when known."""
        return f"{self.path} ({self.version})" if self.version else self.path


@dataclass(frozen=True, slots=True)
class Platform:
    """The operating system and distribution."""

    system: str  # "linux" | "darwin" | "windows" | other sys.platform values
    release: str = ""
    machine: str = ""
    distro_id: str = ""
    distro_name: str = ""
    distro_version: str = ""
    distro_like: tuple[str, ...] = ()

    @property
    def debian_like(self) -> bool:
        """Debian, Ubuntu and their derivatives (apt, ``python3-venv``)."""
        return self.distro_id == "debian" or "debian" in self.distro_like or "ubuntu" in self.distro_like


@dataclass(frozen=True, slots=True)
class UserInfo:
    """Who runs the wizard, and who the human behind it is (``SUDO_USER`` under sudo)."""

    name: str
    uid: int
    euid: int
    home: str
    human: str
    human_uid: int
    human_home: str
    sudo_user: str | None = None

    @property
    def is_root(self) -> bool:
        """True when running with an effective uid of 0."""
        return self.euid == 0


@dataclass(frozen=True, slots=True)
class SudoInfo:
    """Whether sudo is installed, whether it asks for a password, and the PATH it gives commands."""

    installed: bool
    path: str | None = None
    passwordless: bool | None = None
    secure_path: tuple[str, ...] | None = None
    secure_path_source: str = "unknown"


@dataclass(frozen=True, slots=True)
class PipConfigFile:
    """A pip configuration file pip would read, with the settings that matter for safety."""

    path: str
    scope: str  # "global" | "user" | "site" | "env"
    exists: bool
    readable_by_all: bool | None = None
    mode: int | None = field(default=None, metadata=OCTAL)
    owner: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Venv:
    """A virtual environment found in one of the usual places (read from ``pyvenv.cfg``, never run)."""

    path: str
    home: str | None = None
    version: str | None = None
    system_site_packages: bool = False
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """A user account that matters here: a pip user, or the owner of a site-packages directory."""

    name: str
    uid: int
    gid: int
    home: str
    shell: str
    kind: OwnerKind


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a command name resolves to along a PATH: the file, its real path, and the Python behind it."""

    command: str
    path: str | None = None
    realpath: str | None = None
    interpreter: str | None = None
    via: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MachineState:
    """Everything detection found: the machine, its interpreters and every path it looked at."""

    platform: Platform
    user: UserInfo
    sudo: SudoInfo
    env: dict[str, str] = field(default_factory=dict)
    path_dirs: tuple[str, ...] = ()
    pip_configs: tuple[PipConfigFile, ...] = ()
    tools: dict[str, str] = field(default_factory=dict)
    venvs: tuple[Venv, ...] = ()
    accounts: tuple[Account, ...] = ()
    wizard_artifacts: tuple[PathInfo, ...] = ()
    for_you: tuple[Resolution, ...] = ()
    under_sudo: tuple[Resolution, ...] | None = None
    interpreters: tuple[Interpreter, ...] = ()
    paths: tuple[PathInfo, ...] = ()
    # An index of `paths` by path: rules look paths up thousands of times.
    _by_path: dict[str, PathInfo] = field(init=False, repr=False, compare=False, metadata=DERIVED)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_path", {p.path: p for p in self.paths})

    def path_info(self, path: str) -> PathInfo | None:
        """The recorded facts for ``path``, if detection looked at it."""
        return self._by_path.get(path)

    def real_info(self, path: str) -> PathInfo | None:
        """The facts for the directory ``path`` really is, when it is (or passes through) a symlink."""
        info = self._by_path.get(path)
        if info is None or info.realpath == path:
            return None
        return self._by_path.get(info.realpath)

    def interpreter(self, path: str) -> Interpreter | None:
        """The interpreter found at ``path`` (as found or by real path)."""
        for interp in self.interpreters:
            if path in (interp.path, interp.realpath):
                return interp
        return None


# --- JSON -------------------------------------------------------------------------------------------------


_SPECS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _spec(cls: type) -> tuple[tuple[str, bool], ...]:
    spec = _SPECS.get(cls)
    if spec is None:
        spec = _SPECS[cls] = tuple(
            (f.name, bool(f.metadata.get("octal"))) for f in dataclasses.fields(cls) if not f.metadata.get("derived")
        )
    return spec


def to_dict(obj: Any) -> Any:
    """Converts a model object (dataclasses, enums, tuples, dicts) to JSON-ready data."""
    if isinstance(obj, Enum):
        return obj.value
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    if hasattr(type(obj), "__dataclass_fields__"):
        return {
            name: _octal(getattr(obj, name)) if octal else to_dict(getattr(obj, name))
            for name, octal in _spec(type(obj))
        }
    return obj


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Builds ``cls`` from its JSON form, ignoring unknown keys (derived data in a report)."""
    return _convert(cls, data)  # type: ignore[no-any-return]


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    # typing is imported here, not at module level: only reading JSON back needs it, not `detect --json`.
    import typing

    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _convert(tp: Any, value: Any) -> Any:
    import types
    import typing

    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(tp)
        item = args[0] if args else Any
        return tuple(_convert(item, v) for v in value)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_convert(item, v) for v in value]
    if origin is dict:
        _key, item = typing.get_args(tp)
        return {k: _convert(item, v) for k, v in value.items()}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(tp):
            if f.name not in value or not f.init:
                continue
            raw = value[f.name]
            if f.metadata.get("octal") and isinstance(raw, str):
                kwargs[f.name] = int(raw, 8)
            else:
                kwargs[f.name] = _convert(hints[f.name], raw)
        return tp(**kwargs)
    return value


# --- derived: what the facts mean ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fix:
    """How to resolve a finding: plain words, and where possible a shell command and/or a wizard command."""

    text: str
    command: str | None = None
    action: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """Something detection noticed, why it matters in the sources' terms, and how to fix it."""

    id: str
    severity: Severity
    title: str
    why: str
    fix: Fix | None = None
    cite: tuple[str, ...] = ()
    interpreter: str | None = None
    paths: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ApproachInEffect:
    """Which of the approaches an interpreter is set up for, and the evidence."""

    id: Approach
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InterpreterView:
    """An interpreter with what it means: its roles, whether root uses it, the approach in effect."""

    path: str
    roles: tuple[str, ...] = ()
    used_by_root: bool = False
    root_reasons: tuple[str, ...] = ()
    approach: ApproachInEffect | None = None


@dataclass(frozen=True, slots=True)
class LensRow:
    """One line of the sudo lens: what a command is for you and under sudo."""

    command: str
    for_you: Resolution
    under_sudo: Resolution | None
    you_version: str | None = None
    sudo_version: str | None = None
    same: bool | None = None


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Everything derived from a :class:`MachineState`."""

    views: tuple[InterpreterView, ...]
    lens: tuple[LensRow, ...]
    findings: tuple[Finding, ...]

    def view(self, path: str) -> InterpreterView | None:
        """The view of the interpreter at ``path``."""
        for v in self.views:
            if v.path == path:
                return v
        return None

    def count(self, severity: Severity) -> int:
        """How many findings have ``severity``."""
        return sum(1 for f in self.findings if f.severity is severity)
