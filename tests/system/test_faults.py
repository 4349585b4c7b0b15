"""Faults during apply, switch and undo: SIGKILL at every change (then `recover`, also crashing), injected errors
at the mutators, Ctrl-C, and a full disk at the journal. Every run ends at the original snapshot (or, when the
operation completed, at the fully applied one), with no temporary file left behind."""

from __future__ import annotations

import itertools

import pytest

from tests.harness.sandbox import Sandbox
from tests.system.engine import APPLY_FLAGS, APPROACH_FLAGS, PY, apply, as_alice, prepare, same, snap, wiz

pytestmark = [pytest.mark.system, pytest.mark.slow]
APPROACHES = ("sudo-pip", "pip-user", "own-site", "virtualenv")
TESTING = {"PIP_SETUP_WIZARD_TESTING": "1"}


def op_args(kind: str, approach: str) -> tuple[str, ...]:
    if kind == "undo":
        return ("undo", "--yes")
    return ("apply", approach, "--python", PY, *APPROACH_FLAGS[approach], *APPLY_FLAGS.get(approach, []), "--yes")


def no_temp_files(data: dict) -> None:
    leftovers = [p for p in data["files"] if ".pip-setup-wizard-" in p and p.endswith((".tmp", "-removing"))]
    assert not leftovers, leftovers


def only_status_and_recover(box: Sandbox) -> None:
    """After a crash: the next run sees the unfinished journal and allows only status and recover."""
    for args in (
        ("apply", "virtualenv", "--python", PY, "--yes"),
        ("plan", "sudo-pip", "--python", PY),
        ("undo", "--yes"),
    ):
        refused = wiz(box, *args, ok=False)
        assert refused.returncode == 1 and "did not finish" in refused.stderr, (args, refused.stderr)
    status = wiz(box, "status", ok=False)
    assert status.returncode == 1 and "An apply did not finish" in status.stdout


def sweep(box: Sandbox, args: tuple[str, ...], recover_crash_every: int = 4) -> int:
    """Crashes the operation at change 1, 2, ... until it completes; returns how many changes it makes."""
    original = snap(box)
    n = 1
    while True:
        run = wiz(box, *args, ok=False, env={**TESTING, "PIP_SETUP_WIZARD_CRASH_AT": str(n)})
        if run.returncode == 0:
            return n - 1
        assert run.returncode == -9, (n, run.returncode, run.stderr)
        only_status_and_recover(box)
        if n % recover_crash_every == 1:
            # crash the recovery itself, once at each of its first changes, then recover for real
            m = 1
            while (
                wiz(box, "recover", "--yes", ok=False, env={**TESTING, "PIP_SETUP_WIZARD_CRASH_AT": str(m)}).returncode
                == -9
            ):
                m += 1
        else:
            wiz(box, "recover", "--yes")
        after = snap(box)
        same(original, after)
        no_temp_files(after)
        n += 1


@pytest.mark.parametrize("approach", APPROACHES)
def test_crash_sweep_apply_and_undo(sandbox: Sandbox, approach: str) -> None:
    prepare(sandbox)
    before = snap(sandbox)
    changes = sweep(sandbox, op_args("apply", approach))
    assert changes >= 1
    applied = snap(sandbox)
    no_temp_files(applied)
    undo_changes = sweep(sandbox, op_args("undo", approach))
    assert undo_changes >= 1
    same(before, snap(sandbox))
    print(f"{approach}: {changes} crash points in apply, {undo_changes} in undo")
    del applied


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(APPROACHES, 2)))
def test_crash_sweep_switch(sandbox: Sandbox, first: str, second: str) -> None:
    """The switch, then its undo (which brings back what the switch reverted, re-making folders it removed)."""
    prepare(sandbox)
    apply(sandbox, first)
    first_applied = snap(sandbox)
    changes = sweep(sandbox, op_args("apply", second), recover_crash_every=7)
    assert changes >= 2
    undo_changes = sweep(sandbox, op_args("undo", second), recover_crash_every=7)
    assert undo_changes >= 2
    same(first_applied, snap(sandbox))
    print(f"{first} -> {second}: {changes} crash points, {undo_changes} in its undo")


