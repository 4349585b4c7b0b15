"""The command line, run as a real subprocess: help, versions, unavailable commands, bad input, exit codes."""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures import machines as m
from wizard.doctor import report_for

COMMANDS = ("detect", "learn", "recommend", "plan", "apply", "status", "undo", "recover", "export", "demo")
NOT_YET: tuple[str, ...] = ()


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_help_lists_every_command_approach_and_exit_code() -> None:
    out = cli("--help")
    assert out.returncode == 0
    for command in COMMANDS:
        assert f"\n    {command}" in out.stdout, command
    for approach in ("sudo-pip", "pip-user", "own-site", "virtualenv"):
        assert approach in out.stdout
    for code in ("130", "  3 ", "  2 "):
        assert code in out.stdout
    assert "NO_COLOR" in out.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_described_options(command: str) -> None:
    args = [command, "--help"]
    out = cli(*args)
    assert out.returncode == 0, out.stderr
    assert "options:" in out.stdout
    lines = [line for line in out.stdout.splitlines() if line.strip().startswith("--")]
    assert lines, "every command has options"
    if command in NOT_YET:
        assert "(not available yet)" in out.stdout


def test_plan_and_apply_options_cover_the_spec() -> None:
    out = cli("plan", "--help").stdout
    for option in (
        "--python",
        "--user",
        "--owner",
        "--venv",
        "--shell-rc",
        "--require-virtualenv",
        "--no-require-virtualenv",
        "--only-binary",
        "--json",
        "--out",
    ):
        assert option in out, option
    assert "--yes" in cli("apply", "--help").stdout and "--plan" in cli("apply", "--help").stdout


