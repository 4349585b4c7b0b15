"""Provides the planners for the system's site-packages: sudo-pip (1), pip-user (2) and own-site (3)."""

from __future__ import annotations

import os

from wizard import safety
from wizard.paths import SUDOERS_DROPIN
from wizard.plan import Check, ChownTree, CreateUser, Plan, WriteFile
from wizard.safety import refuse
from wizard.strategies.common import Planning

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.plan import Step


def _system_checks(pl: Planning) -> None:
    if pl.interp.is_venv:
        raise refuse(
            f"{pl.interp.path} is a virtualenv; {pl.options.approach} is about the system's Python",
            "pass the system interpreter with --python, or plan virtualenv",
            "python-is-venv",
        )
    pl.needs_root()


def _pip_conf(home: str) -> str:
    return os.path.join(home, ".config", "pip", "pip.conf")


def _pep668(pl: Planning, conf: str, owner: str, who: str) -> None:
    marker = pl.interp.marker
    if not (marker and marker.present):
        return
    if pl.options.break_system_packages:
        pl.ensure_key(conf, "break-system-packages", "true", "sudo-pip-breaks-distro", owner=owner)
        pl.notes.append(
            f"{pl.interp.path} is marked externally managed (PEP 668); as you chose, pip run by {who} "
            f"will override that (break-system-packages = true in {conf} only)"
        )
    else:
        pl.notes.append(
            f"{pl.interp.path} is marked externally managed (PEP 668): pip run by {who} will refuse to "
            "install until you pass --break-system-packages to it (or plan with --break-system-packages "
            f"to set it for {who} only); the distribution prefers `apt install python3-NAME` or a "
            "virtualenv"
        )


def sudo_pip(pl: Planning) -> Plan:
    """Approach 1: root owns everything pip writes, with nothing writable by others; optional hardening."""
    _system_checks(pl)
    pl.switch_from_applied()
    trees = pl.ensure_trees()
    for tree in trees:
        pl.give_tree(tree, "root", "root", "locked-after-install")
        pl.restrict(tree, "locked-after-install")
    scripts = pl.interp.paths.get("scripts")
    if scripts and pl.system.stat(scripts).exists:
        st = pl.system.stat(scripts)
        if st.uid != 0:
            pl.add(ChownTree(why="locked-after-install", path=scripts, recursive=False))
        pl.restrict(scripts, "locked-after-install", recursive=False)
    root_home = (pl.system.account("root") or pl.human).home
    conf = _pip_conf(root_home)
    if pl.options.only_binary:
        pl.ensure_key(conf, "only-binary", ":all:", "root-runs-install-code")
    _pep668(pl, conf, "root", "root")
    python3 = next((r for r in pl.state.under_sudo or () if r.command == "python3"), None)
    if python3 and python3.interpreter and python3.interpreter != pl.interp.path:
        pl.notes.append(
            f"`sudo python3` runs {python3.interpreter}, not {pl.interp.path}: install with "
            f"`sudo {pl.interp.path} -m pip install NAME`"
        )
    version = ".".join((pl.interp.version or "").split(".")[:2])
    checks: list[Step] = [
        Check(
            why="sudo-swaps-the-python",
            title=f"root's pip is {pl.interp.path}'s pip",
            argv=(pl.interp.path, "-I", "-m", "pip", "--version"),
            expect_in=f"(python {version})",
        )
    ]
    return pl.finish(checks)


def _created_by_us(pl: Planning, name: str) -> bool:
    if pl.applied is None:
        return False
    return any(
        r["step"].get("kind") == "create-user" and r["step"].get("name") == name for r in pl.applied.steps().values()
    )


def sudoers_rule(human: str, pip_user: str, python: str) -> str:
    """The drop-in: exactly one command, as exactly one user, for exactly one person.

    Not NOPASSWD: sudo still asks for the person's password, so a program running as them cannot use the rule
    behind their back to plant code in what root imports.
    """
    return (
        f"# Installed by pip-setup-wizard: lets {human} run {python}'s pip as the pip user {pip_user}.\n"
        "# `pip-setup-wizard undo` removes it. -I keeps the working directory and PYTHON* variables out.\n"
        f"{human} ALL=({pip_user}) {python} -I -m pip *\n"
    )


def wrapper(pip_user: str, python: str) -> str:
    """The root-owned command that runs pip as the pip user."""
    return (
        f"#!/bin/sh\n# Installed by pip-setup-wizard: runs pip for {python} as the pip user {pip_user}.\n"
        f'exec sudo -u {pip_user} -H -- {python} -I -m pip "$@"\n'
    )


