"""Every row of BAD_INPUTS.md, table-driven, in the sandbox: a clear error naming the input and a fix, a non-zero
exit, and a before/after snapshot that is identical (the journal directory included)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import diff_snapshots
from tests.harness.sandbox import Sandbox
from tests.system.engine import PY, TARGET, prepare, wiz

pytestmark = pytest.mark.system
VENV = "/home/alice/.venvs/default"


def full_snapshot(box: Sandbox) -> dict:
    """Everything, the wizard's journal directory included (only its probe cache is left out)."""
    data = box.snapshot()
    data["files"] = {
        k: v
        for k, v in data["files"].items()
        if not k.startswith(("/root/.cache", "/home/alice/.cache")) and "/__pycache__" not in k
    }
    return data


@dataclass(frozen=True)
class Case:
    row: str
    args: tuple[str, ...]
    expect: str
    setup: str = ""
    env: tuple[tuple[str, str], ...] = ()
    user: str | None = None
    code: int = 1


def user(name: str, expect: str, row: str, **kw: object) -> Case:
    return Case(row, ("apply", "pip-user", "--python", PY, f"--user={name}", "--yes"), expect, **kw)  # type: ignore[arg-type]


def target(path: str, expect: str, row: str, **kw: object) -> Case:
    return Case(
        row,
        ("apply", "own-site", "--python", PY, f"--target={path}", "--yes", "--accept-risk", "privilege escalation"),
        expect,
        **kw,
    )  # type: ignore[arg-type]


def venv(path: str, expect: str, row: str, **kw: object) -> Case:
    return Case(row, ("apply", "virtualenv", "--python", PY, f"--venv={path}", "--yes"), expect, **kw)  # type: ignore[arg-type]


HOME_LEFT = (
    "rm -rf /var/lib/pipinstall && install -d -o 999 -g 995 -m 0750 /var/lib/pipinstall && touch /var/lib/pipinstall/x"
)
CASES = [
    user("root", "the pip user cannot be root", "1"),
    user(
        "toor", "has uid 0, so it is root under another name", "1", setup="useradd -o -u 0 -M -s /usr/sbin/nologin toor"
    ),
    user("alice", "is a person's account", "2"),
    # a home left behind by an old account (or someone's folder) is not adopted, nor deleted by a later undo
    user("pipinstall", "/var/lib/pipinstall already exists, but there is no account", "2", setup=HOME_LEFT),
    user("-rf", "'-rf' is not allowed", "3"),
    user("--help", "'--help' is not allowed", "3"),
    user("-u0", "'-u0' is not allowed", "3"),
    user("p" * 32, "is 32 characters long; the limit is 31", "4"),
    user("0day", "'0day' is not allowed", "5"),
    user("1000", "'1000' is not allowed", "5"),
    *(
        user(n, "is not allowed", "6")
        for n in ("Pipinstall", "pîp", "pip user", "pip:user", "pip.user", "pip/user", "pip$user")
    ),
    user("pip\nuser", "newline", "6"),
    user("", "the pip user name is empty", "7"),
    user("daemon", "already exists and was not created by pip-setup-wizard", "2"),
    target("/", "/ is not a site-packages directory", "8"),
    *(
        target(p, f"{p} is not a site-packages directory", "9")
        for p in ("/usr", "/etc", "/usr/local", "/usr/local/bin", "/opt", "/home", "/home/alice")
    ),
    target("/usr/lib/python3/dist-packages", "the distribution's package manager owns", "10"),
    target("/usr/lib/python3.11", "is the standard library", "10"),
    *(target(p, "is relative", "11") for p in ("site-packages", "./x", "../x")),
    target("/usr/local/lib/../lib/python3.11/dist-packages", "contains '..'", "11"),
    target(f"{TARGET}\n", "newline", "12"),
    Case(
        "13",
        ("apply", "own-site", "--python", PY, "--yes", "--accept-risk", "privilege escalation"),
        "is (or lies under) a symbolic link: its real path is /usr/local/lib/python3.11/real-dp",
        setup=f"mv {TARGET} /usr/local/lib/python3.11/real-dp && ln -s real-dp {TARGET}",
    ),
    Case(
        "16",
        ("apply", "own-site", "--python", PY, "--yes", "--accept-risk", "privilege escalation"),
        "is on a read-only file system",
        setup=f"mount --bind {TARGET} {TARGET} && mount -o remount,bind,ro {TARGET}",
    ),
    Case(
        "17",
        ("apply", "pip-user", "--python", PY, "--yes"),
        "refuses to change owners",
        env=(("PIP_SETUP_WIZARD_TESTING", "1"), ("PIP_SETUP_WIZARD_CHOWN_PROBE", "EPERM")),
    ),
    venv(
        "/home/alice/stuff",
        "is not empty and is not a virtualenv",
        "18",
        setup="mkdir /home/alice/stuff && touch /home/alice/stuff/notes && chown -R alice: /home/alice/stuff",
    ),
    venv(
        "/home/alice/other",
        "already a virtualenv of another interpreter",
        "19",
        setup="mkdir /home/alice/other && printf 'home = /opt/python3.12/bin\\n' > /home/alice/other/pyvenv.cfg "
        "&& chown -R alice: /home/alice/other",
    ),
    venv(
        "/home/alice/outer/inner",
        "is inside the virtualenv /home/alice/outer",
        "20",
        setup="mkdir -p /home/alice/outer && touch /home/alice/outer/pyvenv.cfg && chown -R alice: /home/alice/outer",
    ),
    venv(f"{TARGET}/venv", "a site-packages directory", "20"),
    venv("/tmp/venv", "which every user can write", "20"),
    venv("relative/venv", "is relative", "11"),
    Case("24", ("apply", "virtualenv", "--python", PY), "not asking without a terminal", env=(("CI", "true"),), code=2),
    Case("25", ("apply", "sudo-pip", "--python", PY, "--only-binary", "--yes"), "needs root", user="alice"),
    Case("usage", ("apply", "--python", PY, "--yes"), "which approach?", code=2),
    Case("usage", ("apply", "virtualenv", "--shell-rc", "tcsh"), "invalid choice", code=2),
    Case(
        "usage",
        ("plan", "virtualenv", "--python", "/nonexistent/python3"),
        "/nonexistent/python3 cannot be set up: no such file",
    ),
]


