"""The wheel carries the content and the probe, and an installed copy works on its own."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        import hatchling  # noqa: F401
    except ImportError:
        pytest.skip("hatchling is not installed (it comes with the test extra)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("pip_setup_wizard-*.whl")
    return built


def test_wheel_contains_content_and_probe(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "wizard/content/sources.toml" in names
    for approach in ("sudo-pip", "pip-user", "own-site", "virtualenv"):
        assert f"wizard/content/approaches/{approach}.md" in names
    assert "wizard/content/topics/pep-668.md" in names
    assert "wizard/detect/probe.py" in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_copy_runs_and_finds_its_content(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = next((venv / "lib").glob("python3*/site-packages"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    py = str(venv / "bin" / "python")
    version = subprocess.run([py, "-m", "wizard", "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("pip-setup-wizard ")
    code = (
        "from wizard import texts; print(texts.content_dir()); print(texts.cite_label('pep-668')); "
        "print(len(texts.approaches()), len(texts.topics()))"
    )
    out = subprocess.run([py, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    content_dir, label, counts = out.stdout.splitlines()
    assert content_dir == str(target / "wizard" / "content")
    assert "PEP 668" in label
    assert counts == f"4 {len(list((ROOT / 'content' / 'topics').glob('*.md')))}"
    report = subprocess.run(
        [py, "-m", "wizard", "detect", "--json", "--no-cache"], capture_output=True, text=True, cwd=tmp_path
    )
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["schema"] == 1