def pip_user(pl: Planning) -> Plan:
    """Approach 2: a system user owns the target trees; you run pip as it through one sudoers rule."""
    _system_checks(pl)
    name = pl.options.user
    safety.check_user_name(name)
    existing = pl.system.account(name)  # the machine as it is, before any revert this plan makes
    same = pl.switch_from_applied()
    known = None
    if existing is not None:
        from wizard.detect.fsinfo import Accounts

        known = (existing.uid, Accounts().kind(existing.uid).value)
    safety.check_pip_user(name, known, created_by_us=same and _created_by_us(pl, name))
    trees = pl.ensure_trees()
    home = f"/var/lib/{name}"
    acct = pl.system.account(name)
    if acct is None:
        if pl.system.stat(home).exists:
            # useradd --create-home would adopt it as is (someone else's files, or a leftover), and undoing
            # (userdel --remove) would delete what was there before.
            raise safety.refuse(
                f"{home} already exists, but there is no account {name!r}: the new pip user would take over a "
                "folder that is not the wizard's, and undoing it would delete that folder",
                f"move {home} aside (or remove it if it is a leftover of an old account), or choose another name "
                "with --user",
                "user-home-exists",
            )
        pl.add(CreateUser(why="install-code-is-confined", name=name, home=home))
    else:
        home = acct.home
    for tree in trees:
        pl.give_tree(tree, name, name, "install-code-is-confined")
        pl.restrict(tree, "pip-user-can-change-root-code")
    conf = _pip_conf(home)
    if pl.options.only_binary:
        pl.ensure_key(conf, "only-binary", ":all:", "root-runs-install-code")
    _pep668(pl, conf, "root", f"the pip user {name}")
    python = pl.interp.path
    command = f"/usr/local/bin/{name}-pip"
    _ensure_file(
        pl, WriteFile(why="pip-user-cannot-write-everywhere", path=command, content=wrapper(name, python), mode=0o755)
    )
    human = pl.human.name
    if human != "root":
        _ensure_file(
            pl,
            WriteFile(
                why="sudo-rule-is-a-key",
                path=SUDOERS_DROPIN,
                content=sudoers_rule(human, name, python),
                mode=0o440,
                validate="visudo",
            ),
        )
    else:
        pl.notes.append(
            "you run the wizard as root itself, so no sudoers rule is written; run it through sudo as "
            "yourself to get one"
        )
    pl.notes.append(
        f"install with `{command} install NAME` (sudo asks for your password); packages that provide commands need "
        "the root-only "
        f"scripts directory: use pipx or `uv tool` for those. The pip user can still change code root "
        "imports: install only packages you trust this way"
    )
    checks: list[Step] = [
        Check(
            why="install-code-is-confined",
            title=f"pip runs as {name}",
            argv=(
                "sudo",
                "-n",
                "-u",
                name,
                "-H",
                "--",
                python,
                "-I",
                "-m",
                "pip",
                "--version",
                "--disable-pip-version-check",
            ),
        ),
        *(
            Check(
                why="you-do-not-own-it",
                title=f"{human} cannot write {tree}",
                argv=("test", "-w", tree),
                as_user=True,
                expect_rc=1,
            )
            for tree in trees
            if human != "root"
        ),
    ]
    if human != "root":
        checks.append(
            Check(
                why="sudo-rule-is-a-key",
                title=f"sudo allows {human} exactly this one command as {name}",
                argv=("sudo", "-l", "-U", human),
                expect_in=f"({name}) {python} -I -m pip *",
            )
        )
    return pl.finish(checks)


def _ensure_file(pl: Planning, step: WriteFile) -> None:
    st = pl.system.stat(step.path)
    if st.exists and pl.system.read(step.path) == step.content.encode() and st.mode == step.mode and st.uid == 0:
        return
    pl.add(step)


def own_site(pl: Planning) -> Plan:
    """Approach 3: a person owns the target trees (only after a typed confirmation; never /usr/local/bin)."""
    _system_checks(pl)
    owner_name = pl.options.owner or pl.human.name
    safety.check_user_name(owner_name, "owner")
    owner = pl.system.account(owner_name)
    if owner is None:
        raise refuse(f"there is no account called {owner_name!r}", "pass --owner with your user name", "owner-missing")
    if owner.uid == 0:
        raise refuse(
            "own-site with root as the owner is sudo-pip",
            "plan sudo-pip, or run the wizard through sudo as yourself so that you become the owner",
            "owner-root",
        )
    kind = next((a.kind.value for a in pl.state.accounts if a.name == owner_name), None)
    if kind == "service":
        raise refuse(
            f"{owner_name} is a service account: handing site-packages to one is pip-user",
            f"plan pip-user --user {owner_name} (a new account), or pass your own name",
            "owner-service",
        )
    pl.switch_from_applied()
    trees = pl.ensure_trees()
    import grp

    try:
        group = grp.getgrgid(owner.gid).gr_name
    except KeyError:
        group = owner_name
    for tree in trees:
        pl.give_tree(tree, owner_name, group, "anything-you-run-reaches-root")
    _pep668(pl, _pip_conf(owner.home), owner_name, owner_name)
    pl.notes.append(
        f"DANGER: every program {owner_name} runs can change code that root imports from "
        f"{', '.join(trees)}: a path from that account to root"
    )
    checks: list[Step] = []
    if owner_name == pl.human.name:
        checks = [
            Check(
                why="no-sudo-for-installs",
                title=f"{owner_name} can write {tree}",
                argv=("test", "-w", tree),
                as_user=True,
            )
            for tree in trees
        ]
    return pl.finish(checks)
