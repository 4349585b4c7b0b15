"""The blast-radius demo, for real, inside the test sandbox: as root (every approach set up in the demo's own
private namespace) and as a normal user (the user-level approaches only).

The demo makes its own mount namespace; a bug there must not reach this machine, so the whole demo runs inside
the harness's sandbox as well, which here also covers the distribution's /usr/lib/python3. Each test compares
the sandbox's files, accounts and mounts before and after: the demo's guarantee is that they are equal.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator

import pytest

from tests.harness.sandbox import DEFAULT_COVER, Sandbox
from tests.system.engine import snap, wiz
from wizard.demo.model import NO, SYSTEM_ROWS, YES, DemoResult

pytestmark = pytest.mark.system

# The sandbox's tmpfs places, which the snapshot does not hash: listed with owner, mode, size and mtime instead.
LISTED = ("/var/log", "/var/mail")
BOOT_ARGS = [sys.executable, "-I", "-B", "-c"]

# What the sources say, independently of the demo's own predictor: (approach, place) → could it?
EXPECTED = {
    ("sudo-pip", "etc"): YES,
    ("sudo-pip", "shadow"): YES,
    ("sudo-pip", "ssh-read"): YES,
    ("pip-user", "site-packages"): YES,
    ("pip-user", "etc"): NO,
    ("pip-user", "usr-local-bin"): NO,
    ("pip-user", "home"): NO,
    ("pip-user", "ssh-read"): NO,
    ("own-site", "site-packages"): YES,
    ("own-site", "etc"): NO,
    ("own-site", "ssh"): YES,
    ("virtualenv", "site-packages"): NO,
    ("virtualenv", "home"): YES,
    ("virtualenv", "shadow"): NO,
    ("user-scheme", "site-packages"): NO,
    ("user-scheme", "rc"): YES,
}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """The harness's sandbox, also covering the distribution's Python packages (root's pip imports from there)."""
    box = Sandbox(cover=(*DEFAULT_COVER, ("/usr/lib/python3", "overlay"))).start()
    try:
        box.add_user("alice")
        box.sh("install -d -m 0700 -o alice -g alice /home/alice/.ssh")
        yield box
    finally:
        box.stop()


def state(box: Sandbox) -> dict:
    """Files (hashed), accounts, listings of the big places, and the mount table, as the sandbox sees them."""
    data = snap(box)
    found = box.run(["find", *LISTED, "-printf", "%p %U:%G %m %s %T@ %y\\n"])
    data["listing"] = sorted(found.stdout.splitlines())
    # The overlays (/var/lib, /usr/lib/python3): whatever is written through them lands in their upper layer, so
    # that is what must not change (their lower layer is the live machine, which others may change meanwhile).
    upper = box.base / "upper"
    for path in sorted(upper.rglob("*")):
        st = path.lstat()
        data["listing"].append(f"{path.relative_to(upper)} {st.st_uid}:{st.st_gid} {st.st_mode:o} {st.st_size}")
    mounts = box.run(["cat", "/proc/self/mountinfo"]).stdout.splitlines()
    data["mounts"] = sorted(" ".join(m.split()[3:5]) + " " + m.split(" - ")[1].split()[0] for m in mounts)
    return data


def unchanged(before: dict, after: dict) -> None:
    from tests.system.engine import same

    same(before, after)
    assert before["listing"] == after["listing"], sorted(set(before["listing"]) ^ set(after["listing"]))[:20]
    assert before["mounts"] == after["mounts"], sorted(set(before["mounts"]) ^ set(after["mounts"]))


def check_matrix(result: DemoResult, ran: tuple[str, ...]) -> None:
    """The rows in ``ran`` ran and agree with the prediction; the prediction agrees with what the sources say."""
    by = {r.approach: r for r in result.rows}
    for approach in ran:
        row = by[approach]
        assert row.ran, f"{approach} did not run: {row.not_run}"
        assert row.observed is not None and row.ran_as_expected, (approach, row.observed)
    assert not result.disagreements, result.disagreements
    for (approach, place), want in EXPECTED.items():
        cell = by[approach].cells[place]
        assert cell.predicted == want, (approach, place, cell)
        if approach in ran:
            assert cell.observed == want, (approach, place, cell)
    if "sudo-pip" in ran:
        assert by["sudo-pip"].observed.uid == 0  # type: ignore[union-attr]
        assert by["pip-user"].observed.uid not in (0, by["own-site"].observed.uid)  # type: ignore[union-attr]


def test_as_root_every_approach_runs_privately_and_matches_the_prediction(sandbox: Sandbox) -> None:
    before = state(sandbox)
    out = wiz(sandbox, "demo", "--json")  # root, SUDO_USER=alice: what `sudo pip-setup-wizard demo` gives
    after = state(sandbox)
    unchanged(before, after)
    data = out.json()
    if os.environ.get("PSW_DEMO_RECORD"):  # regenerates tests/fixtures/demo/root.json
        with open(os.environ["PSW_DEMO_RECORD"], "w") as fh:
            json.dump(data, fh, indent=1)
            fh.write("\n")
    result = DemoResult.from_dict(data)
    assert result.as_root and result.user == "alice" and "SUDO_USER" in result.user_how
    check_matrix(result, ("sudo-pip", "pip-user", "own-site", "virtualenv", "user-scheme"))
    assert result.seconds < 60, f"the demo took {result.seconds:.1f} s"


def test_as_root_without_sudo_user_a_throwaway_account_stays_inside(sandbox: Sandbox) -> None:
    before = state(sandbox)
    out = sandbox.run([sys.executable, "-m", "wizard", "demo"], env={"COLUMNS": "100", "NO_COLOR": "1"})
    after = state(sandbox)
    assert out.returncode == 0, out.stderr
    unchanged(before, after)  # the account's passwd/group/shadow lines and home never reach the sandbox
    assert "a throwaway account the demo created inside its namespace" in out.stdout
    assert "observations match what the sources predict here" in out.stdout
    assert "not run" not in out.stdout and "DISAGREE" not in out.stdout


def test_as_a_user_only_the_user_level_approaches_run(sandbox: Sandbox) -> None:
    before = state(sandbox)
    out = wiz(sandbox, "demo", "--json", user="alice")  # /usr/bin/python3, as alice
    after = state(sandbox)
    unchanged(before, after)  # its temporary folder is gone, alice's home untouched
    result = DemoResult.from_dict(out.json())
    assert not result.as_root and result.user == "alice"
    check_matrix(result, ("virtualenv", "user-scheme"))
    for approach in SYSTEM_ROWS:
        row = result.row(approach)
        assert row is not None and not row.ran and "needs root" in row.not_run
    sudo = result.row("sudo-pip")
    assert sudo is not None and sudo.cells["etc"].predicted == YES and sudo.cells["etc"].observed is None


@pytest.mark.parametrize("how", ["same-namespace", "shared-propagation"])
def test_the_inside_part_refuses_a_namespace_that_is_not_private(sandbox: Sandbox, how: str) -> None:
    """What the demo guarantees on its own: its inside part mounts nothing unless it runs in a namespace of its own
    whose mounts propagate nowhere. (A shared one here would reach only the sandbox, never the machine.)"""
    from wizard.demo.as_root import BOOT

    here = sandbox.run(["readlink", "/proc/self/ns/mnt"]).stdout.strip()
    spec = json.dumps({"host_namespace": here if how == "same-namespace" else "mnt:[0]", "python": None})
    root = os.path.dirname(os.path.dirname(os.path.abspath(__import__("wizard").__file__)))
    argv = [*BOOT_ARGS, BOOT, root, spec]
    if how == "shared-propagation":
        argv = ["unshare", "--mount", "--propagation", "shared", "--", *argv]
    before = state(sandbox)
    out = sandbox.run(argv)
    after = state(sandbox)
    assert out.returncode == 1
    error = json.loads(out.stdout.strip().splitlines()[-1])["error"]
    assert error["ref"] == "demo-not-private", error
    assert ("machine's own mount namespace" if how == "same-namespace" else "propagate") in error["message"]
    unchanged(before, after)
