"""The probe, run for real inside every interpreter this machine has (2.7 and 3.6 included)."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard import proc
from wizard.detect.interp import interpret, precheck, probe_source, start_probe

PYENV = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
INTERPRETERS = sorted(
    {p for p in glob.glob(f"{PYENV}/versions/*/bin/python") if os.access(p, os.X_OK)}
    | {p for p in ("/usr/bin/python3", sys.executable) if os.access(p, os.X_OK)}
)


def run_probe(python: str) -> dict:
    result = start_probe(python, timeout=20).result()
    answer, error, _hint = interpret(result, 20)
    assert error is None or "too old" in error, (error, result.stderr)
    assert answer is not None
    return answer


@pytest.mark.parametrize("python", INTERPRETERS)
def test_probe_answers_on_every_interpreter(python: str) -> None:
    answer = run_probe(python)
    version = tuple(answer["version_info"])
    if version < (3, 6):
        assert answer["unsupported"] is True
        return
    assert answer["paths"]["purelib"]
    assert answer["scheme"]
    assert isinstance(answer["site_packages"], list)
    assert answer["sys_path"], "the base sys.path (stdlib) is reported"
    assert all(p for p in answer["sys_path"]), "the -c script's own '' entry is dropped"
    assert answer["enable_user_site"] in (True, False, None)


def test_python2_is_reported_unsupported() -> None:
    py2 = next((p for p in INTERPRETERS if "/2." in p), None)
    if py2 is None:
        pytest.skip("no Python 2 interpreter here")
    answer = run_probe(py2)
    assert answer["version"].startswith("2.7") and answer["unsupported"] is True


def test_debian_python_answers_like_debian() -> None:
    if not os.path.isfile("/usr/lib/python3.11/EXTERNALLY-MANAGED"):
        pytest.skip("needs Debian 12's python3")
    answer = run_probe("/usr/bin/python3")
    assert answer["scheme"] == "posix_local"
    assert answer["paths"]["purelib"] == "/usr/local/lib/python3.11/dist-packages"
    assert "/usr/lib/python3/dist-packages" in answer["site_packages"]


def test_probe_runs_no_site_code(tmp_path: Path) -> None:
    """A venv whose site-packages holds a .pth that would leave a file behind: probing it leaves nothing."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    proof = tmp_path / "ran"
    (site / "zz.pth").write_text(f"import os; open({str(proof)!r}, 'w').close()\n")
    (site / "sitecustomize.py").write_text(f"open({str(proof)!r} + '2', 'w').close()\n")
    answer = run_probe(str(venv / "bin" / "python"))
    assert answer["venv"]["cfg"] == str(venv / "pyvenv.cfg")
    assert answer["prefix"] == str(venv)
    assert not proof.exists() and not Path(str(proof) + "2").exists()
    # Control: a normal start runs both (unless the interpreter's standard library ships its own
    # sitecustomize, as Debian's does, which then shadows the one in site-packages).
    subprocess.run([str(venv / "bin" / "python"), "-c", "pass"], check=True)
    assert proof.exists()
    stdlib = subprocess.run(
        [str(venv / "bin" / "python"), "-S", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not (Path(stdlib) / "sitecustomize.py").exists():
        assert Path(str(proof) + "2").exists()


def test_probe_ignores_the_working_directory_and_pythonpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "json.py").write_text("raise SystemExit('shadowed json imported')\n")
    (tmp_path / "sysconfig.py").write_text("raise SystemExit('shadowed sysconfig imported')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("PYTHONSTARTUP", str(tmp_path / "json.py"))
    result = start_probe(sys.executable, timeout=20).result()
    assert result.ok, result.stderr
    assert json.loads(result.stdout)["probe"]
    # Control: without the probe's isolation the shadowing module wins.
    shadowed = proc.run([sys.executable, "-c", "import json"], timeout=20)
    assert "shadowed json imported" in shadowed.stderr


def test_probe_source_parses_on_python_2() -> None:
    compile(probe_source(), "probe.py", "exec")  # this interpreter
    py2 = next((p for p in INTERPRETERS if "/2." in p), None)
    if py2 is not None:
        subprocess.run(
            [py2, "-c", "import sys; compile(sys.stdin.read(), 'probe', 'exec')"],
            input=probe_source(),
            text=True,
            check=True,
        )


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: str(d / "missing"), "no such file"),
        (lambda d: str(d), "is a directory"),
        (lambda d: _file(d / "plain.txt", "hello", 0o644), "is not executable"),
        (lambda d: _link(d / "dangling", d / "nowhere"), "broken symbolic link"),
        (lambda d: str(d / "bad\nname"), "newline"),
    ],
)
def test_precheck(tmp_path: Path, make: object, expected: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    problem = precheck(path)
    assert problem is not None and expected in problem[0]
    assert problem[1], "every refusal comes with a hint"


def _file(path: Path, text: str, mode: int) -> str:
    path.write_text(text)
    path.chmod(mode)
    return str(path)


def _link(path: Path, target: Path) -> str:
    path.symlink_to(target)
    return str(path)


def test_interpret_not_python_and_timeout(tmp_path: Path) -> None:
    answer, error, hint = interpret(proc.run(["/bin/echo", "hello"], timeout=5), 5)
    assert answer is None and error and "does not answer like a Python interpreter" in error and "hello" in error
    assert hint and "--python" in hint
    hang = _file(tmp_path / "hang", "#!/bin/sh\nsleep 60\n", 0o755)
    result = proc.run([hang], timeout=0.5)
    assert result.timed_out and result.seconds < 5
    _answer, error, _hint = interpret(result, 0.5)
    assert error == "did not answer within 0.5 s and was stopped"
