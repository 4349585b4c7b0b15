"""Interpreter discovery over real directory layouts (pyenv, conda, uv, Homebrew) built in a temp dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from wizard.detect.discover import (
    conda_interpreters,
    discover,
    homebrew_interpreters,
    identity,
    pyenv_selected_versions,
    pyenv_shim_root,
    resolve_pyenv_shim,
    uv_interpreters,
    which_all,
)
from wizard.detect.machine import resolve_command, shebang_interpreter


def exe(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def pyenv(root: Path, versions: list[str], global_version: str | None = None) -> Path:
    """A pyenv root with real-looking shims (pyenv's own shim text) and version directories."""
    shim = (
        f'#!/usr/bin/env bash\nset -e\nprogram="${{0##*/}}"\nexport PYENV_ROOT="{root}"\n'
        f'exec "{root}/libexec/pyenv" exec "$program" "$@"\n'
    )
    for name in ("python3", "python", "pip"):
        exe(root / "shims" / name, shim)
    for v in versions:
        exe(root / "versions" / v / "bin" / "python3")
        exe(root / "versions" / v / "bin" / "python")
        exe(root / "versions" / v / "bin" / "pip", f"#!{root}/versions/{v}/bin/python3\n")
    if global_version:
        (root / "version").write_text(global_version + "\n")
    return root


def test_shim_is_recognised_and_its_root_read_from_it(tmp_path: Path) -> None:
    root = pyenv(tmp_path / "custom-root", ["3.12.1"])
    assert pyenv_shim_root(str(root / "shims" / "python3")) == str(root)
    assert pyenv_shim_root(str(root / "versions" / "3.12.1" / "bin" / "python3")) is None


def test_version_precedence(tmp_path: Path) -> None:
    root = pyenv(tmp_path / "pyenv", ["3.11.7", "3.12.1"], "3.11.7")
    project = tmp_path / "project" / "sub"
    project.mkdir(parents=True)
    assert pyenv_selected_versions(str(root), {}, str(project)) == (["3.11.7"], str(root / "version"))
    (tmp_path / "project" / ".python-version").write_text("3.12.1  # comment\n")
    versions, source = pyenv_selected_versions(str(root), {}, str(project))
    assert versions == ["3.12.1"] and source.endswith(".python-version")
    assert pyenv_selected_versions(str(root), {"PYENV_VERSION": "3.11.7:system"}, str(project))[0] == [
        "3.11.7",
        "system",
    ]


def test_resolve_shim_versions_prefix_and_system(tmp_path: Path) -> None:
    root = pyenv(tmp_path / "pyenv", ["3.11.7", "3.11.9", "3.12.1"])
    system_bin = tmp_path / "usr" / "bin"
    exe(system_bin / "python3")
    shim = str(root / "shims" / "python3")
    dirs = [str(root / "shims"), str(system_bin)]
    real, note = resolve_pyenv_shim(shim, str(root), {"PYENV_VERSION": "3.12.1"}, str(tmp_path), dirs)
    assert real == str(root / "versions" / "3.12.1" / "bin" / "python3") and "3.12.1" in note
    real, _ = resolve_pyenv_shim(shim, str(root), {"PYENV_VERSION": "3.11"}, str(tmp_path), dirs)
    assert real == str(root / "versions" / "3.11.9" / "bin" / "python3"), "a prefix picks the newest match"
    real, note = resolve_pyenv_shim(shim, str(root), {}, str(tmp_path), dirs)
    assert real == str(system_bin / "python3") and "system" in note
    real, note = resolve_pyenv_shim(shim, str(root), {"PYENV_VERSION": "3.9.0"}, str(tmp_path), dirs)
    assert real is None and "3.9.0" in note


def test_discover_merges_and_labels(tmp_path: Path) -> None:
    home = tmp_path / "home"
    root = pyenv(home / ".pyenv", ["3.11.7", "3.12.1"], "3.12.1")
    usr = tmp_path / "usr" / "bin"
    real = exe(usr / "python3.11")
    (usr / "python3").symlink_to("python3.11")
    (usr / "python").symlink_to("python3.11")
    path_dirs = [str(root / "shims"), str(usr)]
    found = discover({}, str(tmp_path), str(home), path_dirs, secure_path=[str(usr)], extra=[])
    by_path = {c.path: c for c in found.candidates.values()}
    selected = by_path[str(root / "versions" / "3.12.1" / "bin" / "python3")]
    assert selected.shim == str(root / "shims" / "python3")
    assert selected.found_by == ["PATH", "pyenv"]
    assert "pyenv" in by_path[str(root / "versions" / "3.11.7" / "bin" / "python3")].found_by
    system = [c for c in found.candidates.values() if os.path.realpath(c.path) == str(real)]
    assert len(system) == 1, "python3 and python linking to one binary are one interpreter"
    assert system[0].found_by == ["PATH", "sudo"]


def test_venv_python_is_not_merged_with_its_base(tmp_path: Path) -> None:
    base = exe(tmp_path / "usr" / "bin" / "python3")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(base)
    (venv / "pyvenv.cfg").write_text(f"home = {base.parent}\n")
    assert identity(str(venv / "bin" / "python")) != identity(str(base))
    found = discover({}, "/", str(tmp_path), [str(base.parent)], None, [str(venv / "bin" / "python")])
    ours = [c.path for c in found.candidates.values() if c.path.startswith(str(tmp_path))]
    assert sorted(ours) == sorted([str(base), str(venv / "bin" / "python")])


def test_extra_paths_are_kept_even_when_broken(tmp_path: Path) -> None:
    found = discover({}, "/", str(tmp_path), [], None, [str(tmp_path / "nope")])
    [cand] = [c for c in found.candidates.values() if c.path.startswith(str(tmp_path))]
    assert cand.path == str(tmp_path / "nope") and cand.found_by == ["--python"]


def test_conda_uv_homebrew_layouts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "miniconda3" / "conda-meta").mkdir(parents=True)
    exe(home / "miniconda3" / "bin" / "python3")
    exe(home / "miniconda3" / "envs" / "ds" / "bin" / "python3")
    other = exe(tmp_path / "elsewhere" / "env1" / "bin" / "python3")
    (home / ".conda").mkdir()
    (home / ".conda" / "environments.txt").write_text(f"{other.parent.parent}\n")
    found = conda_interpreters(str(home), {})
    assert str(home / "miniconda3" / "bin" / "python3") in found
    assert str(home / "miniconda3" / "envs" / "ds" / "bin" / "python3") in found
    assert str(other) in found

    uv_root = home / ".local" / "share" / "uv" / "python"
    exe(uv_root / "cpython-3.12.7-linux-x86_64-gnu" / "bin" / "python3")
    assert uv_interpreters(str(home), {}) == [str(uv_root / "cpython-3.12.7-linux-x86_64-gnu" / "bin" / "python3")]
    assert uv_interpreters(str(home), {"UV_PYTHON_INSTALL_DIR": str(tmp_path / "none")}) == []

    brew = tmp_path / "linuxbrew"
    (brew / "Cellar").mkdir(parents=True)
    exe(brew / "bin" / "python3")
    exe(brew / "opt" / "python@3.12" / "bin" / "python3")
    found = homebrew_interpreters(str(home), {"HOMEBREW_PREFIX": str(brew)})
    assert found == [str(brew / "bin" / "python3"), str(brew / "opt" / "python@3.12" / "bin" / "python3")]


