"""Ownership facts (real files, real owners), the probe cache, and the subprocess seam."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from wizard import proc
from wizard.detect.cache import ProbeCache
from wizard.detect.fsinfo import Accounts, Inspector
from wizard.model import OwnerKind

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="changing owners needs root")
NOBODY = 65534


def test_root_owned_directory_has_no_writers(tmp_path: Path) -> None:
    d = tmp_path / "site"
    d.mkdir(mode=0o755)
    os.chmod(d, 0o755)
    info = Inspector().inspect(str(d))
    if os.geteuid() == 0:
        assert info.writers == () and info.owner_kind is OwnerKind.ROOT
    assert info.mode == 0o755 and info.type == "dir" and info.exists


@root_only
def test_owner_group_and_world_writers(tmp_path: Path) -> None:
    d = tmp_path / "site"
    d.mkdir()
    os.chown(d, NOBODY, 0)
    os.chmod(d, 0o757)
    info = Inspector().inspect(str(d))
    kinds = {w.kind for w in info.writers}
    assert kinds == {"owner", "everyone"}
    owner = next(w for w in info.writers if w.kind == "owner")
    assert owner.owner_kind is OwnerKind.SERVICE  # nobody: no login
    os.chown(d, 0, NOBODY if _group_exists(NOBODY) else 100)
    os.chmod(d, 0o775)
    info = Inspector().inspect(str(d))
    assert [w.kind for w in info.writers] == ["group"]


def _group_exists(gid: int) -> bool:
    import grp

    try:
        grp.getgrgid(gid)
    except KeyError:
        return False
    return True


def test_symlinks_are_described_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    info = Inspector().inspect(str(link))
    assert info.type == "symlink" and info.symlink_target == str(target) and info.writers == ()
    assert info.realpath == str(target)
    inside = Inspector().inspect(str(link / "x"))
    assert inside.realpath == str(target / "x") and not inside.exists


def test_parents_are_inspected_up_to_root(tmp_path: Path) -> None:
    infos = Inspector().inspect_with_parents(str(tmp_path / "a" / "b"))
    assert [i.path for i in infos][-1] == "/"
    assert infos[0].exists is False


def test_account_kinds() -> None:
    accounts = Accounts()
    assert accounts.kind(0) is OwnerKind.ROOT
    assert accounts.kind(NOBODY) is OwnerKind.SERVICE
    assert accounts.kind(4_000_000) is OwnerKind.UNKNOWN


def fake_interpreter(tmp_path: Path) -> str:
    exe = tmp_path / "python3"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    return str(exe)


def test_cache_hits_until_the_binary_changes(tmp_path: Path) -> None:
    exe = fake_interpreter(tmp_path)
    watched = tmp_path / "sysconfig.py"
    watched.write_text("x")
    cache = ProbeCache(4, directory=str(tmp_path / "cache"))
    cache.put(exe, {"probe": 4, "watched_files": [str(watched)]})
    cache.save()
    assert (os.stat(cache.path).st_mode & 0o777) == 0o600
    again = ProbeCache(4, directory=str(tmp_path / "cache"))
    assert again.get(exe) == {"probe": 4, "watched_files": [str(watched)]}
    assert ProbeCache(5, directory=str(tmp_path / "cache")).get(exe) is None, "a new probe version misses"
    time.sleep(0.01)
    watched.write_text("changed")
    assert ProbeCache(4, directory=str(tmp_path / "cache")).get(exe) is None, "a changed stdlib file misses"
    watched.write_text("x")
    os.utime(exe, ns=(1, 1))
    assert ProbeCache(4, directory=str(tmp_path / "cache")).get(exe) is None, "a replaced binary misses"


def test_cache_file_others_can_write_is_ignored(tmp_path: Path) -> None:
    exe = fake_interpreter(tmp_path)
    cache = ProbeCache(4, directory=str(tmp_path / "cache"))
    cache.put(exe, {"probe": 4})
    cache.save()
    os.chmod(cache.path, 0o666)
    assert ProbeCache(4, directory=str(tmp_path / "cache")).get(exe) is None
    os.chmod(cache.path, 0o600)
    Path(cache.path).write_text("{not json")
    assert ProbeCache(4, directory=str(tmp_path / "cache")).get(exe) is None
    Path(cache.path).write_text(json.dumps({"format": 999, "entries": {}}))
    assert ProbeCache(4, directory=str(tmp_path / "cache")).entries == {}


def test_disabled_cache_writes_nothing(tmp_path: Path) -> None:
    cache = ProbeCache(4, enabled=False, directory=str(tmp_path / "cache"))
    cache.put(fake_interpreter(tmp_path), {"probe": 4})
    cache.save()
    assert not (tmp_path / "cache").exists()


def test_proc_run_and_failures(tmp_path: Path) -> None:
    ok = proc.run([sys.executable, "-c", "print('hi')"], timeout=10)
    assert ok.ok and ok.stdout == "hi\n"
    missing = proc.run([str(tmp_path / "nope")], timeout=10)
    assert not missing.ok and missing.start_error
    script = tmp_path / "spawner"
    script.write_text("#!/bin/sh\nsleep 60 &\nsleep 60\n")
    script.chmod(0o755)
    started = time.monotonic()
    hung = proc.run([str(script)], timeout=0.3)
    assert hung.timed_out and time.monotonic() - started < 5, "children are killed with the group"
