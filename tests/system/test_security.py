"""Security fixtures inside the tree the wizard hands over: links pointing out, hard links, mount points.

Changing the owner of site-packages must never change anything outside it: a symbolic link is changed itself
(lchown), never what it points to; a file with several hard links is left alone and reported (one of its other
names could be /etc/shadow); another file system mounted inside is not entered. The preview lists each of them.
(site-packages being a symbolic link, and a read-only file system, are refused: see test_bad_inputs.py.)
"""

from __future__ import annotations

import pytest

from tests.harness.sandbox import Sandbox
from tests.system.engine import APPROACH_FLAGS, PY, TARGET, apply, prepare, same, snap, wiz

pytestmark = pytest.mark.system
HANDING_OVER = ("own-site", "pip-user")


def stat(box: Sandbox, path: str) -> str:
    return box.run(["stat", "-c", "%U:%G %a %h", path]).stdout.strip()


def lstat(box: Sandbox, path: str) -> str:
    return box.run(["stat", "-c", "%U:%G", path]).stdout.strip()


@pytest.mark.parametrize("approach", HANDING_OVER)
def test_a_link_pointing_out_changes_only_itself(sandbox: Sandbox, approach: str) -> None:
    prepare(sandbox)
    sandbox.sh(
        f"ln -s /etc/shadow {TARGET}/shadow-link && mkdir {TARGET}/pkg && ln -s ../../../../../etc {TARGET}/pkg/e"
    )
    shadow = stat(sandbox, "/etc/shadow")
    etc = stat(sandbox, "/etc")
    before = snap(sandbox)
    preview = wiz(sandbox, "plan", approach, "--python", PY, *APPROACH_FLAGS[approach])
    assert f"{TARGET}/shadow-link -> /etc/shadow" in preview.stdout
    assert f"{TARGET}/pkg/e -> ../../../../../etc" in preview.stdout
    applied = apply(sandbox, approach)
    assert "what it points to is left alone" in applied.stdout
    assert stat(sandbox, "/etc/shadow") == shadow and stat(sandbox, "/etc") == etc
    owner = "alice:alice" if approach == "own-site" else "pipinstall:pipinstall"
    assert lstat(sandbox, f"{TARGET}/shadow-link") == owner, "the link itself is handed over"
    wiz(sandbox, "undo", "--yes")
    same(before, snap(sandbox))


@pytest.mark.parametrize("approach", HANDING_OVER)
def test_hard_linked_files_are_skipped_and_reported(sandbox: Sandbox, approach: str) -> None:
    prepare(sandbox)
    # one name outside site-packages (same file system), one inside; and a pair both inside
    outside = "/usr/local/lib/python3.11/secret.conf"
    sandbox.sh(
        f"echo secret > {outside} && chmod 0600 {outside} && ln {outside} {TARGET}/innocent.py && "
        f"echo x > {TARGET}/a.py && ln {TARGET}/a.py {TARGET}/b.py"
    )
    before = snap(sandbox)
    preview = wiz(sandbox, "plan", approach, "--python", PY, *APPROACH_FLAGS[approach])
    for name in ("innocent.py", "a.py", "b.py"):
        assert f"left alone (more than one hard link): {TARGET}/{name}" in preview.stdout
    applied = apply(sandbox, approach)
    assert "more than one hard link" in applied.stdout
    assert stat(sandbox, outside) == "root:root 600 2", "the file behind the hard link keeps its owner"
    assert stat(sandbox, f"{TARGET}/a.py").startswith("root:root")
    wiz(sandbox, "undo", "--yes")
    same(before, snap(sandbox))


@pytest.mark.parametrize("approach", HANDING_OVER)
def test_a_mount_point_inside_is_not_crossed(sandbox: Sandbox, approach: str) -> None:
    prepare(sandbox)
    sandbox.sh(
        f"mkdir {TARGET}/mnt && mount -t tmpfs -o mode=0755 tmpfs {TARGET}/mnt && "
        f"echo data > {TARGET}/mnt/file.py && mkdir {TARGET}/mnt/sub"
    )
    before = snap(sandbox)
    preview = wiz(sandbox, "plan", approach, "--python", PY, *APPROACH_FLAGS[approach])
    assert f"left alone (another file system is mounted there): {TARGET}/mnt" in preview.stdout
    apply(sandbox, approach)
    for path in (f"{TARGET}/mnt", f"{TARGET}/mnt/file.py", f"{TARGET}/mnt/sub"):
        assert stat(sandbox, path).startswith("root:root"), path
    wiz(sandbox, "undo", "--yes")
    same(before, snap(sandbox))
