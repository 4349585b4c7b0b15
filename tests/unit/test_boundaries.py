"""The core never imports a user-interface library; `detect --json` stays light (STYLE.md's boundary as a test)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import wizard

UI = ("textual", "rich", "questionary", "prompt_toolkit")
FRONT_ENDS = ("wizard.cli", "wizard.commands", "wizard.render", "wizard.tui", "wizard.plain", "wizard.__main__")
CORE = sorted(
    name for _finder, name, _pkg in pkgutil.walk_packages(wizard.__path__, "wizard.") if not name.startswith(FRONT_ENDS)
)


def loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_there_are_core_modules() -> None:
    assert {"wizard.model", "wizard.detect", "wizard.diagnose", "wizard.doctor", "wizard.proc"} <= set(CORE)


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_ui_library(module: str) -> None:
    modules = loaded_after(f"import {module}")
    leaked = [m for m in modules if m.split(".")[0] in UI]
    assert not leaked, f"{module} pulled in {leaked[:5]}"


def test_detect_json_loads_neither_textual_nor_questionary_nor_rich() -> None:
    code = (
        "import sys, io, contextlib\nfrom wizard.cli import main\nbuf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n    rc = main(['detect', '--json'])\nassert rc == 0\n"
    )
    modules = loaded_after(code)
    assert not [m for m in modules if m.split(".")[0] in UI]
    assert "typing" not in modules or sys.version_info >= (3, 13), "typing is kept off the hot path"


@pytest.mark.parametrize("extra", [["--json"], []], ids=["json", "people"])
def test_plan_loads_no_ui_library(extra: list[str]) -> None:
    """`plan` (a dry run: nothing changes) loads no UI library: `--json` draws nothing, and the preview for people
    is styled lines drawn by wizard.render.lines, so planning costs little more than detecting."""
    code = (
        "import sys, io, contextlib\nfrom wizard.cli import main\nbuf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        f"    rc = main(['plan', 'virtualenv', '--python', '/usr/bin/python3', *{extra!r}])\n"
        "assert rc == 0, rc\nassert 'virtualenv' in buf.getvalue()\n"
    )
    if not Path("/usr/bin/python3").exists():
        pytest.skip("needs /usr/bin/python3")
    modules = loaded_after(code)
    assert not [m for m in modules if m.split(".")[0] in UI]


def test_version_imports_almost_nothing() -> None:
    modules = loaded_after(
        "from wizard.cli import main\nimport io, contextlib\nwith contextlib.redirect_stdout("
        "io.StringIO()):\n    main(['--version'])"
    )
    assert "argparse" not in modules and "wizard.detect" not in modules


def test_import_linter_contract() -> None:
    root = Path(__file__).resolve().parents[2]
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed")
    out = subprocess.run([str(lint)], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "KEPT" in out.stdout
