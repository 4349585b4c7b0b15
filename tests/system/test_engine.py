"""The engine, for real, in the sandbox: each approach from a fresh machine and from every other approach.

For each: the preview changes nothing; apply reaches the described state and its checks pass as alice would see
them; a second apply plans zero steps; undo restores the before-snapshot exactly; A → B → A returns to A's
snapshot; people's own edits to rc files and pip.conf survive undo.
"""

from __future__ import annotations

import itertools
import json

import pytest

from tests.harness.sandbox import Sandbox
from tests.system.engine import (
    APPROACH_FLAGS,
    PY,
    TARGET,
    WHEEL,
    apply,
    as_alice,
    prepare,
    same,
    snap,
    wiz,
)

pytestmark = pytest.mark.system
APPROACHES = ("sudo-pip", "pip-user", "own-site", "virtualenv")
VENV = "/home/alice/.venvs/default"


def owner(box: Sandbox, path: str) -> str:
    return box.run(["stat", "-c", "%U:%G %a", path]).stdout.strip()


def check_state(box: Sandbox, approach: str) -> None:
    """The machine is in the state ``approach`` describes."""
    if approach == "sudo-pip":
        assert owner(box, TARGET).startswith("root:root")
        assert "only-binary = :all:" in box.run(["cat", "/root/.config/pip/pip.conf"]).stdout
    elif approach == "pip-user":
        assert owner(box, TARGET).startswith("pipinstall:pipinstall")
        assert box.run(["getent", "passwd", "pipinstall"]).stdout.split(":")[6].strip() == "/usr/sbin/nologin"
        assert owner(box, "/etc/sudoers.d/pip-setup-wizard") == "root:root 440"
        assert owner(box, "/usr/local/bin/pipinstall-pip") == "root:root 755"
        assert as_alice(box, f"test -w {TARGET}").returncode == 1
    elif approach == "own-site":
        assert owner(box, TARGET).startswith("alice:alice")
        assert as_alice(box, f"test -w {TARGET}").returncode == 0
        assert owner(box, "/usr/local/bin") == "root:root 755", "never /usr/local/bin"
    else:
        assert owner(box, VENV).startswith("alice:alice")
        assert as_alice(box, f"{VENV}/bin/python -m pip --version").returncode == 0
        assert "pip-setup-wizard >>>" in box.run(["cat", "/home/alice/.bashrc"]).stdout
        assert owner(box, TARGET).startswith("root:root")
    if approach != "own-site":
        assert as_alice(box, f"test -w {TARGET}").returncode != 0, "alice must not own root's site-packages"


@pytest.mark.parametrize("approach", APPROACHES)
def test_fresh_machine(sandbox: Sandbox, approach: str) -> None:
    prepare(sandbox)
    before = snap(sandbox)
    preview = wiz(sandbox, "plan", approach, "--python", PY, *APPROACH_FLAGS[approach])
    assert "nothing has been changed yet" in preview.stdout
    same(before, snap(sandbox))
    apply(sandbox, approach)
    check_state(sandbox, approach)
    after = snap(sandbox)
    again = apply(sandbox, approach)
    assert "already set up" in again.stdout and "nothing to do" in again.stdout
    same(after, snap(sandbox))
    wiz(sandbox, "undo", "--yes")
    same(before, snap(sandbox))


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(APPROACHES, 2)))
def test_switching(sandbox: Sandbox, first: str, second: str) -> None:
    prepare(sandbox)
    before = snap(sandbox)
    apply(sandbox, first)
    at_first = snap(sandbox)
    switched = apply(sandbox, second)
    assert f"Switching from {first}" in switched.stdout
    check_state(sandbox, second)
    at_second = snap(sandbox)
    apply(sandbox, first)
    same(at_first, snap(sandbox))  # A -> B -> A
    wiz(sandbox, "undo", "--yes")
    same(at_second, snap(sandbox))
    wiz(sandbox, "undo", "--yes")
    same(at_first, snap(sandbox))
    wiz(sandbox, "undo", "--yes")
    same(before, snap(sandbox))
    assert "Nothing to undo" in wiz(sandbox, "undo", "--yes").stdout


