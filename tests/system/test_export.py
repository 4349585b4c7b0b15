"""The fleet export, for real, in the sandbox: the playbook with ansible-core (`-c local`) and the sh script.

For each approach, on a lived-in site-packages (a package pip installed as root, a group-writable folder, a link
pointing out of the tree, a hard-linked file, another file system mounted inside): `--check` changes nothing; a
real run ends at exactly the snapshot the wizard's own `apply` (same approach and options) reaches; a second run
changes nothing (Ansible's PLAY RECAP says changed=0, the script says so). Two fresh sandboxes per approach: one
for `apply` (then `undo`) and the sh script, one for Ansible. Left out of every comparison: the wizard's own
journal and probe cache (engine.snap), the exports and Ansible's own files (under WORK), and the test's wheel,
which is built afresh in each sandbox (zip timestamps).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.harness.sandbox import Result, Sandbox
from tests.system.engine import APPROACH_FLAGS, PY, TARGET, WHEEL, apply, as_alice, prepare, same, snap, wiz

pytestmark = pytest.mark.system
APPROACHES = ("sudo-pip", "pip-user", "own-site", "virtualenv")
WORK = "/tmp/psw-export"
ANSIBLE = Path(sys.executable).with_name("ansible-playbook")
ANSIBLE_ENV = {
    "HOME": f"{WORK}/home",
    "ANSIBLE_LOCAL_TEMP": f"{WORK}/local",
    # Modules run as root and as alice: a shared sticky folder instead of ~/.ansible/tmp in their homes.
    "ANSIBLE_REMOTE_TMP": f"{WORK}/remote",
    "ANSIBLE_NOCOLOR": "1",
    "ANSIBLE_RETRY_FILES_ENABLED": "0",
    "ANSIBLE_PYTHON_INTERPRETER": PY,
}


def furnish(box: Sandbox) -> None:
    """alice, uv, the wheel (engine.prepare), and a site-packages that has been used."""
    prepare(box)
    box.sh(
        f"{PY} -m pip install --quiet --no-index --no-deps --no-cache-dir --break-system-packages {WHEEL} && "
        f"chmod g+w {TARGET}/pswdemo && ln -s /etc/hostname {TARGET}/outside-link && "
        f"ln {TARGET}/pswdemo/__init__.py {TARGET}/hard-linked.py && "
        f"mkdir {TARGET}/mnt && mount -t tmpfs -o mode=0755 tmpfs {TARGET}/mnt && touch {TARGET}/mnt/inside"
    )
    work(box)


def work(box: Sandbox) -> None:
    """Where the exports and Ansible's own files go (left out of the comparisons)."""
    box.sh(f"mkdir -p {WORK}/home {WORK}/local && install -d -m 1777 {WORK}/remote")


def state(box: Sandbox) -> dict:
    data = snap(box)
    data["files"] = {k: v for k, v in data["files"].items() if not k.startswith((WORK, "/tmp/wheels"))}
    return data


def export(box: Sandbox, approach: str, fmt: str) -> str:
    out = f"{WORK}/{approach}.{'yml' if fmt == 'ansible' else 'sh'}"
    wiz(box, "export", approach, "--python", PY, *APPROACH_FLAGS[approach], "--format", fmt, "--out", out)
    return box.run(["cat", out]).stdout


def playbook(box: Sandbox, path: str, *extra: str) -> Result:
    result = box.run([str(ANSIBLE), "-c", "local", "-i", "localhost,", path, *extra], env=ANSIBLE_ENV, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return result


def recap(result: Result) -> dict[str, int]:
    """The PLAY RECAP's counts for localhost."""
    line = next(li for li in result.stdout.splitlines() if li.startswith("localhost") and "changed=" in li)
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}


