"""Provides the demo's predictions: for each approach, who runs install-time code (from the teaching content, SPEC
§1), and from that and this machine's owners and modes, which sensitive places that code could write or read.

The prediction is the ordinary Unix permission model applied to facts read with ``stat``: root passes every
check except writing to a read-only file system; anyone else needs search (x) on every directory on the way, then
the owner's, the group's or everyone's bits. The canary's observations come from the kernel (``access(2)``), so
the two are independent: an ACL, a mount option or a security module shows up as a disagreement.
"""

from __future__ import annotations

import os

from wizard.demo.model import ABSENT, NO, READ, WRITE, YES, Cell, Place, Runner
from wizard.record import record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

# What the content's "install code runs as" column says, as an identity (SPEC §1).
RUNS_AS = {"root": "root", "the pip user": "pip-user", "you": "you"}
# `pip install --user` is not one of the four approaches: it runs as whoever types it.
EXTRA_RUNS_AS = {"user-scheme": "you"}

_BITS = {4: "r", 2: "w", 1: "x"}


@record(frozen=True)
class Facts:
    """What ``stat`` says about one path (``uid`` None: owned by an account the approach creates)."""

    exists: bool
    uid: int | None = 0
    gid: int | None = 0
    mode: int = 0
    is_dir: bool = False
    read_only: bool = False
    denied: bool = False  # the one who looked could not reach it


def places(site_packages: str, home: str, shell: str, root_home: str = "/root") -> tuple[Place, ...]:
    """The places the issue names: the system's files, root's and the person's home, their keys and start-up file."""
    from wizard.strategies.virtualenv import rc_file

    rc = rc_file(shell, home)[0]
    ssh = os.path.join(home, ".ssh")
    return (
        Place("etc", "write /etc", "/etc", WRITE),
        Place("usr-local-bin", "write /usr/local/bin", "/usr/local/bin", WRITE),
        Place("site-packages", "write site-packages", site_packages, WRITE),
        Place("root-home", f"write {root_home}", root_home, WRITE),
        Place("home", "write ~", home, WRITE),
        Place("ssh", "write ~/.ssh", ssh, WRITE),
        Place("rc", "write ~/" + os.path.relpath(rc, home), rc, WRITE),
        Place("shadow", "read /etc/shadow", "/etc/shadow", READ),
        Place("ssh-read", "read ~/.ssh", ssh, READ),
    )


def chain(path: str) -> list[str]:
    """``/``, then every directory down to the path's real location, then the path itself."""
    real = os.path.realpath(path)
    out = ["/"]
    parts = [p for p in real.split("/") if p]
    for i in range(len(parts)):
        out.append("/" + "/".join(parts[: i + 1]))
    return out


def look(path: str) -> Facts:
    """The facts of one path, as whoever calls this sees them."""
    try:
        st = os.stat(path)
    except PermissionError:
        return Facts(exists=True, denied=True)
    except OSError:
        return Facts(exists=False)
    try:
        read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    import stat

    return Facts(True, st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode), stat.S_ISDIR(st.st_mode), read_only)


def gather(all_places: Iterable[Place], looker: Callable[[str], Facts] = look) -> dict[str, Facts]:
    """Facts for every path on the way to every place (what :func:`predict` needs)."""
    out: dict[str, Facts] = {}
    for place in all_places:
        for path in chain(place.path):
            if path not in out:
                out[path] = looker(path)
    return out


def after(approach: str, facts: Mapping[str, Facts], trees: Iterable[str], you: Runner) -> dict[str, Facts]:
    """The facts once ``approach`` is set up (SPEC §7): who owns site-packages is what the approach is about.

    sudo-pip gives the trees to root with no group or world write; pip-user gives them to the new pip user (write
    for it alone); own-site gives them to you; a virtualenv (and ``--user``) leaves the system alone.
    """
    changed = dict(facts)
    for tree in trees:
        real = os.path.realpath(tree)
        old = facts.get(real, Facts(exists=False))
        base = old if old.exists else Facts(True, 0, 0, 0o755, True)  # a missing tree is made root's, 0755
        if approach == "sudo-pip":
            changed[real] = replace(base, uid=0, gid=0, mode=base.mode & ~0o022)
        elif approach == "pip-user":
            changed[real] = replace(base, uid=None, gid=None, mode=base.mode & ~0o022)
        elif approach == "own-site":
            changed[real] = replace(base, uid=you.uid, gid=you.gids[0] if you.gids else None)
    return changed