def test_pip_user_installs_a_local_wheel_as_the_pip_user(sandbox: Sandbox) -> None:
    prepare(sandbox)
    sandbox.sh("echo 'alice:s3cret' | chpasswd")
    apply(sandbox, "pip-user")
    install = as_alice(
        sandbox,
        f"echo s3cret | sudo -S -u pipinstall -H -- {PY} -I -m pip install --no-index "
        f"--disable-pip-version-check {WHEEL}",
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert owner(sandbox, f"{TARGET}/pswdemo/__init__.py").startswith("pipinstall:pipinstall")
    assert as_alice(sandbox, f"touch {TARGET}/planted.py").returncode != 0, "alice cannot write there"
    assert sandbox.run([PY, "-c", "import pswdemo; print(pswdemo.VALUE)"]).stdout.strip() == "42"
    wrapper = as_alice(
        sandbox, "echo s3cret | sudo -S -u pipinstall -H -- /usr/bin/python3 -I -m pip list --disable-pip-version-check"
    )
    assert "pswdemo" in wrapper.stdout
    # The rule allows exactly this command: anything else as the pip user is refused.
    other = as_alice(sandbox, "echo s3cret | sudo -S -u pipinstall -- /bin/sh -c id")
    assert other.returncode != 0
    wiz(sandbox, "undo", "--yes")
    assert owner(sandbox, f"{TARGET}/pswdemo/__init__.py").startswith("root:root"), "new files go back to root"


def test_sudoers_drop_in(sandbox: Sandbox) -> None:
    prepare(sandbox)
    apply(sandbox, "pip-user")
    dropin = "/etc/sudoers.d/pip-setup-wizard"
    assert owner(sandbox, dropin) == "root:root 440"
    assert "." not in dropin.rsplit("/", 1)[1] and not dropin.endswith("~"), "a name sudo reads"
    assert sandbox.run(["visudo", "-cf", dropin]).returncode == 0
    listing = sandbox.run(["sudo", "-l", "-U", "alice"]).stdout
    rules = [
        line.strip() for line in listing.split("may run the following commands")[1].splitlines()[1:] if line.strip()
    ]
    assert rules == ["(pipinstall) /usr/bin/python3 -I -m pip *"]


def test_virtualenv_as_alice_sees_it(sandbox: Sandbox) -> None:
    prepare(sandbox)
    apply(sandbox, "virtualenv")
    inside = as_alice(sandbox, f"{VENV}/bin/python -m pip install --no-index --disable-pip-version-check {WHEEL}")
    assert inside.returncode == 0, inside.stderr
    assert owner(sandbox, VENV).startswith("alice:alice")
    outside = as_alice(sandbox, f"{PY} -m pip install --no-index --no-cache-dir {WHEEL}")
    assert outside.returncode != 0 and "Could not find an activated virtualenv" in outside.stderr
    path = as_alice(sandbox, "bash -ic 'echo $PATH' 2>/dev/null")
    assert path.stdout.startswith(f"{VENV}/bin:")
    nothing_root = sandbox.run(["find", "/home/alice", "-user", "root"]).stdout.strip()
    assert nothing_root == "", f"root-owned files in alice's home: {nothing_root}"


def test_peoples_edits_survive_undo(sandbox: Sandbox) -> None:
    prepare(sandbox)
    apply(sandbox, "virtualenv")
    as_alice(sandbox, "echo 'alias ll=\"ls -l\"' >> ~/.bashrc && printf 'timeout = 30\\n' >> ~/.config/pip/pip.conf")
    wiz(sandbox, "undo", "--yes")
    bashrc = sandbox.run(["cat", "/home/alice/.bashrc"]).stdout
    assert 'alias ll="ls -l"' in bashrc and "pip-setup-wizard" not in bashrc
    conf = sandbox.run(["cat", "/home/alice/.config/pip/pip.conf"]).stdout
    assert "timeout = 30" in conf and "require-virtualenv" not in conf


@pytest.mark.parametrize(
    ("shell", "rc", "line"),
    [
        ("/bin/bash", "/home/alice/.bashrc", f'. "{VENV}/bin/activate"'),
        ("/usr/bin/zsh", "/home/alice/.zshrc", f'. "{VENV}/bin/activate"'),
        ("/usr/bin/fish", "/home/alice/.config/fish/config.fish", f"source {VENV}/bin/activate.fish"),
    ],
)
def test_shell_blocks(sandbox: Sandbox, shell: str, rc: str, line: str) -> None:
    prepare(sandbox)
    sandbox.sh(f"sed -i 's|^alice:\\(.*\\):[^:]*$|alice:\\1:{shell}|' /etc/passwd")
    before = snap(sandbox)
    wiz(sandbox, "apply", "virtualenv", "--python", PY, "--shell-rc", "activate", "--yes")
    assert line in sandbox.run(["cat", rc]).stdout
    assert owner(sandbox, rc).startswith("alice:alice")
    wiz(sandbox, "undo", "--yes")
    same(before, snap(sandbox))


def test_hand_made_own_site_reverted_and_restored(sandbox: Sandbox) -> None:
    prepare(sandbox)
    sandbox.sh(f"chown -R alice:alice {TARGET}")
    before = snap(sandbox)
    result = apply(sandbox, "sudo-pip")
    assert "owner of" in result.stdout
    assert owner(sandbox, TARGET).startswith("root:root")
    wiz(sandbox, "undo", "--yes")
    same(before, snap(sandbox))


def test_plan_json_shows_every_detail(sandbox: Sandbox) -> None:
    prepare(sandbox)
    data = json.loads(wiz(sandbox, "plan", "pip-user", "--python", PY, "--json").stdout)
    kinds = [s["kind"] for s in data["steps"]]
    assert kinds[:2] == ["create-user", "chown-tree"] and "check" in kinds
    chown = next(s for s in data["steps"] if s["kind"] == "chown-tree")
    assert chown["needs_root"] and chown["command"].startswith("find ") and chown["undo"]
    effect = chown["effects"][0]
    assert effect["before"].startswith("root:root") and effect["after"].startswith("pipinstall:pipinstall")
    dropin = next(s for s in data["steps"] if s["kind"] == "write-file" and "sudoers" in s["path"])
    diff = dropin["effects"][-1]["diff"]
    assert diff.startswith("--- /dev/null") and "+alice ALL=(pipinstall) /usr/bin/python3 -I -m pip *" in diff
    assert data["fingerprints"][TARGET] != "missing"


def test_plan_for_people_lists_paths_and_every_path_with_all(sandbox: Sandbox) -> None:
    prepare(sandbox)
    sandbox.sh(f"for i in $(seq 1 12); do touch {TARGET}/mod$i.py; done")
    before = snap(sandbox)
    short = wiz(sandbox, "plan", "own-site", "--python", PY).stdout
    full = wiz(sandbox, "plan", "own-site", "--python", PY, "--all").stdout
    same(before, snap(sandbox))
    assert "[root]" in short and "nothing has been changed yet" in short
    assert "more entries" in short and "`plan --all` lists them" in short
    assert "more entries" not in full
    for i in range(1, 13):
        assert f"{TARGET}/mod{i}.py  root:root 0644 → alice:alice 0644" in full
    assert sum(f"{TARGET}/mod{i}.py " in short for i in range(1, 13)) < 12


def test_saved_plan_applies_exactly_and_refuses_when_stale(sandbox: Sandbox) -> None:
    prepare(sandbox)
    wiz(sandbox, "plan", "own-site", "--python", PY, "--out", "/root/own.json")
    sandbox.sh(f"touch {TARGET}/newer.py")  # the machine changes after the review
    before = snap(sandbox)
    stale = wiz(
        sandbox, "apply", "--plan", "/root/own.json", "--yes", "--accept-risk", "privilege escalation", ok=False
    )
    assert stale.returncode == 1 and "is stale" in stale.stderr and "Nothing was changed" in stale.stderr
    same(before, snap(sandbox))
    wiz(sandbox, "plan", "own-site", "--python", PY, "--out", "/root/own.json")
    wiz(sandbox, "apply", "--plan", "/root/own.json", "--yes", "--accept-risk", "privilege escalation")
    assert owner(sandbox, TARGET).startswith("alice:alice")


def test_status_shows_what_is_applied_and_drift(sandbox: Sandbox) -> None:
    prepare(sandbox)
    apply(sandbox, "pip-user")
    status = json.loads(wiz(sandbox, "status", "--json").stdout)
    [entry] = status["applied"]
    assert entry["approach"] == "pip-user" and entry["for"] == "alice" and entry["drift"] == []
    sandbox.sh("echo '# edited' >> /usr/local/bin/pipinstall-pip")
    drift = json.loads(wiz(sandbox, "status", "--json").stdout)["applied"][0]["drift"]
    assert drift == ["/usr/local/bin/pipinstall-pip was changed or removed"]
    human = wiz(sandbox, "status").stdout
    assert "In effect: pip-user" in human and "was changed or removed" in human


def test_a_normal_user_without_sudo_rights_gets_the_exact_command(sandbox: Sandbox) -> None:
    prepare(sandbox)
    before = snap(sandbox)
    result = wiz(sandbox, "apply", "sudo-pip", "--python", PY, "--only-binary", "--yes", user="alice", ok=False)
    assert result.returncode == 1
    assert "needs root" in result.stderr and "run: sudo " in result.stderr and "apply --plan FILE" in result.stderr
    assert "Traceback" not in result.stderr
    after = snap(sandbox)
    own_files = ("/home/alice/.cache",)  # the wizard's probe cache (its own file), written by detect as alice
    after["files"] = {k: v for k, v in after["files"].items() if not k.startswith(own_files)}
    before["files"] = {k: v for k, v in before["files"].items() if not k.startswith(own_files)}
    same(before, after)


def test_virtualenv_as_the_person_needs_no_root(sandbox: Sandbox) -> None:
    prepare(sandbox)
    result = wiz(sandbox, "apply", "virtualenv", "--python", PY, "--yes", user="alice")
    assert result.returncode == 0
    assert owner(sandbox, VENV).startswith("alice:alice")
    journal = sandbox.run(["sh", "-c", "ls /home/alice/.local/state/pip-setup-wizard/journal"]).stdout
    assert journal.strip().endswith("apply")
    wiz(sandbox, "undo", "--yes", user="alice")
    assert sandbox.run(["test", "-e", VENV]).returncode == 1


def test_root_refuses_to_run_a_wizard_others_can_change(sandbox: Sandbox) -> None:
    prepare(sandbox)
    app = sandbox.python_path_for_users()
    sandbox.sh(f"chown -R alice {app}")
    before = snap(sandbox)
    result = sandbox.run(
        [PY, "-m", "wizard", "apply", "sudo-pip", "--python", PY, "--only-binary", "--yes"],
        env={"PYTHONPATH": app, "SUDO_USER": "alice", "NO_COLOR": "1"},
    )
    assert result.returncode == 1 and "other accounts can modify" in result.stderr
    same(before, snap(sandbox))
