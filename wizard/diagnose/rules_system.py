"""Provides the findings about the system around pip: sudo, PEP 668, venv support, user site, the report itself."""

from __future__ import annotations

import re

from wizard.diagnose.context import Context, name_list, q
from wizard.model import Finding, Fix, Severity
from wizard.paths import DEFAULT_PIP_USER, pip_cache_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


def sudo_lens(ctx: Context) -> Iterator[Finding]:
    """``sudo python3`` / ``sudo pip`` that run a different Python than the plain commands."""
    for row in ctx.lens:
        if row.same is not False or row.under_sudo is None or row.command not in ("python3", "pip"):
            continue
        mine, theirs = row.for_you, row.under_sudo
        if not mine.path or not theirs.path:
            continue
        is_pip = row.command == "pip"
        yield Finding(
            id="sudo-pip-differs" if is_pip else "sudo-python-differs",
            severity=Severity.WARNING,
            title=f"`sudo {row.command}` and `{row.command}` run different Pythons",
            why=(
                f"For you, {row.command} is {mine.path} (Python {row.you_version or '?'} at "
                f"{mine.interpreter}); under sudo, whose PATH is secure_path, it is {theirs.path} (Python "
                f"{row.sudo_version or '?'} at {theirs.interpreter}). "
                + (
                    "Packages installed with `sudo pip` go to the second one and are invisible to the first. "
                    if is_pip
                    else ""
                )
                + "This is the sys.executable / sys.version mismatch that the second answer of the 'risks of "
                "sudo pip' thread links to: sudo can hand you a different interpreter than the one you tested."
            ),
            fix=Fix(
                f"Run pip as `PYTHON -m pip` with the interpreter named in full ({mine.interpreter} or "
                f"{theirs.interpreter}) so you know which Python you are changing; better, use a virtualenv, "
                "whose pip can only change that environment."
            ),
            cite=("so-sudo-pip-risks#answer-2", "sudoers"),
            interpreter=theirs.interpreter,
            paths=tuple(p for p in (mine.path, theirs.path) if p),
        )


def venv_and_marker(ctx: Context) -> Iterator[Finding]:
    """PEP 668 markers, pip versions that ignore them, and missing venv support."""
    seen: set[str] = set()
    for interp in (ctx.you, ctx.system):
        if interp is None or interp.path in seen or not interp.ok or interp.is_venv:
            continue
        seen.add(interp.path)
        marker = interp.marker
        if marker and marker.present:
            first = (marker.error_text or "").strip().splitlines()
            yield Finding(
                id="externally-managed",
                severity=Severity.INFO,
                title=f"{interp.path} is marked as managed by the operating system (PEP 668)",
                why=(
                    "Its EXTERNALLY-MANAGED file tells pip to refuse installs outside a virtual environment "
                    "(with sudo and with --user alike) and to send you to the package manager. It exists "
                    "because of the 'system Python belongs to the distribution' problem raised in the "
                    "second answer of the 'risks of sudo pip' thread. PEP 668 itself says it prevents "
                    "accidents, not attacks."
                ),
                fix=Fix(
                    "Use a virtualenv for libraries, pipx or `uv tool` for applications, and the package "
                    "manager for system-wide packages.",
                    None,
                    "pip-setup-wizard recommend",
                ),
                cite=("pep-668", "so-sudo-pip-risks#answer-2"),
                interpreter=interp.path,
                paths=(marker.path,),
                evidence=tuple(first[:1]) + ((f"marker problem: {marker.problem}",) if marker.problem else ()),
            )
            pip = interp.pip
            if pip and pip.present and pip.version and _version_tuple(pip.version) < (23, 0):
                yield Finding(
                    id="pip-ignores-marker",
                    severity=Severity.WARNING,
                    title=f"pip {pip.version} for {interp.path} does not know about PEP 668",
                    why=(
                        "pip started honouring the EXTERNALLY-MANAGED marker in version 23.0; this older pip "
                        "will install into the system's Python without any warning."
                    ),
                    fix=Fix("Update pip through the package manager that provides it."),
                    cite=("pip-changelog#23.0",),
                    interpreter=interp.path,
                )
        if interp.venv_module is False or interp.ensurepip is False:
            debian = ctx.state.platform.debian_like
            ver = ".".join((interp.version or "").split(".")[:2])
            yield Finding(
                id="venv-unavailable",
                severity=Severity.WARNING,
                title=f"{interp.path} cannot create virtual environments with pip in them yet",
                why=(
                    "Approach 4 needs Python's venv module and ensurepip. "
                    + ("Debian and Ubuntu ship them in a separate package. " if debian else "")
                    + (
                        "uv is installed and can create venvs without them (`uv venv`)."
                        if "uv" in ctx.state.tools
                        else ""
                    )
                ),
                fix=Fix(
                    "Install the venv support for this Python.",
                    f"sudo apt install python3-venv python{ver}-venv" if debian else None,
                ),
                cite=("python-venv", "debian-python"),
                interpreter=interp.path,
            )


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = re.match(r"\d+", piece)
        if not digits:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