def test_recover_after_a_killed_undo_of_a_switch_keeps_what_people_wrote(sandbox: Sandbox) -> None:
    """The undo of a switch away from virtualenv puts the wizard's block back into .bashrc before it goes on to
    pip.conf. Killed right after that, with the person adding a line to .bashrc before `recover`: recover takes
    the block out again (the switch had removed it) and keeps their line, and everything else is as it was."""
    bashrc = "/home/alice/.bashrc"
    line = "alias proj='cd ~/src/proj'"
    prepare(sandbox)
    apply(sandbox, "virtualenv")
    apply(sandbox, "own-site")
    switched = snap(sandbox)
    for at in range(1, 40):
        run = wiz(
            sandbox, *op_args("undo", "own-site"), ok=False, env={**TESTING, "PIP_SETUP_WIZARD_CRASH_AT": str(at)}
        )
        assert run.returncode == -9, (
            f"the undo finished before .bashrc had its block back with a change after it ({at})"
        )
        if "pip-setup-wizard >>>" in sandbox.run(["cat", bashrc]).stdout:
            break
        wiz(sandbox, "recover", "--yes")
        same(switched, snap(sandbox))
    else:
        pytest.fail(".bashrc never had its block back in a killed undo")
    assert as_alice(sandbox, f'echo "{line}" >> {bashrc}').returncode == 0
    wiz(sandbox, "recover", "--yes")
    text = sandbox.run(["cat", bashrc]).stdout
    assert line in text and "pip-setup-wizard" not in text, text
    now = snap(sandbox)
    for data in (switched, now):
        data["files"].pop(bashrc)
    same(switched, now)


@pytest.mark.parametrize("errno", ["ENOSPC", "EPERM", "EROFS", "EIO"])
@pytest.mark.parametrize("approach", APPROACHES)
def test_injected_errors_roll_back(sandbox: Sandbox, approach: str, errno: str) -> None:
    prepare(sandbox)
    before = snap(sandbox)
    total = 0
    for at in (1, 2, 3, 5, 8):
        result = wiz(
            sandbox,
            *op_args("apply", approach),
            ok=False,
            env={**TESTING, "PIP_SETUP_WIZARD_FAULT_AT": f"{at}:{errno}"},
        )
        if result.returncode == 0:
            break  # fewer changes than `at`: it completed; undo and stop
        total += 1
        assert result.returncode == 1, result.stderr
        assert "(injected)" in result.stderr and "Traceback" not in result.stderr
        after = snap(sandbox)
        same(before, after)
        no_temp_files(after)
        assert wiz(sandbox, "status").returncode == 0, "rolled back: nothing unfinished"
    assert total >= 1


@pytest.mark.parametrize("approach", APPROACHES)
def test_injected_errors_in_undo_and_switch_roll_back(sandbox: Sandbox, approach: str) -> None:
    prepare(sandbox)
    apply(sandbox, approach)
    applied = snap(sandbox)
    other = APPROACHES[(APPROACHES.index(approach) + 1) % len(APPROACHES)]
    for args, errno in ((op_args("undo", approach), "EIO"), (op_args("apply", other), "ENOSPC")):
        for at in (1, 2):  # every undo and switch makes at least two changes (see the crash sweeps)
            result = wiz(sandbox, *args, ok=False, env={**TESTING, "PIP_SETUP_WIZARD_FAULT_AT": f"{at}:{errno}"})
            assert result.returncode == 1 and "(injected)" in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
            same(applied, snap(sandbox))
            assert wiz(sandbox, "status").returncode == 0


@pytest.mark.parametrize("approach", APPROACHES)
def test_ctrl_c_finishes_the_step_and_rolls_back(sandbox: Sandbox, approach: str) -> None:
    prepare(sandbox)
    before = snap(sandbox)
    result = wiz(sandbox, *op_args("apply", approach), ok=False, env={**TESTING, "PIP_SETUP_WIZARD_SIGINT_AT": "1"})
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert "interrupted" in result.stderr and "put back" in result.stderr
    same(before, snap(sandbox))
    assert wiz(sandbox, "status").returncode == 0


@pytest.mark.parametrize("at", [1, 2, 3])
def test_disk_full_at_the_journal(sandbox: Sandbox, at: int) -> None:
    prepare(sandbox)
    before = snap(sandbox)
    journals_before = sandbox.run(["sh", "-c", "ls /var/lib/pip-setup-wizard/journal 2>/dev/null"]).stdout
    result = wiz(
        sandbox,
        *op_args("apply", "pip-user"),
        ok=False,
        env={**TESTING, "PIP_SETUP_WIZARD_JOURNAL_FAULT_AT": f"{at}:ENOSPC"},
    )
    assert result.returncode == 1 and "No space left on device" in result.stderr and "Traceback" not in result.stderr
    same(before, snap(sandbox))
    status = wiz(sandbox, "status", ok=False)
    if at == 1:  # the begin record itself failed: no journal at all
        journals = sandbox.run(["sh", "-c", "ls /var/lib/pip-setup-wizard/journal 2>/dev/null"]).stdout
        assert journals == journals_before
    assert status.returncode in (0, 1)
    if status.returncode == 1:  # the rollback could not be recorded: recover finishes it
        wiz(sandbox, "recover", "--yes")
        same(before, snap(sandbox))