def runner_for(approach: str, root: Runner, pip_user: Runner, you: Runner) -> Runner:
    """Who runs install-time code under ``approach``, as the teaching content's comparison row says."""
    if approach in EXTRA_RUNS_AS:
        kind = EXTRA_RUNS_AS[approach]
    else:
        from wizard import texts

        said = texts.approaches()[approach].row.install_code_runs_as
        if said not in RUNS_AS:
            from wizard.demo.model import DemoError

            raise DemoError(
                f"the content says {approach}'s install code runs as {said!r}, which the demo cannot map to an account",
                hint=f"use one of {', '.join(map(repr, RUNS_AS))} in content/approaches/{approach}.md",
                ref="demo-runs-as",
            )
        kind = RUNS_AS[said]
    return {"root": root, "pip-user": pip_user, "you": you}[kind]


def _who(runner: Runner, f: Facts, names: Callable[[int | None], str]) -> tuple[str, int]:
    """Which of owner, group, others the runner is for ``f``, and the three bits that class has."""
    if runner.uid == f.uid:
        return f"owner {names(f.uid)}", (f.mode >> 6) & 7
    if f.gid is not None and f.gid in runner.gids:
        return "its group", (f.mode >> 3) & 7
    return "others", f.mode & 7


def _rwx(bits: int) -> str:
    return "".join(ch if bits & b else "-" for b, ch in _BITS.items())


def allowed(runner: Runner, f: Facts, want: int, names: Callable[[int | None], str]) -> tuple[bool, str]:
    """Whether ``runner`` has the ``want`` bits (4 r, 2 w, 1 x) on ``f``, and the rule that decided it."""
    if want & 2 and f.read_only:
        return False, "read-only file system"
    if runner.uid == 0:
        return True, "root passes every permission check"
    who, bits = _who(runner, f, names)
    return bits & want == want, f"{who}: {_rwx(bits)} ({f.mode:04o})"


def predict(runner: Runner, place: Place, facts: Mapping[str, Facts], names: Callable[[int | None], str]) -> Cell:
    """What install-time code running as ``runner`` could do at ``place``, with the reason."""
    steps = chain(place.path)
    target = steps[-1]
    while not facts.get(target, Facts(False)).exists and target != "/":
        target = os.path.dirname(target)
    exists = target == steps[-1]
    for parent in steps[: steps.index(target)]:
        ok, rule = allowed(runner, facts[parent], 1, names)
        if not ok:
            return Cell(NO, f"cannot pass through {parent} ({rule})")
    f = facts[target]
    if f.denied:
        return Cell(YES if runner.uid == 0 else NO, f"{target} could not be looked at")
    if not exists:  # even to find out that it is missing, one must be able to search the folder it would be in
        ok, rule = allowed(runner, f, 1, names)
        if not ok:
            return Cell(NO, f"cannot look inside {target} ({rule})")
    if place.access == READ:
        if not exists:
            return Cell(ABSENT, "nothing there to read")
        ok, rule = allowed(runner, f, 5 if f.is_dir else 4, names)
        return Cell(YES if ok else NO, rule)
    ok, rule = allowed(runner, f, 3 if f.is_dir or not exists else 2, names)
    if not exists:
        rule = f"missing; creating it is a write in {target} ({rule})"
    return Cell(YES if ok else NO, rule)


def namer(new_account: str) -> Callable[[int | None], str]:
    """User names for uids (None: the account the approach creates)."""
    import pwd

    def name(uid: int | None) -> str:
        if uid is None:
            return new_account
        try:
            return pwd.getpwuid(uid).pw_name
        except KeyError:
            return str(uid)

    return name