def user_site(ctx: Context) -> Iterator[Finding]:
    """The per-user scheme: scripts directory not on PATH, packages installed with --user."""
    interp = ctx.you
    if interp is None or not interp.ok or interp.is_venv or interp.user_site is None:
        return
    us = interp.user_site
    scripts_exist = ctx.state.path_info(us.scripts or "")
    wanted = "pipx" in ctx.state.tools or bool(scripts_exist and scripts_exist.exists)
    if us.enabled and us.scripts and not us.on_path and wanted:
        yield Finding(
            id="user-scripts-not-on-path",
            severity=Severity.INFO,
            title=f"{us.scripts} is not on your PATH",
            why=(
                "`pip install --user` and pipx put commands there; until it is on PATH your shell will not find them."
            ),
            fix=Fix(
                "Add it to PATH in your shell's start-up file (pipx can do it: `pipx ensurepath`).",
                f"echo 'export PATH=\"{us.scripts}:$PATH\"' >> ~/.profile",
            ),
            cite=("pip-user-installs",),
            interpreter=interp.path,
            paths=(us.scripts,),
        )
    if interp.user_installed:
        names = interp.user_installed
        yield Finding(
            id="user-site-packages",
            severity=Severity.INFO,
            title=f"{len(names)} package(s) are installed in your user site ({us.site})",
            why=(
                "`pip install --user` puts packages in your home. Every script you run with this Python "
                "imports them, but root never does (root has its own user site). On PEP 668 systems --user "
                "is refused too, because those packages still shadow the distribution's for you."
            ),
            cite=("pip-user-installs", "pep-668"),
            interpreter=interp.path,
            paths=(us.site or "",),
            evidence=(name_list(names),),
        )


def distro_dirs(ctx: Context) -> Iterator[Finding]:
    """pip-installed distributions inside directories the package manager owns."""
    for interp in ctx.state.interpreters:
        if not interp.ok:
            continue
        for contents in interp.target_contents:
            if contents.path not in interp.distro_dirs or not contents.pip_installed:
                continue
            names = contents.pip_installed
            yield Finding(
                id="pip-in-distro-dir",
                severity=Severity.WARNING,
                title=f"pip installed {len(names)} package(s) into {contents.path}, which the package manager owns",
                why=(
                    "The package manager tracks every file in that directory. Files pip wrote there can be "
                    "overwritten by the next upgrade, or replace files other system tools depend on: the "
                    "'system Python belongs to the distribution' risk from the second answer of the 'risks of "
                    "sudo pip' thread, which Debian's dist-packages split and Fedora's /usr/local scheme "
                    "exist to prevent."
                ),
                fix=Fix(
                    "Reinstall the affected system packages with the package manager, and install your own "
                    "packages in a virtualenv."
                ),
                cite=("so-sudo-pip-risks#answer-2", "debian-python", "fedora-sudo-pip"),
                interpreter=interp.path,
                paths=(contents.path,),
                evidence=(name_list(names),),
            )


