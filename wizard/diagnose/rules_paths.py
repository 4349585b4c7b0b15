"""Provides the findings about who can change code root imports: directories, their parents, entries, hooks."""

from __future__ import annotations

import posixpath
import stat

from wizard.diagnose.approach import kind_of
from wizard.diagnose.context import (
    Context,
    describe_writers,
    parents_of,
    q,
    restore_command,
    root_import_dirs,
    severity_of,
    target_dirs,
    writer_evidence,
)
from wizard.model import Approach, Finding, Fix, Interpreter, OwnerKind, PathInfo, Severity, Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


def root_paths(ctx: Context) -> Iterator[Finding]:
    """A directory root imports from (or one of its parents) that someone other than root can change."""
    for interp in ctx.state.interpreters:
        view = ctx.view(interp)
        if not (interp.ok and view.used_by_root):
            continue
        why_root = "; ".join(view.root_reasons)
        targets = target_dirs(interp, ctx.state)
        for directory in root_import_dirs(interp, ctx.state):
            info = ctx.state.path_info(directory)
            if info is None:
                continue
            target = directory in targets
            if info.exists and info.writers:
                writers = info.writers
                approach = view.approach.id if view.approach else None
                if target and approach is Approach.PIP_USER:
                    yield _pip_user(interp, info, why_root)
                    continue
                yield Finding(
                    id="root-path-writable",
                    severity=severity_of(writers),
                    title=f"Code root runs can be changed by {describe_writers(writers)}: {directory}",
                    why=(
                        f"Python imports modules from {directory} every time {interp.path} starts, and root "
                        f"starts it ({why_root}). Anyone who can write there can leave a module or a .pth "
                        "file that root will run later, so that account has a way to become root. The accepted "
                        "answer of the 'most secure way to use pip' thread makes exactly this point: the danger "
                        "is write access to the system's site-packages, which root trusts, not owning a "
                        "site-packages as such."
                        + (
                            " This is approach 3 (owning site-packages) in effect."
                            if target and approach is Approach.OWN_SITE
                            else ""
                        )
                    ),
                    fix=Fix(
                        "Give the directory back to root and take write access away from others; then install "
                        "what you need into a virtualenv instead.",
                        restore_command(info, writers, target, ctx.root_group()),
                        "pip-setup-wizard apply virtualenv" if target else None,
                    ),
                    cite=("so-secure-pip#answer", "so-secure-pip#answer-comments", "python-site"),
                    interpreter=interp.path,
                    paths=(directory,),
                    evidence=writer_evidence(info, writers),
                )
            yield from _parent_findings(ctx, interp, info, why_root)


def _parent_findings(ctx: Context, interp: Interpreter, child: PathInfo, why_root: str) -> Iterator[Finding]:
    for parent in parents_of(child.path):
        info = ctx.state.path_info(parent)
        if info is None or not info.exists or not info.writers:
            continue
        writers = info.writers
        sticky = bool((info.mode or 0) & stat.S_ISVTX)
        if sticky and child.exists and child.uid == 0:
            # In a sticky directory others cannot rename or delete root's entries.
            writers = tuple(w for w in writers if w.kind != "everyone")
        if not writers:
            continue
        yield Finding(
            id="root-path-parent-writable",
            severity=severity_of(writers),
            title=f"A parent of a directory root imports from can be changed by {describe_writers(writers)}: {parent}",
            why=(
                f"Whoever can write to {parent} can rename {child.path} away, or create it if it is missing, "
                f"and put a directory of their own in its place. Root would then import from it when it runs "
                f"{interp.path} ({why_root}): the same path to root as writing into the directory itself."
            ),
            fix=Fix(
                "Make the parent directory root's again and not writable by others.",
                restore_command(info, writers, False, ctx.root_group()),
            ),
            cite=("so-secure-pip#answer", "python-site"),
            interpreter=interp.path,
            paths=(parent, child.path),
            evidence=writer_evidence(info, writers),
        )


def _pip_user(interp: Interpreter, info: PathInfo, why_root: str) -> Finding:
    owners = [w.name for w in info.writers if w.kind == "owner"]
    name = owners[0] if owners else describe_writers(info.writers)
    return Finding(
        id="pip-user-can-change-root-code",
        severity=Severity.WARNING,
        title=f"The pip user {name} can change code root runs ({info.path})",
        why=(
            f"{info.path} can be written by {describe_writers(info.writers)}, an account nobody logs in to, "
            f"so installs run as {name} and not as root. That is approach 2, suggested in the third answer of "
            f"the 'risks of sudo pip' thread: a malicious setup.py can only damage what {name} can write. "
            f"But what {name} installs is imported by root later ({why_root}), so a bad package, or anyone "
            f"allowed to run pip as {name}, can still get code into root's hands. "
            "It limits the damage at install time; it is not a wall."
        ),
        fix=Fix(
            "Install only packages you trust this way, or use a virtualenv for anything else.",
            None,
            "pip-setup-wizard apply virtualenv",
        ),
        cite=("so-sudo-pip-risks#answer-3", "so-secure-pip#question", "sudoers"),
        interpreter=interp.path,
        paths=(info.path,),
        evidence=(f"{info.path} is {info.owner_label}",),
    )