def test_which_all_skips_relative_and_non_executables(tmp_path: Path) -> None:
    exe(tmp_path / "a" / "tool")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "tool").write_text("not executable")
    assert which_all("tool", ["relative", str(tmp_path / "b"), str(tmp_path / "a")]) == [str(tmp_path / "a" / "tool")]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("#!/usr/bin/python3\nimport sys\n", "/usr/bin/python3"),
        ("#!/bin/sh\n'''exec' \"/very/long/path/bin/python\" \"$0\" \"$@\"\n' '''\n", "/very/long/path/bin/python"),
        ("#!/usr/bin/env python3\n", "ENV"),
        ("no shebang\n", None),
    ],
)
def test_shebang_interpreter(tmp_path: Path, script: str, expected: str | None) -> None:
    py = exe(tmp_path / "bin" / "python3")
    pip = tmp_path / "pip"
    pip.write_text(script)
    want = str(py) if expected == "ENV" else expected
    assert shebang_interpreter(str(pip), [str(py.parent)]) == want


def test_resolve_command_follows_pip_to_its_python(tmp_path: Path) -> None:
    home = tmp_path / "home"
    root = pyenv(home / ".pyenv", ["3.12.1"], "3.12.1")
    found = discover({}, str(tmp_path), str(home), [str(root / "shims")], None, [])
    res = resolve_command("pip", [str(root / "shims")], found)
    assert res.path == str(root / "shims" / "pip")
    assert res.interpreter == str(root / "versions" / "3.12.1" / "bin" / "python3")
    assert res.via and "3.12.1" in res.via
    missing = resolve_command("pip3", [str(root / "shims")], found)
    assert missing.path is None and missing.note == "not found"


def test_real_pyenv_python_is_resolved_through_its_shim() -> None:
    """On this machine: python3 on PATH is pyenv's shim, and detection names the real binary behind it."""
    shims = os.path.expanduser("~/.pyenv/shims")
    if not os.path.isfile(os.path.join(shims, "python3")):
        pytest.skip("pyenv is not installed here")
    if not pyenv_selected_is_installed():
        pytest.skip("pyenv's selected version is not installed on this machine")
    env = {k: v for k, v in os.environ.items() if k != "PYENV_VERSION"}
    env["PATH"] = f"{shims}:/usr/bin:/bin"
    found = discover(env, "/", os.path.expanduser("~"), [shims, "/usr/bin", "/bin"], None, [])
    shimmed = [c for c in found.candidates.values() if c.shim == os.path.join(shims, "python3")]
    assert shimmed, "the shim was resolved"
    assert "/versions/" in shimmed[0].path and os.access(shimmed[0].path, os.X_OK)
    assert not shimmed[0].path.startswith(shims)
    assert sys.executable  # the test ran with a real interpreter


def pyenv_selected_is_installed() -> bool:
    """False when pyenv's global version is not installed (then pyenv itself cannot run python3 either)."""
    import os

    root = os.path.expanduser("~/.pyenv")
    try:
        version = Path(root, "version").read_text().split()[0]
    except (OSError, IndexError):
        return True
    return version == "system" or os.path.exists(os.path.join(root, "versions", version, "bin"))