def sudo_facts(ctx: Context) -> Iterator[Finding]:
    """sudo missing, or sudo without a password."""
    state = ctx.state
    if not state.sudo.installed and not state.user.is_root and state.platform.system != "win32":
        yield Finding(
            id="sudo-missing",
            severity=Severity.INFO,
            title="sudo is not installed",
            why=(
                "Approaches 1 (sudo pip) and 2 (a pip user run with sudo -u) need sudo; a virtualenv "
                "(approach 4) does not."
            ),
            fix=Fix(
                "Install it as root if you want those approaches.",
                "su -c 'apt install sudo'" if state.platform.debian_like else None,
            ),
            cite=("sudoers",),
        )
    if state.sudo.passwordless and not state.user.is_root:
        yield Finding(
            id="passwordless-sudo",
            severity=Severity.WARNING,
            title="sudo does not ask you for a password",
            why=(
                "The question of the 'most secure way' thread assumes that code running as you cannot reach "
                "what you cannot access. With sudo that never asks, any program running as you can become "
                "root without a prompt, so your account is nearly as valuable as root: where install-time "
                "code runs (as you, in a virtualenv) matters more, not less."
            ),
            fix=Fix("Require a password: remove NOPASSWD from your rule with `sudo visudo`."),
            cite=("so-secure-pip#question", "sudoers"),
        )


def failures(ctx: Context) -> Iterator[Finding]:
    """Interpreters that could not be inspected."""
    for interp in ctx.state.interpreters:
        if interp.ok:
            continue
        asked = "--python" in interp.found_by
        yield Finding(
            id="interpreter-unsupported" if interp.version else "interpreter-error",
            severity=Severity.WARNING if asked else Severity.INFO,
            title=f"{interp.path} could not be inspected: {interp.error}",
            why="The report leaves it out; everything else was still checked.",
            fix=Fix(interp.hint) if interp.hint else None,
            interpreter=interp.path,
            paths=(interp.path,),
        )


def housekeeping(ctx: Context) -> Iterator[Finding]:
    """Who this report is for, a root-owned pip cache, and what an earlier wizard run left."""
    state = ctx.state
    if state.user.is_root:
        who = (
            f"You ran it through sudo as {state.user.sudo_user}; your own PATH and pip settings may differ."
            if state.user.sudo_user
            else "Run it as your normal user too, to see your PATH, your pip settings and your user site."
        )
        yield Finding(
            id="running-as-root",
            severity=Severity.INFO,
            title="This report shows the machine from root's point of view",
            why=who + " Under sudo, PATH is sudo's secure_path.",
            cite=("sudoers",),
        )
    cache = state.path_info(pip_cache_dir(state.user.human_home))
    if cache and cache.exists and cache.uid is not None and cache.uid != state.user.human_uid:
        yield Finding(
            id="pip-cache-not-yours",
            severity=Severity.INFO,
            title=f"Your pip cache belongs to {cache.owner}",
            why=(
                "An earlier `sudo pip` without -H probably created it. pip turns its cache off when the "
                "cache directory is not yours, so downloads are repeated."
            ),
            fix=Fix("Take it back.", f"sudo chown -R {q(state.user.human)}: {q(cache.path)}"),
            cite=("pip-caching",),
            paths=(cache.path,),
        )
    acct = next((a for a in state.accounts if a.name == DEFAULT_PIP_USER), None)
    if acct is not None:
        yield Finding(
            id="pip-user-account",
            severity=Severity.INFO,
            title=f"A pip user account exists: {acct.name} (uid {acct.uid})",
            why=f"It is a {acct.kind.value} account with shell {acct.shell or '(none)'} and home {acct.home}.",
            paths=(acct.home,),
        )
    for art in state.wizard_artifacts:
        yield Finding(
            id="wizard-artifact",
            severity=Severity.INFO,
            title=f"pip-setup-wizard's {art.path} is present",
            why=f"It is {art.owner_label}. `pip-setup-wizard status` tells which set-up it belongs to.",
            paths=(art.path,),
        )
