"""Provides what each kind of step does: capture the state it will touch, make the change, and put the captured
state back. The executor journals the capture before the change, so the put-back works after any failure,
Ctrl-C or crash, and the same put-back serves rollback, ``recover``, ``undo`` and switching approach.
"""

from __future__ import annotations

import json
import os

from wizard import plan as p
from wizard.errors import WizardError
from wizard.system import Account, System, Tree, removing_name
from wizard.textedit import block_body, get_key, remove_block, set_block, set_key, unset_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from wizard.journal import Journal


class StepError(WizardError):
    """A step could not be carried out (the apply is rolled back)."""

    def __init__(self, message: str, hint: str = "nothing was left changed: the apply was rolled back") -> None:
        super().__init__(message, hint=hint, ref="step-failed")


def sha(data: bytes | None) -> str | None:
    import hashlib  # here, not at the top: loading OpenSSL is not free and a preview rarely needs it

    return None if data is None else hashlib.sha256(data).hexdigest()


class Context:
    """What actions need: the system views, the person's account, the journal (None in a preview), and notes."""

    def __init__(self, system: System, human: Account | None, journal: Journal | None) -> None:
        self.system = system
        self.human = human
        self.journal = journal
        self.notes: list[str] = []

    def sys_for(self, step: p.Step) -> System:
        """The system view a step runs in: as the person for user-scoped steps (dropping root's privileges)."""
        if step.scope == p.USER and self.human is not None:
            return self.system.as_user(self.human)
        return self.system

    def ids(self, owner: str, group: str) -> tuple[int, int]:
        """uid and gid for names (accounts the plan creates earlier are known to the dry run too)."""
        acct = self.system.account(owner)
        if acct is None:
            raise StepError(f"there is no user called {owner!r}", hint="the plan expected it to exist; run plan again")
        if group == owner:
            return acct.uid, acct.gid
        import grp

        try:
            return acct.uid, grp.getgrnam(group).gr_gid
        except KeyError:
            raise StepError(f"there is no group called {group!r}") from None

    def save(self, name: str, data: bytes) -> str | None:
        """Keeps ``data`` in the journal's backups (no-op in a preview); returns the backup name."""
        if self.journal is None:
            return None
        return self.journal.backup(f"{name}-{os.urandom(4).hex()}", data)

    def load(self, journal: Journal | None, name: str | None) -> bytes | None:
        if name is None or journal is None:
            return None
        return journal.read_backup(name)


EDITS = (p.EnsureBlock, p.RemoveBlock, p.SetConfigKey, p.UnsetConfigKey)

# --- files ----------------------------------------------------------------------------------------------------


def temp_name(path: str) -> str:
    """A temporary name next to ``path``: hidden, and with a dot, so sudo never reads a half-written drop-in."""
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.pip-setup-wizard-{os.urandom(4).hex()}.tmp")


def capture_file(ctx: Context, sys: System, path: str) -> dict[str, Any]:
    st = sys.stat(path)
    prior: dict[str, Any] = {"path": path, "exists": st.exists, "type": st.type}
    if st.exists:
        if st.type != "file":
            raise StepError(f"{path} is a {st.type}, not a regular file", hint=f"move {path} out of the way first")
        data = sys.read(path)
        prior.update(uid=st.uid, gid=st.gid, mode=st.mode, sha=sha(data))
        prior["backup"] = ctx.save(os.path.basename(path), data or b"")
    prior["tmp"] = temp_name(path)
    return prior


def write(
    sys: System,
    path: str,
    data: bytes,
    mode: int,
    uid: int,
    gid: int,
    tmp: str | None = None,
    validate: Callable[[str], None] | None = None,
) -> None:
    """Atomic write: a temp file in the same directory (fsynced, explicit mode), checked, then renamed."""
    tmp = tmp or temp_name(path)
    sys.write_temp(tmp, data, mode, uid, gid)
    if validate is not None:
        try:
            validate(tmp)
        except BaseException:
            sys.unlink(tmp)
            raise
    sys.rename(tmp, path)


