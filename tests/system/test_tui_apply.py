"""The full-screen app applying for real, in the sandbox, for each approach.

Pilot runs the app in-process, so a driver (tests/tui/drive_apply.py) runs ``WizardApp`` inside the sandbox as
`sudo pip-setup-wizard` by alice (root, SUDO_USER=alice): as root the app applies in its own worker, no sudo in
between. It walks Welcome → Your machine → approaches → Which fits you → Customize → Preview → Proceed (the
confirmation; own-site refuses until the risk is typed) → Apply → Done with keys and clicks, and a second run
undoes it from the undo the Welcome step offers. Then:

- the machine is in the state the approach describes, and back in the starting snapshot after the app's undo;
- the command line's `apply` with the same options, from that restored start, gives the app's snapshot exactly.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.harness.sandbox import Sandbox
from tests.system.engine import PY, TARGET, apply, prepare, same, snap
from tests.system.test_engine import APPROACHES, VENV, check_state, owner
from tests.tui.drive_apply import CUSTOMIZE
from wizard.plan import PlanOptions

pytestmark = pytest.mark.system

DRIVER = Path(__file__).resolve().parents[1] / "tui" / "drive_apply.py"
PIP_USER_HOME = "/var/lib/pipinstall"  # /var/lib is an overlay the sandbox's snapshot leaves out: added here
PIP_USER_CONF = f"{PIP_USER_HOME}/.config/pip/pip.conf"


def drive(box: Sandbox, *args: str) -> dict:
    """Runs the driver in the sandbox as `sudo pip-setup-wizard` by alice; what the screens showed."""
    result = box.run([sys.executable, str(DRIVER), *args], env={"SUDO_USER": "alice", "NO_COLOR": "1"}, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    seen: dict = json.loads(result.stdout)
    assert result.returncode == 0, f"{args}: {seen.get('stuck')}\n{json.dumps(seen, indent=1)[-3000:]}"
    return seen


def snapshot(box: Sandbox) -> dict:
    """engine.snap plus the pip user's home."""
    data = snap(box)
    home = box.snapshot([PIP_USER_HOME])["files"]
    data["files"].update({k: v for k, v in home.items() if k == PIP_USER_HOME or k.startswith(PIP_USER_HOME + "/")})
    return data


def check_screens(seen: dict, approach: str) -> None:
    """What the app showed on the way from Welcome to Done."""
    assert "Nothing on your machine changes until you confirm" in seen["welcome"]
    assert not seen["welcome_applied"], "nothing is applied yet: Welcome offers no undo"
    assert "as root (through sudo, for alice)" in seen["machine"] and PY in seen["machine"], "the real detection"
    assert "Recommended" in seen["recommendation"]
    assert seen["verdict"].startswith("✓"), seen["verdict"]
    assert seen["options"] == PlanOptions(approach=approach, **CUSTOMIZE[approach]).to_dict()  # type: ignore[arg-type]
    assert f"Plan: {approach} for {PY} (for alice)" in seen["plan"]
    assert "nothing has been changed yet" in seen["plan"]
    assert seen["confirm"].startswith(f"Apply {approach}?")
    assert "through sudo" not in seen["confirm"], "as root the app applies itself: no sudo step"
    assert seen.get("refused_without_words", False) is (approach == "own-site"), "own-site: Apply waits for the words"
    log = seen["apply_log"]
    total = int(re.search(r"^\[1/(\d+)\]", log, re.M).group(1))  # type: ignore[union-attr]
    assert [int(n) for n in re.findall(rf"^\[(\d+)/{total}\]", log, re.M)] == list(range(1, total + 1)), log
    assert "$ sudo" not in log and log.endswith("✓ applied; the journal records every change")
    assert seen["apply_status"].startswith("Done. Every step and check passed.")
    assert seen["ended_on"] == "done"
    assert seen["done"].startswith(f"{approach} is set up for {PY}.")
    assert "sudo pip-setup-wizard undo" in seen["done"] and "/var/lib/pip-setup-wizard" in seen["done"]


def check_more(box: Sandbox, approach: str) -> None:
    """Beyond check_state: what the snapshot does not see or the app's options add."""
    if approach == "pip-user":
        assert box.run(["visudo", "-cf", "/etc/sudoers.d/pip-setup-wizard"]).returncode == 0
        assert "break-system-packages = true" in box.run(["cat", PIP_USER_CONF]).stdout
        assert owner(box, PIP_USER_CONF) == "root:root 644", "the pip user cannot change its own pip.conf"
    elif approach == "virtualenv":
        assert "require-virtualenv = true" in box.run(["cat", "/home/alice/.config/pip/pip.conf"]).stdout
        assert f'export PATH="{VENV}/bin:$PATH"' in box.run(["cat", "/home/alice/.bashrc"]).stdout
    elif approach == "own-site":
        assert owner(box, TARGET) == "alice:alice 755"


@pytest.mark.parametrize("approach", APPROACHES)
def test_the_app_applies_as_the_command_line_does_and_undoes_from_welcome(sandbox: Sandbox, approach: str) -> None:
    prepare(sandbox)
    # A fresh machine has no pip user's home; a host an earlier run left one on would have useradd adopt it. The
    # removal stays in the sandbox's overlay of /var/lib.
    sandbox.sh(f"rm -rf {PIP_USER_HOME}")
    before = snapshot(sandbox)

    check_screens(drive(sandbox, "apply", approach), approach)
    check_state(sandbox, approach)
    check_more(sandbox, approach)
    by_app = snapshot(sandbox)

    undone = drive(sandbox, "undo")
    assert undone["welcome_applied"].startswith(f"You are on approach {approach} for {PY} since ")
    assert "nothing has been changed yet" in undone["undo_plan"] and "revert:" in undone["undo_plan"]
    assert undone["undo_result"].startswith("Undone:"), undone["undo_result"]
    assert not undone["welcome_after"], "after the undo, Welcome no longer offers what was applied"
    same(before, snapshot(sandbox))

    apply(sandbox, approach)  # the command line, the same options, from the same start
    same(by_app, snapshot(sandbox))