def test_unbuilt_commands_say_so_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command is built now; one listed but not built would say so (checked with export taken out)."""
    from wizard import cli

    assert set(COMMANDS) <= cli.AVAILABLE
    monkeypatch.setattr(cli, "AVAILABLE", cli.AVAILABLE - {"export"})
    assert cli.main(["export", "virtualenv", "--format", "shell"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "not available yet" in lines[0]


def test_export_bad_inputs_name_the_input_and_a_fix(tmp_path: Path) -> None:
    approach = cli("export", "yolo", "--format", "shell")
    assert approach.returncode == 2 and "'yolo'" in approach.stderr and "virtualenv" in approach.stderr
    fmt = cli("export", "virtualenv", "--format", "puppet")
    assert fmt.returncode == 2 and "'puppet'" in fmt.stderr and "ansible" in fmt.stderr
    missing = cli("export", "virtualenv", "--format", "shell", "--out", str(tmp_path / "nope" / "v.sh"))
    assert missing.returncode == 1 and f"{tmp_path / 'nope'} does not exist" in missing.stderr
    assert "hint: create the folder first" in missing.stderr and missing.stdout == ""
    folder = cli("export", "virtualenv", "--format", "ansible", "--out", str(tmp_path))
    assert folder.returncode == 1 and f"--out {tmp_path} is a directory" in folder.stderr
    assert "hint: name a file" in folder.stderr
    assert os.listdir(tmp_path) == [], "nothing was written"
    assert "Traceback" not in approach.stderr + missing.stderr + folder.stderr
    if not os.path.exists("/usr/bin/python3"):
        pytest.skip("the name check needs a system python3 to plan for")
    name = cli("export", "pip-user", "--user", "Pip User", "--format", "shell", "--python", "/usr/bin/python3")
    assert name.returncode == 1 and "'Pip User'" in name.stderr and "hint: choose a name" in name.stderr, name.stderr
    assert name.stdout == ""


def test_version_and_usage_errors() -> None:
    out = cli("--version")
    assert out.returncode == 0 and out.stdout.startswith("pip-setup-wizard ")
    bad = cli("plan", "yolo")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    assert cli("detect", "--timeout", "0").returncode == 2


def test_no_arguments_without_a_terminal_points_elsewhere() -> None:
    out = cli()
    assert out.returncode == 2
    assert "detect" in out.stderr and "terminal" in out.stderr and "Traceback" not in out.stderr
    assert "--plain" in out.stderr


def test_detect_json_schema() -> None:
    out = cli("detect", "--json", "--no-cache")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema"] == 1
    assert set(data) == {"schema", "tool", "summary", "machine", "interpreters", "sudo_lens", "findings", "paths"}
    assert data["summary"]["interpreters"] == len(data["interpreters"]) >= 1
    for interp in data["interpreters"]:
        assert {"path", "status", "found_by", "approach", "used_by_root", "roles"} <= set(interp)
    for finding in data["findings"]:
        assert finding["severity"] in ("danger", "warning", "info")
        assert finding["id"] and finding["title"] and finding["why"]


def test_detect_human_report_summary_first_and_no_color() -> None:
    out = cli("detect", "--no-cache", env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()[:2]
    assert first.startswith("pip-setup-wizard doctor")
    assert "interpreter" in second and "warning" in second
    assert "\x1b[" not in out.stdout
    for heading in ("Interpreters", "Findings", "The sudo lens"):
        assert heading in out.stdout


def test_no_color_is_honoured_even_when_colour_is_forced() -> None:
    colour = re.compile(r"\x1b\[[0-9;]*(3[0-9]|38;|9[0-7])[0-9;]*m")
    forced = cli("detect", env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    assert colour.search(forced.stdout), "colour is on when forced (so the next check means something)"
    plain = cli("detect", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    assert not colour.search(plain.stdout)
    flag = cli("detect", "--no-color", env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    assert not colour.search(flag.stdout)


def write(path: Path, text: str, mode: int = 0o755) -> str:
    path.write_text(text)
    path.chmod(mode)
    return str(path)


def test_bad_python_inputs_are_reported_per_interpreter(tmp_path: Path) -> None:
    py2 = next(iter(sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/2.*/bin/python")))), None)
    hang = write(tmp_path / "hang", "#!/bin/sh\nsleep 60\n")
    args = [
        "detect",
        "--json",
        "--no-cache",
        "--timeout",
        "1",
        "--python",
        str(tmp_path / "missing"),
        "--python",
        "/bin/true",
        "--python",
        write(tmp_path / "notes.txt", "hello", 0o644),
        "--python",
        hang,
        "--python",
        sys.executable,
    ]
    if py2:
        args += ["--python", py2]
    started = time.monotonic()
    out = cli(*args)
    assert time.monotonic() - started < 30
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    data = json.loads(out.stdout)
    by_path = {i["path"]: i for i in data["interpreters"]}
    assert by_path[str(tmp_path / "missing")]["error"] == "no such file"
    assert "does not answer like a Python interpreter" in by_path["/bin/true"]["error"]
    assert by_path[str(tmp_path / "notes.txt")]["error"] == "is not executable"
    assert by_path[hang]["error"] == "did not answer within 1 s and was stopped"
    if py2:
        assert by_path[py2]["status"] == "unsupported" and "too old" in by_path[py2]["error"]
    assert any(i["status"] == "ok" for i in data["interpreters"]), "the rest is still reported"
    errors = [f for f in data["findings"] if f["id"] in ("interpreter-error", "interpreter-unsupported")]
    assert all(f["severity"] == "warning" and f["fix"]["text"] for f in errors)


def test_bad_python_inputs_in_the_human_report(tmp_path: Path) -> None:
    out = cli("detect", "--no-cache", "--python", str(tmp_path / "missing"), env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert f"{tmp_path / 'missing'} could not be inspected: no such file" in out.stdout


def test_from_json_round_trip_and_errors(tmp_path: Path) -> None:
    saved = tmp_path / "report.json"
    saved.write_text(json.dumps(report_for(m.debian_own_site()).to_dict()))
    out = cli("detect", "--from-json", str(saved), "--fail-on", "danger", env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert out.returncode == 3
    assert "alice" in out.stdout and "own-site" in out.stdout
    assert cli("detect", "--from-json", str(saved), "--fail-on", "danger", "--json").returncode == 3
    (tmp_path / "bad.json").write_text("{}")
    bad = cli("detect", "--from-json", str(tmp_path / "bad.json"))
    assert bad.returncode == 1
    assert "is not a report saved with" in bad.stderr and "hint:" in bad.stderr
    missing = cli("detect", "--from-json", str(tmp_path / "nope.json"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_fail_on_passes_when_clean(tmp_path: Path) -> None:
    saved = tmp_path / "report.json"
    saved.write_text(json.dumps(report_for(m.debian_none()).to_dict()))
    assert cli("detect", "--from-json", str(saved), "--fail-on", "warning").returncode == 0