def restore_file(
    ctx: Context,
    sys: System,
    prior: dict[str, Any],
    journal: Journal | None,
    written: str | None = None,
    semantic: Callable[[bytes], bytes | None] | None = None,
) -> None:
    """Puts a file back as captured.

    If people changed it since the wizard wrote it (its hash is no longer ``written``) and ``semantic`` is given,
    ``semantic`` removes only the wizard's part and keeps their edits.
    """
    path = prior["path"]
    if sys.stat(prior["tmp"]).exists:
        sys.unlink(prior["tmp"])
    current = sys.read(path) if sys.stat(path).exists else None
    if semantic is not None and written is not None and current is not None and sha(current) != written:
        new = semantic(current)
        if new is None:
            sys.unlink(path)
        elif new != current:
            st = sys.stat(path)
            write(sys, path, new, st.mode, st.uid, st.gid, prior["tmp"])
        return
    if not prior["exists"]:
        if current is not None:
            sys.unlink(path)
        return
    old = ctx.load(journal, prior.get("backup"))
    if old is None:
        return  # a preview has no backups; nothing to compare
    st = sys.stat(path)
    if current != old or (st.uid, st.gid, st.mode) != (prior["uid"], prior["gid"], prior["mode"]):
        _make_parents(sys, path, prior["uid"], prior["gid"])
        # the temp name recorded at capture: a crash in the middle of this leaves a file the next recover removes
        write(sys, path, old, prior["mode"], prior["uid"], prior["gid"], prior["tmp"])


def _make_parents(sys: System, path: str, uid: int, gid: int) -> None:
    """Recreates directories a file lived in that have gone since (a home removed with its account)."""
    missing = []
    parent = os.path.dirname(path)
    while parent and parent != "/" and not sys.stat(parent).exists:
        missing.append(parent)
        parent = os.path.dirname(parent)
    for d in reversed(missing):
        sys.mkdir(d, 0o755 if uid == 0 else 0o700, uid, gid)  # as the wizard makes them (see _edit)


# --- trees ----------------------------------------------------------------------------------------------------


def _entries(tree: Tree) -> list[list[Any]]:
    return [[rel, st.uid, st.gid, st.mode, st.ino, st.type] for rel, st in tree.entries]


def capture_tree(ctx: Context, sys: System, path: str, recursive: bool = True) -> dict[str, Any]:
    if sys.readonly(path):
        raise StepError(f"{path} is on a read-only file system", hint="remount it read-write, or leave it alone")
    tree = sys.tree(path)
    if not recursive:
        tree.entries, tree.hard_links, tree.mounts = tree.entries[:1], [], []
    if not tree.entries:
        raise StepError(f"{path} does not exist")
    root = tree.entries[0][1]
    if root.type != "dir":
        raise StepError(f"{path} is a {root.type}, not a directory", hint="only real directories are changed")
    for rel, st in tree.entries:
        if st.type == "link" and not rel:
            raise StepError(f"{path} is a symbolic link")
    prior: dict[str, Any] = {
        "path": path,
        "recursive": recursive,
        "root_uid": root.uid,
        "root_gid": root.gid,
        "hard_links": tree.hard_links,
        "mounts": tree.mounts,
        "count": len(tree.entries),
    }
    prior["backup"] = ctx.save("tree", json.dumps(_entries(tree)).encode())
    prior["entries"] = _entries(tree) if ctx.journal is None else None
    for skipped in tree.hard_links:
        ctx.notes.append(f"left alone (more than one hard link): {skipped}")
    for skipped in tree.mounts:
        ctx.notes.append(f"left alone (another file system is mounted there): {skipped}")
    for link, target in _links_out(path, tree):
        ctx.notes.append(f"only the link itself changes; what it points to is left alone: {link} -> {target}")
    return prior


def _links_out(root: str, tree: Tree) -> list[tuple[str, str]]:
    """Symbolic links in the tree whose target lies outside it (never followed; listed so people see them)."""
    found = []
    for rel, st in tree.entries:
        if st.type != "link" or not rel or st.target is None:
            continue
        link = os.path.join(root, rel)
        resolved = os.path.normpath(os.path.join(os.path.dirname(link), st.target))
        if os.path.commonpath([resolved, os.path.normpath(root)]) != os.path.normpath(root):
            found.append((link, st.target))
    return found