def root_path_entries(ctx: Context) -> Iterator[Finding]:
    """Entries inside a root-owned import directory that belong to someone else (they can change those)."""
    for interp in ctx.state.interpreters:
        view = ctx.view(interp)
        if not (interp.ok and view.used_by_root):
            continue
        approach = view.approach.id if view.approach else None
        for contents in interp.target_contents:
            info = ctx.state.path_info(contents.path)
            if approach is not Approach.MIXED and info is not None and info.writers:
                continue  # the directory itself is writable: root_paths reports that
            owners = {n: c for n, c in contents.owners.items() if kind_of(ctx.state, n) is not OwnerKind.ROOT}
            if not owners:
                continue
            kinds = {kind_of(ctx.state, n) for n in owners}
            who = ", ".join(f"{n} ({c})" for n, c in sorted(owners.items()))
            yield Finding(
                id="root-path-entries-foreign",
                severity=Severity.WARNING if kinds == {OwnerKind.SERVICE} else Severity.DANGER,
                title=f"Packages root imports belong to {', '.join(sorted(owners))}: {contents.path}",
                why=(
                    f"Root owns {contents.path}, but some entries inside belong to {who}. Whoever owns a package "
                    "directory can change its code, and root runs that code whenever it imports the package "
                    f"with {interp.path}. Someone installed them without sudo, or ownership was changed by "
                    "hand: either way it is the write access to the system site-packages that the 'most "
                    "secure way' thread's answer warns about."
                ),
                fix=Fix(
                    "Give those entries back to root (or reinstall the packages in a virtualenv).",
                    restore_command(
                        info or PathInfo(contents.path, True, "dir", contents.path),
                        (Writer("owner", "", OwnerKind.UNKNOWN),),
                        True,
                        ctx.root_group(),
                    ),
                    "pip-setup-wizard apply virtualenv",
                ),
                cite=("so-secure-pip#answer", "python-site"),
                interpreter=interp.path,
                paths=(contents.path,),
                evidence=tuple(f"{n} owns {c} top-level entr{'y' if c == 1 else 'ies'}" for n, c in owners.items()),
            )


def private_own_site(ctx: Context) -> Iterator[Finding]:
    """A Python you own and root does not run (Homebrew, pyenv in your home): approach 3, but only for you."""
    for interp in ctx.state.interpreters:
        view = ctx.view(interp)
        if not ctx.relevant(interp) or view.used_by_root or view.approach is None:
            continue
        if view.approach.id is not Approach.OWN_SITE:
            continue
        yield Finding(
            id="own-site-private",
            severity=Severity.INFO,
            title=f"You own the Python at {interp.path}; root does not use it",
            why=(
                "pip installs into it without sudo, so any program you run can change the packages it imports: "
                "approach 3 in practice (Homebrew's and pyenv's Pythons work like this). As long as root never "
                "runs it, the damage stays within your own account, much like a virtualenv; running it with "
                "sudo would change that."
            ),
            fix=Fix("Keep root away from it (no `sudo` with this interpreter); use virtualenvs per project."),
            cite=("so-secure-pip#question", "so-secure-pip#answer"),
            interpreter=interp.path,
            paths=interp.pip_target,
        )


def startup_hooks(ctx: Context) -> Iterator[Finding]:
    """``.pth`` files with ``import`` lines and ``sitecustomize`` modules in directories root imports from."""
    for interp in ctx.state.interpreters:
        if not ctx.relevant(interp):
            continue
        for hook in interp.startup_hooks:
            foreign = hook.owner_kind is not OwnerKind.ROOT
            if hook.kind == "pth":
                what = f"{hook.path} runs code at every start of {interp.path}"
                how = (
                    ".pth files in site-packages may hold lines that start with 'import'; Python's site "
                    "module executes them at every start of the interpreter, before any of your code, "
                    "whoever runs it (root included)."
                )
            else:
                what = f"{hook.path} is imported at every start of {interp.path}"
                how = (
                    f"Python's site module imports {hook.kind} automatically at start-up, whoever runs "
                    "the interpreter (root included)."
                )
            owner = f" It belongs to {hook.owner}" + (", not root." if foreign else ".")
            name = posixpath.basename(hook.path).removesuffix(".pth")
            yield Finding(
                id="startup-hook",
                severity=Severity.WARNING if foreign else Severity.INFO,
                title=what,
                why=how + owner + " This report read it as text; it did not run it.",
                fix=Fix(
                    "Check which package installed it; remove that package if you do not know it.",
                    f"grep -l {q(name)} {q(posixpath.dirname(hook.path))}/*.dist-info/RECORD"
                    if hook.kind == "pth"
                    else None,
                ),
                cite=("python-site", "so-secure-pip#answer"),
                interpreter=interp.path,
                paths=(hook.path,),
                evidence=hook.lines,
            )
