"""A Hypothesis state machine over the real engine: apply, switch, undo, crash + recover, people's own edits, and
the owner of site-packages installing a package, in any order, each example in a fresh sandbox.

The model is a stack: every apply that changes something pushes (approach, the snapshot before it); undo pops it
and must give back exactly that snapshot; a crash at any change followed by `recover` (itself crashed at times)
must give back the snapshot from before the interrupted command; reaching an approach again must give exactly
the snapshot it had before (A → B → A). What people did themselves is kept out of the exact comparisons and checked
on its own: their lines stay in .bashrc and pip.conf, and installed packages belong to whoever owns the
site-packages they are in (they go back to root with an undo, and with the tree to the next owner).

    PIP_SETUP_WIZARD_STATEFUL_EXAMPLES=N   examples to run (default 200, the number CI runs)
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from tests.conftest import diff_snapshots
from tests.harness.sandbox import Sandbox, unavailable_reason
from tests.system.engine import APPLY_FLAGS, APPROACH_FLAGS, PY, TARGET, WHEEL, as_alice, prepare, snap, wiz

pytestmark = [pytest.mark.system, pytest.mark.slow]

APPROACHES = ("sudo-pip", "pip-user", "own-site", "virtualenv")
VENV = "/home/alice/.venvs/default"
VENV_SITE = f"{VENV}/lib/python3.11/site-packages"
BASHRC = "/home/alice/.bashrc"
PIP_CONF = "/home/alice/.config/pip/pip.conf"
ROOT_PIP_CONF = "/root/.config/pip/pip.conf"
TESTING = {"PIP_SETUP_WIZARD_TESTING": "1"}
EXAMPLES = int(os.environ.get("PIP_SETUP_WIZARD_STATEFUL_EXAMPLES", "200"))
INSTALL = f"-m pip install --no-index --no-cache-dir --disable-pip-version-check {WHEEL}"
# Written by people or by pip as people run it: checked on their own, not in the exact comparisons.
PEOPLES = (BASHRC, PIP_CONF)
PACKAGE_PARTS = ("/pswdemo", "/pswdemo-1.0.dist-info")
CACHES = ("/home/alice/.cache", "/root/.cache", "/root/.config/pip/pip.conf.")


def view(data: dict, made: set[str] = frozenset()) -> dict:  # type: ignore[assignment]
    """A snapshot without what people made themselves (``made``: directories their tools created)."""
    files = {
        k: v
        for k, v in data["files"].items()
        if k not in PEOPLES
        and k not in made
        and not k.startswith(CACHES)
        and not any(k.startswith(site + part) for site in (TARGET, VENV_SITE) for part in PACKAGE_PARTS)
    }
    return {"files": files, "accounts": data["accounts"]}


class WizardMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.box = Sandbox().start()
        try:
            prepare(self.box)
            self.box.sh("echo 'alice:s3cret' | chpasswd")
        except BaseException:
            self.box.stop()
            raise
        self.stack: list[tuple[str, dict]] = []
        self.seen: dict[str, dict] = {}
        self.lines: list[tuple[str, str]] = []
        self.edits = 0
        self.made: set[str] = set()
        self.snapshot = snap(self.box)

    def teardown(self) -> None:
        self.box.stop()

    # --- the model --------------------------------------------------------------------------------------------

    @property
    def current(self) -> str | None:
        return self.stack[-1][0] if self.stack else None

    def expect(self, expected: dict, what: str) -> dict:
        now = snap(self.box)
        diffs = diff_snapshots(view(expected, self.made), view(now, self.made))
        assert not diffs, f"{what}:\n" + "\n".join(diffs[:30])
        self.check_people(now)
        self.snapshot = now
        return now

    def check_people(self, data: dict) -> None:
        files = data["files"]
        leftovers = [p for p in files if ".pip-setup-wizard-" in p and p.endswith((".tmp", "-removing"))]
        assert not leftovers, leftovers
        for path, line in self.lines:
            text = self.box.run(["cat", path]).stdout
            assert line in text, f"{line!r} was lost from {path}:\n{text}"
        bashrc = self.box.run(["cat", BASHRC]).stdout
        conf = self.box.run(["sh", "-c", f"cat {PIP_CONF} 2>/dev/null"]).stdout
        root_conf = self.box.run(["sh", "-c", f"cat {ROOT_PIP_CONF} 2>/dev/null"]).stdout
        venv = self.current == "virtualenv"
        assert ("pip-setup-wizard >>>" in bashrc) == venv, bashrc
        assert ("require-virtualenv" in conf) == venv, conf
        assert ("only-binary" in root_conf) == (self.current == "sudo-pip"), root_conf
        # installed packages belong to whoever owns the site-packages they are in
        site = files[TARGET]
        for path, entry in files.items():
            if any(path.startswith(TARGET + part) for part in PACKAGE_PARTS) and "/__pycache__" not in path:
                assert (entry["uid"], entry["gid"]) == (site["uid"], site["gid"]), (path, entry, site)

    def pushed(self, approach: str, before: dict) -> None:
        self.stack.append((approach, before))
        now = self.expect(self.seen[approach], f"{approach} again") if approach in self.seen else None
        if now is None:
            now = snap(self.box)
            self.check_people(now)
            self.snapshot = now
        self.seen[approach] = now

    # --- rules ------------------------------------------------------------------------------------------------

    def apply_args(self, approach: str) -> list[str]:
        return ["apply", approach, "--python", PY, *APPROACH_FLAGS[approach], *APPLY_FLAGS.get(approach, []), "--yes"]

    @rule(approach=st.sampled_from(APPROACHES))
    def apply(self, approach: str) -> None:
        before = self.snapshot
        result = wiz(self.box, *self.apply_args(approach))
        if approach == self.current:
            assert "nothing to do" in result.stdout, result.stdout
            self.expect(before, "a second apply changes nothing")
        else:
            self.pushed(approach, before)

    @rule()
    def undo(self) -> None:
        result = wiz(self.box, "undo", "--yes")
        if not self.stack:
            assert "Nothing to undo" in result.stdout
            self.expect(self.snapshot, "undo with nothing applied")
            return
        approach, before = self.stack.pop()
        self.expect(before, f"undo of {approach}")
        if self.current is not None:
            self.seen[self.current] = self.snapshot

    @rule(
        op=st.sampled_from(("undo", *APPROACHES)),
        at=st.integers(min_value=1, max_value=14),
        recover_crash=st.integers(min_value=0, max_value=3),
    )
    def crash_and_recover(self, op: str, at: int, recover_crash: int) -> None:
        before = self.snapshot
        args = ["undo", "--yes"] if op == "undo" else self.apply_args(op)
        run = wiz(self.box, *args, ok=False, env={**TESTING, "PIP_SETUP_WIZARD_CRASH_AT": str(at)})
        if run.returncode == 0:  # fewer changes than `at`: it simply completed
            if op == "undo":
                if self.stack:
                    approach, undone_to = self.stack.pop()
                    self.expect(undone_to, f"undo of {approach}")
                    if self.current is not None:
                        self.seen[self.current] = self.snapshot
                else:
                    self.expect(before, "undo with nothing applied")
            elif op == self.current:
                self.expect(before, "a second apply changes nothing")
            else:
                self.pushed(op, before)
            return
        assert run.returncode == -9, (run.returncode, run.stderr)
        refused = wiz(self.box, *self.apply_args("virtualenv"), ok=False)
        assert refused.returncode == 1 and "did not finish" in refused.stderr, refused.stderr
        for m in range(1, recover_crash + 1):
            crashed = wiz(self.box, "recover", "--yes", ok=False, env={**TESTING, "PIP_SETUP_WIZARD_CRASH_AT": str(m)})
            if crashed.returncode != -9:
                assert crashed.returncode == 0, crashed.stderr
                break
        else:
            wiz(self.box, "recover", "--yes")
        self.expect(before, f"crash at change {at} of {op}, then recover")

    @rule()
    def person_edits_bashrc(self) -> None:
        self.edits += 1
        line = f"alias proj{self.edits}='cd ~/src/proj{self.edits}'"
        assert as_alice(self.box, f'echo "{line}" >> {BASHRC}').returncode == 0
        self.lines.append((BASHRC, line))
        self.snapshot = snap(self.box)

    @rule(seconds=st.integers(min_value=10, max_value=99))
    def person_sets_a_pip_option(self, seconds: int) -> None:
        # pip config makes the folders it needs, and the file in them is theirs from now on: even folders the
        # wizard made stay when its part is undone
        self.made.update(("/home/alice/.config", "/home/alice/.config/pip"))
        result = as_alice(self.box, f"{PY} -m pip config --user set global.timeout {seconds}")
        assert result.returncode == 0, result.stderr
        self.lines = [(p, line) for p, line in self.lines if not line.startswith("timeout = ")]
        self.lines.append((PIP_CONF, f"timeout = {seconds}"))
        self.snapshot = snap(self.box)

    @rule()
    def owner_installs_a_package(self) -> None:
        """Whoever the approach in effect says installs packages does so, the way they would."""
        where = {
            None: ("root", f"{PY} {INSTALL} --break-system-packages"),
            "sudo-pip": ("root", f"{PY} {INSTALL} --break-system-packages"),
            "pip-user": ("alice", f"echo s3cret | sudo -S -u pipinstall -H -- {PY} -I {INSTALL}"),
            "own-site": ("alice", f"{PY} {INSTALL} --break-system-packages"),
            "virtualenv": ("alice", f"{VENV}/bin/python {INSTALL}"),
        }[self.current]
        user, script = where
        result = self.box.run(["sh", "-c", script], user=None if user == "root" else user)
        assert result.returncode == 0, result.stdout + result.stderr
        site = VENV_SITE if self.current == "virtualenv" else TARGET
        check = self.box.run(["sh", "-c", f"test -f {site}/pswdemo/__init__.py"])
        assert check.returncode == 0, f"the package is not in {site}"
        self.snapshot = snap(self.box)
        self.check_people(self.snapshot)

    @rule()
    def status_agrees(self) -> None:
        data = json.loads(wiz(self.box, "status", "--json").stdout)
        assert data["unfinished"] is None
        assert [e["approach"] for e in data["applied"]] == [a for a, _ in self.stack]
        if data["applied"]:
            assert data["applied"][-1]["drift"] == [], data["applied"][-1]


WizardMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
)

if unavailable_reason() is None:
    TestWizardMachine = WizardMachine.TestCase
else:

    @pytest.mark.skip(reason=unavailable_reason() or "")
    def test_wizard_machine() -> None:
        """Skipped: the sandbox is not available here."""