def _captured_entries(ctx: Context, prior: dict[str, Any], journal: Journal | None) -> list[list[Any]]:
    if prior.get("entries") is not None:
        return list(prior["entries"])
    data = ctx.load(journal, prior.get("backup"))
    return json.loads(data) if data else []


def chown_refused(path: str) -> str | None:
    """Why the file system of ``path`` refuses ownership changes (NFS root_squash, some FUSE mounts), or None.

    It changes the owner to the same owner again, which changes nothing. Only root can ask; tests can inject the
    refusal with ``PIP_SETUP_WIZARD_CHOWN_PROBE=EPERM`` (with ``PIP_SETUP_WIZARD_TESTING=1``).
    """
    if os.environ.get("PIP_SETUP_WIZARD_TESTING") == "1" and os.environ.get("PIP_SETUP_WIZARD_CHOWN_PROBE"):
        import errno as errnos

        code = getattr(errnos, os.environ["PIP_SETUP_WIZARD_CHOWN_PROBE"], errnos.EPERM)
        return f"{os.strerror(code)} (injected)"
    if os.geteuid() != 0:
        return None
    try:
        st = os.lstat(path)
        os.chown(path, st.st_uid, st.st_gid, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def chown_tree(ctx: Context, sys: System, step: p.ChownTree, prior: dict[str, Any]) -> None:
    uid, gid = ctx.ids(step.owner, step.group)
    order = _captured_entries(ctx, prior, None if prior.get("entries") is not None else ctx.journal)
    # Hand a tree to someone deepest-first, so they only gain a directory once its contents are done; take it
    # back from someone top-down, so each directory is out of their hands before we look inside it.
    if uid != 0:
        order = list(reversed(order))
    for rel, e_uid, e_gid, *_rest in order:
        if (e_uid, e_gid) != (uid, gid):
            sys.lchown(step.path, rel, uid, gid)


def restrict_tree(ctx: Context, sys: System, step: p.RestrictTree, prior: dict[str, Any]) -> None:
    for rel, _uid, _gid, mode, _ino, kind in _captured_entries(
        ctx, prior, ctx.journal if prior.get("entries") is None else None
    ):
        if kind != "link" and mode & 0o022:
            sys.chmod(step.path, rel, mode & ~0o022)


def restore_tree(ctx: Context, sys: System, prior: dict[str, Any], journal: Journal | None) -> None:
    """Every entry back to its captured owner and mode; entries that appeared since follow the tree's old owner."""
    path = prior["path"]
    captured = {e[0]: e for e in _captured_entries(ctx, prior, journal)}
    if not sys.stat(path).exists:
        return
    now = sys.tree(path)
    if not prior.get("recursive", True):
        now.entries = now.entries[:1]
    root_uid, root_gid = prior["root_uid"], prior["root_gid"]
    entries = now.entries if root_uid == 0 else list(reversed(now.entries))
    for rel, st in entries:
        old = captured.get(rel)
        if old is not None and old[4] == st.ino:
            uid, gid, mode = old[1], old[2], old[3]
        else:
            uid, gid, mode = root_uid, root_gid, None
        if (st.uid, st.gid) != (uid, gid):
            sys.lchown(path, rel, uid, gid)
        if mode is not None and st.type != "link" and st.mode != mode:
            sys.chmod(path, rel, mode)


# --- accounts -------------------------------------------------------------------------------------------------


def capture_account(sys: System, name: str) -> dict[str, Any]:
    acct = sys.account(name)
    if acct is None:
        # Whether a group of that name is there already: putting the account back (restore_account) makes its
        # group first, and taking it away again after a crash between the two must not leave that group behind.
        return {"name": name, "exists": False, "group_exists": sys.dry_run or _group_gid(name) is not None}
    comment = ""
    group = name
    if not sys.dry_run:
        import grp
        import pwd

        try:
            comment = pwd.getpwnam(name).pw_gecos
            group = grp.getgrgid(acct.gid).gr_name
        except KeyError:
            pass
    return {
        "name": name,
        "exists": True,
        "uid": acct.uid,
        "gid": acct.gid,
        "group": group,
        "home": acct.home,
        "shell": acct.shell,
        "comment": comment,
    }


def _run(sys: System, argv: list[str], what: str) -> None:
    result = sys.run(argv)
    if not result.ok:
        detail = (result.stderr or result.stdout or result.start_error or "").strip().splitlines()
        raise StepError(f"{what} failed: {' '.join(argv)}" + (f": {detail[-1]}" if detail else ""))


def create_user(sys: System, step: p.CreateUser) -> None:
    _run(sys, step.argv(), "creating the pip user")
    if sys.dry_run:
        sys.add_account(step.name, step.home, "/usr/sbin/nologin")  # type: ignore[attr-defined]


def delete_user(sys: System, name: str) -> None:
    if sys.account(name) is None:
        return
    _run(sys, ["userdel", "--remove", "--", name], f"deleting the user {name}")
    if sys.dry_run:
        sys.drop_account(name)  # type: ignore[attr-defined]


def _group_gid(name: str) -> int | None:
    import grp

    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None


def _group_in_use(name: str, gid: int) -> bool:
    import grp
    import pwd

    return bool(grp.getgrnam(name).gr_mem) or any(entry.pw_gid == gid for entry in pwd.getpwall())


def restore_account(sys: System, prior: dict[str, Any]) -> None:
    """The account back as captured: deleted if it did not exist, recreated (same ids) if it did."""
    if not prior["exists"]:
        delete_user(sys, prior["name"])
        if not prior.get("group_exists", True) and not sys.dry_run:
            gid = _group_gid(prior["name"])
            # only a group nobody uses: no member, no account's primary group (userdel took the user's own)
            if gid is not None and not _group_in_use(prior["name"], gid):
                _run(sys, ["groupdel", "--", prior["name"]], f"removing the group {prior['name']}")
        return
    if sys.account(prior["name"]) is not None:
        return
    import grp

    try:
        grp.getgrgid(prior["gid"])
    except KeyError:
        _run(sys, ["groupadd", "--system", "--gid", str(prior["gid"]), "--", prior["group"]], "recreating a group")
    _run(
        sys,
        [
            "useradd",
            "--system",
            "--uid",
            str(prior["uid"]),
            "--gid",
            str(prior["gid"]),
            "--shell",
            prior["shell"],
            "--home-dir",
            prior["home"],
            "--create-home",
            "--comment",
            prior["comment"],
            "--",
            prior["name"],
        ],
        f"recreating the user {prior['name']}",
    )
    if sys.dry_run:
        sys.add_account(prior["name"], prior["home"], prior["shell"])  # type: ignore[attr-defined]


# --- the dispatcher ---------------------------------------------------------------------------------------------


def capture(ctx: Context, step: p.Step) -> dict[str, Any]:
    """Records what ``step`` is about to change (journaled before the change)."""
    sys = ctx.sys_for(step)
    if isinstance(step, p.EnsureDirs):
        missing = []
        path = step.path
        while path and path != "/" and not sys.stat(path).exists:
            missing.append(path)
            path = os.path.dirname(path)
        return {"missing": list(reversed(missing))}
    if isinstance(step, (p.CreateUser, p.DeleteUser)):
        return capture_account(sys, step.name)
    if isinstance(step, (p.ChownTree, p.RestrictTree)):
        return capture_tree(ctx, sys, step.path, step.recursive)
    if isinstance(step, (p.WriteFile, p.RemoveFile, p.EnsureBlock, p.RemoveBlock, p.SetConfigKey, p.UnsetConfigKey)):
        prior = capture_file(ctx, sys, step.path)
        missing = []
        parent = os.path.dirname(step.path)
        while parent and parent != "/" and not sys.stat(parent).exists:
            missing.append(parent)
            parent = os.path.dirname(parent)
        prior["made_dirs"] = list(reversed(missing))  # journaled before any of them is made
        if isinstance(step, p.RemoveBlock) and prior["exists"]:
            prior["block_text"] = (sys.read(step.path) or b"").decode("utf-8", "replace")
        if isinstance(step, p.EnsureBlock):
            data = sys.read(step.path) if prior["exists"] else b""
            text = (data or b"").decode("utf-8", "replace")
            prior["added_newline"] = bool(text) and not text.endswith("\n") and not block_body(text)
        if isinstance(step, p.SetConfigKey):
            text = (sys.read(step.path) or b"").decode("utf-8", "replace") if prior["exists"] else ""
            prior["previous"] = get_key(text, step.section, step.key)
            prior["created_section"] = f"[{step.section}]" not in text
        return prior
    if isinstance(step, p.CreateVenv):
        missing = []
        parent = os.path.dirname(step.path)
        while parent and parent != "/" and not sys.stat(parent).exists:
            missing.append(parent)
            parent = os.path.dirname(parent)
        return {"path": step.path, "exists": sys.stat(step.path).exists, "made_dirs": list(reversed(missing))}
    if isinstance(step, p.Revert):
        return capture(ctx, step.original())
    return {}


def perform(ctx: Context, step: p.Step, prior: dict[str, Any], history: Journal | None = None) -> dict[str, Any]:
    """Makes the change; returns what the journal should remember about the result (e.g. a written hash)."""
    sys = ctx.sys_for(step)
    if isinstance(step, p.EnsureDirs):
        uid, gid = ctx.ids(step.owner, step.group)
        for path in prior["missing"]:
            sys.mkdir(path, step.mode, uid, gid)
        return {}
    if isinstance(step, p.CreateUser):
        if sys.account(step.name) is not None:
            raise StepError(f"the user {step.name} appeared while the plan ran", hint="run plan again")
        create_user(sys, step)
        acct = sys.account(step.name)
        return {"uid": acct.uid if acct else None}
    if isinstance(step, p.DeleteUser):
        delete_user(sys, step.name)
        return {}
    if isinstance(step, p.ChownTree):
        chown_tree(ctx, sys, step, prior)
        return {}
    if isinstance(step, p.RestrictTree):
        restrict_tree(ctx, sys, step, prior)
        return {}
    if isinstance(step, p.WriteFile):
        uid, gid = ctx.ids(step.owner, step.group) if step.scope == p.ROOT else (-1, -1)
        data = step.content.encode()
        validate = None
        if step.validate == "visudo":

            def validate(tmp: str) -> None:
                result = sys.check(["visudo", "-cf", tmp])
                if not result.ok:
                    raise StepError(f"visudo rejected the sudoers drop-in: {(result.stdout + result.stderr).strip()}")

        write(sys, step.path, data, step.mode, uid, gid, prior["tmp"], validate)
        return {"written": sha(data)}
    if isinstance(step, p.RemoveFile):
        if sys.stat(step.path).exists:
            sys.unlink(step.path)
        return {}
    if isinstance(step, (p.EnsureBlock, p.RemoveBlock, p.SetConfigKey, p.UnsetConfigKey)):
        return _edit(ctx, sys, step, prior)
    if isinstance(step, p.CreateVenv):
        for d in prior.get("made_dirs", []):
            if not sys.stat(d).exists:
                sys.mkdir(d, 0o755, -1, -1)
        _make_venv(sys, step)
        return {}
    if isinstance(step, p.Revert):
        from wizard.journal import Journal

        if history is None:
            raise StepError(f"cannot revert: the journal {step.journal} is not available")
        record = history.steps()[step.index]
        result: dict[str, Any] = next(
            (r.get("result", {}) for r in history.records if r["t"] == "done" and r["i"] == step.index), {}
        )
        original = dict(record["prior"])
        if "tmp" in prior:
            # write through this step's own temp name: it is the one this run's journal knows, so a crash in the
            # middle leaves a file that `recover` removes
            original["tmp"] = prior["tmp"]
        restore(ctx, step.original(), original, result, history if isinstance(history, Journal) else None)
        if isinstance(_innermost(step)[0], EDITS) and "path" in prior:
            # what the file holds now, so that undoing this revert can tell edits people make later apart
            path = prior["path"]
            return {"written": sha(sys.read(path) or b"")} if sys.stat(path).exists else {"written": None}
        return {}
    if isinstance(step, p.Check):
        checked = sys.check(list(step.argv))
        output = (checked.stdout + checked.stderr).strip()
        ok = step.expect_rc is None or checked.returncode == step.expect_rc
        if step.expect_in is not None:
            ok = ok and ((step.expect_in in output) != step.expect_absent)
        if not (ok or sys.dry_run):
            raise StepError(
                f"check failed: {step.title}: `{step.command()}` said: {output[-400:] or checked.returncode}"
            )
        return {}
    raise StepError(f"unknown step {step.kind}")


def _venv_complete(sys: System, step: p.CreateVenv) -> bool:
    """Whether every command that makes the venv ran: its interpreter, pyvenv.cfg, and pip when it gets one."""
    needed = ["pyvenv.cfg", "bin/python"]
    if not step.uv or step.seed or any("--seed" in argv for argv in step.commands()):
        needed.append("bin/pip")
    return all(sys.stat(os.path.join(step.path, name)).exists for name in needed)


def _make_venv(sys: System, step: p.CreateVenv) -> None:
    try:
        for argv in step.commands():
            _run(sys, argv, f"creating the virtualenv {step.path}")
    finally:
        if step.uv and sys.stat(step.scratch).exists:
            sys.rmtree(step.scratch)
    if sys.dry_run:
        sys.assume(step.path)  # type: ignore[attr-defined]
        for name in ("pyvenv.cfg", "bin/python", "bin/pip"):
            sys.assume(os.path.join(step.path, name), "file")  # type: ignore[attr-defined]


def _edit(ctx: Context, sys: System, step: p.Step, prior: dict[str, Any]) -> dict[str, Any]:
    text = (sys.read(prior["path"]) or b"").decode("utf-8", "replace") if prior["exists"] else ""
    if isinstance(step, p.EnsureBlock):
        new = set_block(text, list(step.lines))
    elif isinstance(step, p.RemoveBlock):
        new = remove_block(text)
    elif isinstance(step, p.SetConfigKey):
        new = set_key(text, step.section, step.key, step.value)
    else:
        assert isinstance(step, p.UnsetConfigKey)
        new = unset_key(text, step.section, step.key, step.value)
    data = new.encode()
    if new != text or not prior["exists"]:
        mode = prior.get("mode", 0o644)
        if step.scope == p.ROOT:
            owner = getattr(step, "owner", "root")
            uid, gid = ctx.ids(owner, getattr(step, "group", owner))
            uid, gid = prior.get("uid", uid), prior.get("gid", gid)
        else:
            uid, gid = -1, -1
        for d in prior.get("made_dirs", []):
            if not sys.stat(d).exists:
                sys.mkdir(d, 0o755 if step.scope == p.ROOT else 0o700, uid, gid)
        write(sys, prior["path"], data, mode, uid, gid, prior["tmp"])
    return {"written": sha(data)}


def _innermost(step: p.Revert) -> tuple[p.Step, int]:
    """The step a chain of reverts ends at, and how many reverts wrap it (an undo of a switch reverts reverts)."""
    inner: p.Step = step.original()
    depth = 1
    while isinstance(inner, p.Revert):
        inner, depth = inner.original(), depth + 1
    return inner, depth


def _remove_made_dirs(sys: System, prior: dict[str, Any]) -> None:
    """Removes, deepest first, the directories a step recorded as missing before it ran, each only while it is
    still an empty directory (anything people put in one keeps it)."""
    for d in reversed(prior.get("made_dirs", [])):
        st = sys.stat(d)
        if st.exists and st.type == "dir" and len(sys.tree(d).entries) == 1:
            sys.rmdir(d)


def restore(ctx: Context, step: p.Step, prior: dict[str, Any], result: dict[str, Any], journal: Journal | None) -> None:
    """Puts back what ``step`` changed, as ``prior`` (journaled before the change) recorded it."""
    sys = ctx.sys_for(step)
    if isinstance(step, p.EnsureDirs):
        for path in reversed(prior.get("missing", [])):
            st = sys.stat(path)
            if st.exists and st.type == "dir" and len(sys.tree(path).entries) == 1:
                sys.rmdir(path)
        return
    if isinstance(step, (p.CreateUser, p.DeleteUser)):
        restore_account(sys, prior)
        return
    if isinstance(step, (p.ChownTree, p.RestrictTree)):
        restore_tree(ctx, sys, prior, journal)
        return
    if isinstance(step, (p.WriteFile, p.RemoveFile)):
        restore_file(ctx, sys, prior, journal)
        return
    if isinstance(step, (p.EnsureBlock, p.RemoveBlock, p.SetConfigKey, p.UnsetConfigKey)):
        restore_file(ctx, sys, prior, journal, result.get("written"), _semantic(step, prior))
        _remove_made_dirs(sys, prior)
        return
    if isinstance(step, p.CreateVenv):
        for leftover in (removing_name(step.path), step.scratch):
            if sys.stat(leftover).exists:
                sys.rmtree(leftover)  # a removal or a uv run a crash interrupted: finish it
        if prior["exists"] and sys.stat(step.path).exists and not _venv_complete(sys, step):
            sys.rmtree(step.path)  # a re-creation a crash interrupted: start it again
        if prior["exists"] and not sys.stat(step.path).exists:
            # Undoing a switch that removed the venv: a fresh one takes its place (its old packages are gone).
            _make_venv(sys, step)
            return
        if not prior["exists"] and sys.stat(step.path).exists:
            sys.rmtree(step.path)
        _remove_made_dirs(sys, prior)
        return
    if isinstance(step, p.Revert):
        inner, depth = _innermost(step)
        if isinstance(inner, EDITS) and "path" in prior:
            written = result.get("written")
            if "written" in result and written is None and sys.stat(prior["path"]).exists:
                written = ""  # this step left no file and people made a new one since: edit theirs
            if depth % 2:
                # Undoing a revert of an edit: the file as it was before the revert, or, if people changed it
                # since, the wizard's edit made again with their changes kept.
                restore_file(ctx, sys, prior, journal, written, _redo(inner))
            else:
                # Undoing an undone revert (a recover after an undo of a switch was killed): the edit is taken
                # out again, as for the edit itself, keeping what people changed since.
                restore_file(ctx, sys, prior, journal, written, _semantic(inner, prior))
            # The folders the file's path needed when this step began and that the step made (a revert undone
            # inside an undo that a crash interrupted puts them back; rolling that back takes them away again).
            _remove_made_dirs(sys, prior)
            return
        restore(ctx, inner, prior, result, journal)
        return


def _redo(step: p.Step) -> Callable[[bytes], bytes | None]:
    """How to make an edit again in a file people changed since it was reverted."""

    def redo(current: bytes) -> bytes | None:
        text = current.decode("utf-8", "replace")
        if isinstance(step, p.EnsureBlock):
            return set_block(text, list(step.lines)).encode()
        if isinstance(step, p.RemoveBlock):
            return remove_block(text).encode()
        if isinstance(step, p.SetConfigKey):
            return set_key(text, step.section, step.key, step.value).encode()
        assert isinstance(step, p.UnsetConfigKey)
        return unset_key(text, step.section, step.key, step.value).encode()

    return redo


def _semantic(step: p.Step, prior: dict[str, Any]) -> Callable[[bytes], bytes | None]:
    """How to take only the wizard's part out of a file people edited since."""

    def undo(current: bytes) -> bytes | None:
        text = current.decode("utf-8", "replace")
        if isinstance(step, p.EnsureBlock):
            new = remove_block(text, prior.get("added_newline", False))
        elif isinstance(step, p.RemoveBlock):
            body = block_body(ctx_backup_text(prior) or "") or []
            new = set_block(text, body) if body else text
        elif isinstance(step, p.SetConfigKey):
            new = unset_key(
                text, step.section, step.key, step.value, prior.get("previous"), prior.get("created_section", False)
            )
        else:
            assert isinstance(step, p.UnsetConfigKey)
            new = set_key(text, step.section, step.key, step.value)
        if not prior["exists"] and not new.strip():
            return None
        return new.encode()

    return undo


def ctx_backup_text(prior: dict[str, Any]) -> str | None:
    """The block body a RemoveBlock step removed (kept in its prior record)."""
    return prior.get("block_text")
