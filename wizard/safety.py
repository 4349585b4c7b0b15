"""Provides the safety rules every plan passes before it may change anything (SPEC §7, BAD_INPUTS.md).

Each rule raises a :class:`WizardError` that names the input and says how to fix it. The rules are pure: they
look at the machine state detection produced, never at the live system.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import sys

from wizard.errors import WizardError
from wizard.model import Interpreter, MachineState, OwnerKind

NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,30}$")
FORBIDDEN_TREES = (
    "/",
    "/usr",
    "/etc",
    "/usr/local",
    "/usr/local/bin",
    "/usr/bin",
    "/bin",
    "/sbin",
    "/usr/sbin",
    "/opt",
    "/home",
    "/root",
    "/var",
    "/tmp",
    "/lib",
    "/usr/lib",
    "/boot",
    "/dev",
    "/proc",
    "/sys",
)


def refuse(message: str, hint: str, ref: str) -> WizardError:
    """A refusal: nothing has been changed."""
    return WizardError(message, context="Nothing was changed.", hint=hint, ref=ref)


def check_text(value: str, what: str) -> None:
    """No newline, NUL or other control characters in a name or a path."""
    if any(ord(c) < 32 or c == "\x7f" for c in value):
        raise refuse(
            f"the {what} {value!r} contains a newline, NUL or another control character",
            f"pass the {what} as plain text",
            "control-character",
        )


def check_user_name(name: str, what: str = "pip user name") -> None:
    """The account-name rule of useradd(8) as Debian applies it, stricter where it matters."""
    check_text(name, what)
    if not name:
        raise refuse(f"the {what} is empty", "choose a name such as pipinstall", "name-empty")
    if len(name) > 31:
        raise refuse(
            f"the {what} {name!r} is {len(name)} characters long; the limit is 31",
            "choose a shorter name, such as pipinstall",
            "name-too-long",
        )
    if not NAME.match(name):
        raise refuse(
            f"the {what} {name!r} is not allowed: names must start with a lower-case letter or '_' and "
            "use only lower-case letters, digits, '_' and '-'",
            "choose a name such as pipinstall (accepted: ^[a-z_][a-z0-9_-]{0,30}$)",
            "name-invalid",
        )


def check_pip_user(name: str, account: tuple[int, str] | None, created_by_us: bool) -> None:
    """The pip user must be new (or the wizard's own), never root-equivalent, never a person's account.

    ``account`` is (uid, kind) from the account database when the name exists there.
    """
    check_user_name(name)
    if name == "root":
        raise refuse(
            "the pip user cannot be root: a root-equivalent owner defeats the approach",
            "use the default pipinstall, or approach sudo-pip if you mean root",
            "user-root",
        )
    if account is None:
        return
    uid, kind = account
    if uid == 0:
        raise refuse(
            f"the account {name!r} has uid 0, so it is root under another name: a root-equivalent owner "
            "defeats the approach",
            "choose a new name such as pipinstall",
            "user-uid0",
        )
    if created_by_us:
        return
    if kind == OwnerKind.HUMAN.value:
        raise refuse(
            f"{name!r} is a person's account (uid {uid}); handing site-packages to a person is approach "
            "own-site, which has its own confirmation",
            "choose a new name for the pip user, or plan own-site",
            "user-human",
        )
    raise refuse(
        f"the account {name!r} already exists and was not created by pip-setup-wizard",
        "choose a new name (the wizard creates the account itself), e.g. --user pipinstall",
        "user-exists",
    )


def normal(path: str) -> str:
    """``path`` with duplicate slashes removed (``..`` is refused elsewhere, never resolved)."""
    return posixpath.normpath(path) if path.startswith("/") else path


def check_absolute(path: str, what: str) -> None:
    """Absolute, without ``..`` and without control characters."""
    check_text(path, what)
    if not path.startswith("/"):
        raise refuse(f"the {what} {path!r} is relative", f"give the {what} as an absolute path", "path-relative")
    if ".." in path.split("/"):
        raise refuse(f"the {what} {path!r} contains '..'", f"give the {what} without '..'", "path-dotdot")


def _distro_or_stdlib(path: str, interp: Interpreter) -> str | None:
    stdlib = normal(interp.paths.get("stdlib") or "")
    if path in (normal(d) for d in interp.distro_dirs):
        return "a directory the distribution's package manager owns"
    if stdlib and (path == stdlib or path.startswith(stdlib + "/")):
        return "the standard library"
    return None


def target_trees(interp: Interpreter, state: MachineState, requested: str | None = None) -> tuple[str, ...]:
    """The site-packages trees an approach may change: exactly what the interpreter reports as pip's target.

    Refuses forbidden places (``/``, ``/usr``, ``/etc``, ``/usr/local/bin``, homes, the stdlib, the distribution's
    directories), and any target that is (or lies under) a symbolic link whose real path is not itself one of the
    reported targets.
    """
    reported = [normal(t) for t in interp.pip_target]
    if requested is not None:
        check_absolute(requested, "target path")
        asked = normal(requested)
        owned = _distro_or_stdlib(asked, interp)
        if owned:
            raise refuse(
                f"{asked} is {owned}; changing owners there breaks what the package manager installed",
                "install system-wide packages with the package manager (apt install python3-NAME); PEP 668 "
                "marks this Python as managed by it. A virtualenv needs no such change.",
                "path-distro",
            )
        if asked not in reported:
            raise refuse(
                f"{asked} is not a site-packages directory {interp.path} installs into: only the exact "
                "directories pip writes to qualify",
                f"the targets of {interp.path} are: {', '.join(reported) or '(none)'}",
                "path-not-target",
            )
        reported = [asked]
    forbidden = {*FORBIDDEN_TREES, state.user.home, state.user.human_home}
    marker = interp.marker is not None and interp.marker.present
    for tree in reported:
        check_absolute(tree, "target path")
        owned = _distro_or_stdlib(tree, interp)
        if owned or (marker and tree.startswith("/usr/lib")):
            raise refuse(
                f"{interp.path} is marked externally managed (PEP 668) and pip's target {tree} is "
                f"{owned or 'inside the distribution scheme'}",
                "use a virtualenv, or the distribution's local scheme (/usr/local) if it has one",
                "path-distro-scheme",
            )
        info = state.path_info(tree)
        real = info.realpath if info else os.path.realpath(tree)
        for candidate in {tree, real}:
            if candidate in forbidden or candidate.rstrip("/") == "":
                raise refuse(
                    f"{candidate} is not a place the wizard changes owners in",
                    "only the exact site-packages directories pip installs into qualify",
                    "path-forbidden",
                )
        if real != tree and (real not in reported or real in forbidden):
            raise refuse(
                f"{tree} is (or lies under) a symbolic link: its real path is {real}, which is not a "
                f"site-packages directory {interp.path} reports",
                f"make {tree} a real directory again, or point --python at the interpreter that owns {real}",
                "path-symlink",
            )
    return tuple(reported)


def check_venv_path(path: str, state: MachineState, python: Interpreter) -> str:
    """Where a virtualenv may be created: absolute, not inside another venv or site-packages, not in a directory
    everyone can write (``/tmp``), and not an existing directory that is something else.

    Returns ``"create"`` or ``"exists"`` (a venv of the same interpreter: already set up).
    """
    check_absolute(path, "venv path")
    path = normal(path)
    if path in FORBIDDEN_TREES or path in (state.user.human_home, state.user.home):
        raise refuse(
            f"{path} cannot be a virtualenv", "choose a new directory such as ~/.venvs/default", "venv-forbidden"
        )
    parent = posixpath.dirname(path)
    while parent and parent != "/":
        if os.path.isfile(os.path.join(parent, "pyvenv.cfg")):
            raise refuse(
                f"{path} is inside the virtualenv {parent}", "choose a directory outside other venvs", "venv-nested"
            )
        if posixpath.basename(parent) in ("site-packages", "dist-packages"):
            raise refuse(
                f"{path} is inside {parent}, a site-packages directory",
                "choose a directory such as ~/.venvs/default",
                "venv-in-site-packages",
            )
        try:
            st = os.stat(parent)
        except OSError:
            st = None
        if st is not None and st.st_mode & 0o002:
            raise refuse(
                f"{path} would be inside {parent}, which every user can write",
                "choose a directory in your home, such as ~/.venvs/default",
                "venv-world-writable",
            )
        parent = posixpath.dirname(parent)
    if not os.path.lexists(path):
        return "create"
    if os.path.islink(path) or not os.path.isdir(path):
        raise refuse(f"{path} exists and is not a directory", "choose a new directory", "venv-not-dir")
    cfg = os.path.join(path, "pyvenv.cfg")
    if os.path.isfile(cfg):
        home = _venv_home(cfg)
        wanted = posixpath.dirname(python.realpath)
        if home and (os.path.realpath(home) == wanted or home == posixpath.dirname(python.path)):
            return "exists"
        raise refuse(
            f"{path} is already a virtualenv of another interpreter ({home})",
            f"choose another directory, or remove that venv first (it was not made for {python.path})",
            "venv-other-interpreter",
        )
    if os.listdir(path):
        raise refuse(
            f"{path} exists, is not empty and is not a virtualenv: `python -m venv` would mix its files into it",
            "choose a new or empty directory",
            "venv-not-empty",
        )
    return "create"


def _venv_home(cfg: str) -> str | None:
    try:
        with open(cfg, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, sep, value = line.partition("=")
                if sep and key.strip().lower() == "home":
                    return value.strip()
    except OSError:
        return None
    return None


def self_check() -> list[str]:
    """Why this copy of the wizard must not run as root: its own files can be changed by someone else."""
    import wizard

    problems = []
    package = os.path.dirname(os.path.abspath(wizard.__file__))
    checked = [
        package,
        *(os.path.join(package, n) for n in os.listdir(package)),
        sys.prefix,
        os.path.realpath(sys.executable),
    ]
    parent = os.path.dirname(package)
    while parent and parent != "/":
        checked.append(parent)
        parent = os.path.dirname(parent)
    for path in checked:
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if st.st_uid != 0 or (st.st_mode & 0o022 and not stat.S_ISLNK(st.st_mode) and not st.st_mode & stat.S_ISVTX):
            problems.append(f"{path} (owner uid {st.st_uid}, mode {stat.S_IMODE(st.st_mode):04o})")
    return problems


def refuse_untrusted_self() -> None:
    """Root must not run wizard code that someone else can change (that would be a path to root)."""
    if os.geteuid() != 0 or os.environ.get("PIP_SETUP_WIZARD_TRUST_SELF") == "1":
        return
    problems = self_check()
    if problems:
        raise WizardError(
            "refusing to change the system as root with a copy of pip-setup-wizard that other accounts can modify: "
            + "; ".join(problems[:3]),
            context="Nothing was changed. Running it as root would give whoever can change those files root.",
            hint="install the wizard root-owned for system changes: sudo python3 -m venv /opt/pip-setup-wizard && "
            "sudo /opt/pip-setup-wizard/bin/pip install . (virtualenv needs no root: run it as yourself)",
            ref="self-untrusted",
        )