def run_script(box: Sandbox, path: str, *extra: str, user: str | None = None) -> Result:
    result = box.run(["sh", path, *extra], user=user, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.skipif(not ANSIBLE.exists(), reason="ansible-core is not installed (pip install -e '.[test]')")
@pytest.mark.parametrize("approach", APPROACHES)
def test_exports_end_where_apply_does(sandbox: Sandbox, approach: str) -> None:
    furnish(sandbox)
    before = state(sandbox)
    playbook_text = export(sandbox, approach, "ansible")
    script = f"{WORK}/{approach}.sh"
    export(sandbox, approach, "shell")
    assert sandbox.run(["sh", "-n", script]).returncode == 0
    applied = apply(sandbox, approach)
    assert "Done" in applied.stdout
    after = state(sandbox)
    assert after != before
    wiz(sandbox, "undo", "--yes")
    same(before, state(sandbox))

    # The script: as root, except the virtualenv, which alice runs herself (it needs no root); its check mode runs
    # as root, so alice's steps go through runuser there.
    user = "alice" if approach == "virtualenv" else None
    sandbox.sh(f"chmod 0644 {script}")
    if user is None:
        wrong = as_alice(sandbox, f"sh {script}")
        assert wrong.returncode == 1 and "run it as root" in wrong.stderr, wrong.stdout + wrong.stderr
    checked = run_script(sandbox, script, "--check")
    assert "nothing was changed" in checked.stdout and "would" in checked.stdout
    same(before, state(sandbox))
    first = run_script(sandbox, script, user=user)
    assert "Done:" in first.stdout and "refusing" not in first.stderr
    same(after, state(sandbox))
    second = run_script(sandbox, script, user=user)
    assert "Nothing to change" in second.stdout, second.stdout
    same(after, state(sandbox))

    # The playbook, in a fresh sandbox: the same machine, so the same export.
    with Sandbox() as box:
        furnish(box)
        same(before, state(box))
        assert export(box, approach, "ansible") == playbook_text, "the export is deterministic"
        path = f"{WORK}/{approach}.yml"
        playbook(box, path, "--syntax-check")
        dry = playbook(box, path, "--check")
        assert recap(dry)["failed"] == 0
        same(before, state(box))
        real = playbook(box, path)
        assert recap(real)["changed"] > 0
        same(after, state(box))
        again = recap(playbook(box, path))
        assert again["changed"] == 0 and again["failed"] == 0, again
        same(after, state(box))


@pytest.mark.skipif(
    shutil.which("shellcheck") is None, reason="shellcheck is not installed (apt-get install shellcheck)"
)
def test_scripts_pass_shellcheck(sandbox: Sandbox) -> None:
    """Every approach's script, as exported from a real machine, passes shellcheck (as POSIX sh)."""
    prepare(sandbox)
    work(sandbox)
    for approach in APPROACHES:
        export(sandbox, approach, "shell")
    folder = sandbox.base / "scripts"
    folder.mkdir()
    for approach in APPROACHES:
        (folder / f"{approach}.sh").write_text(sandbox.run(["cat", f"{WORK}/{approach}.sh"]).stdout)
    import subprocess

    checked = subprocess.run(
        ["shellcheck", "--shell=sh", *sorted(str(p) for p in folder.iterdir())], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_guards_refuse_a_machine_that_differs_and_change_nothing(sandbox: Sandbox) -> None:
    """A group already called pipinstall, and site-packages turned into a link: both exports stop before any change."""
    prepare(sandbox)
    work(sandbox)
    script = f"{WORK}/pip-user.sh"
    export(sandbox, "pip-user", "shell")
    text = export(sandbox, "own-site", "shell")
    assert "psw_check_dir /usr/local/lib/python3.11/dist-packages" in text
    sandbox.sh("groupadd --system pipinstall")
    before = state(sandbox)
    refused = sandbox.run(["sh", script])
    assert refused.returncode == 1
    assert "there is a group called pipinstall but no such user" in refused.stderr and "fix:" in refused.stderr
    assert "[1/" not in refused.stdout, "no step started"
    same(before, state(sandbox))
    if ANSIBLE.exists():
        export(sandbox, "pip-user", "ansible")
        failed = sandbox.run(
            [str(ANSIBLE), "-c", "local", "-i", "localhost,", f"{WORK}/pip-user.yml"], env=ANSIBLE_ENV, timeout=600
        )
        assert failed.returncode != 0 and recap(failed)["changed"] == 0
        assert "there is a group called pipinstall but no such user" in failed.stdout
        same(before, state(sandbox))
    sandbox.sh(f"mv {TARGET} {TARGET}.real && ln -s dist-packages.real {TARGET}")
    moved = state(sandbox)
    linked = sandbox.run(["sh", f"{WORK}/own-site.sh"])
    assert linked.returncode == 1 and f"{TARGET} is a symbolic link" in linked.stderr, linked.stderr
    same(moved, state(sandbox))