@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: f"row{c.row}-{c.args[1] if len(c.args) > 1 else ''}-{c.expect[:24]}"
)
def test_refused_with_nothing_changed(sandbox: Sandbox, case: Case) -> None:
    prepare(sandbox, uv=False)
    if case.setup:
        sandbox.sh(case.setup)
    before = full_snapshot(sandbox)
    result = wiz(sandbox, *case.args, ok=False, env=dict(case.env), user=case.user)
    assert result.returncode == case.code, (result.stdout, result.stderr)
    assert case.expect in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    if case.row != "usage":
        assert "hint:" in result.stderr or "run:" in result.stderr, "every refusal says how to fix it"
    assert diff_snapshots(before, full_snapshot(sandbox)) == []


def test_plan_works_without_a_terminal(sandbox: Sandbox) -> None:
    prepare(sandbox, uv=False)
    result = wiz(sandbox, "plan", "virtualenv", "--python", PY, env={"CI": "true"})
    assert result.returncode == 0 and "nothing has been changed yet" in result.stdout


def test_sudo_missing_refuses_that_approach_only(sandbox: Sandbox) -> None:
    prepare(sandbox)
    upper, work = sandbox.base / "bin-upper", sandbox.base / "bin-work"
    upper.mkdir()
    work.mkdir()
    sandbox.ns(
        ["mount", "-t", "overlay", "overlay", "-o", f"lowerdir=/usr/bin,upperdir={upper},workdir={work}", "/usr/bin"]
    )
    sandbox.sh("rm /usr/bin/sudo")
    before = full_snapshot(sandbox)
    refused = wiz(sandbox, "apply", "sudo-pip", "--python", PY, "--yes", user="alice", ok=False)
    assert refused.returncode == 1 and "sudo-pip needs root, and sudo is not installed" in refused.stderr
    assert diff_snapshots(before, full_snapshot(sandbox)) == []
    fine = wiz(sandbox, "apply", "virtualenv", "--python", PY, "--yes", user="alice")
    assert fine.returncode == 0


@pytest.mark.parametrize("mask", ["077", "027"])
def test_modes_do_not_depend_on_the_umask(sandbox: Sandbox, mask: str) -> None:
    prepare(sandbox)
    import sys

    script = (
        f"umask {mask} && {sys.executable} -m wizard apply pip-user --python {PY} --only-binary "
        "--break-system-packages --yes"
    )
    result = sandbox.run(["sh", "-c", script], env={"SUDO_USER": "alice", "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    modes = sandbox.run(
        [
            "stat",
            "-c",
            "%a %U %n",
            "/usr/local/bin/pipinstall-pip",
            "/etc/sudoers.d/pip-setup-wizard",
            "/var/lib/pipinstall/.config",
            "/var/lib/pipinstall/.config/pip",
            "/var/lib/pipinstall/.config/pip/pip.conf",
        ]
    ).stdout.split("\n")
    assert modes[:5] == [
        "755 root /usr/local/bin/pipinstall-pip",
        "440 root /etc/sudoers.d/pip-setup-wizard",
        "755 root /var/lib/pipinstall/.config",
        "755 root /var/lib/pipinstall/.config/pip",
        "644 root /var/lib/pipinstall/.config/pip/pip.conf",
    ]
    # readable by the pip user it is meant for
    assert sandbox.run(["cat", "/var/lib/pipinstall/.config/pip/pip.conf"], user="pipinstall").returncode == 0


def test_a_journal_edited_by_hand_is_refused(sandbox: Sandbox) -> None:
    prepare(sandbox)
    wiz(sandbox, "apply", "own-site", "--python", PY, "--yes", "--accept-risk", "privilege escalation")
    sandbox.sh(
        "f=$(ls -d /var/lib/pip-setup-wizard/journal/*-apply)/log.jsonl && "
        'sed -i \'s/"owner":"alice"/"owner":"mallory"/\' $f'
    )
    before = full_snapshot(sandbox)
    for args in (("status",), ("undo", "--yes"), ("apply", "virtualenv", "--python", PY, "--yes")):
        result = wiz(sandbox, *args, ok=False)
        assert result.returncode == 1 and "refusing to act on the journal" in result.stderr, args
        assert "was changed after it was written" in result.stderr and "inspect it with: cat" in result.stderr
    assert diff_snapshots(before, full_snapshot(sandbox)) == []


def test_a_journal_with_the_wrong_mode_is_refused(sandbox: Sandbox) -> None:
    prepare(sandbox)
    wiz(sandbox, "apply", "own-site", "--python", PY, "--yes", "--accept-risk", "privilege escalation")
    sandbox.sh("chmod 0644 $(ls -d /var/lib/pip-setup-wizard/journal/*-apply)/log.jsonl")
    result = wiz(sandbox, "undo", "--yes", ok=False)
    assert result.returncode == 1 and "mode 0644" in result.stderr and "ls -la" in result.stderr
