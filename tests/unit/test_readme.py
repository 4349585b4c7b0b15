"""The README's commands are the ones CI runs, and it documents what the code does."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(), flags=re.S)


def test_two_setup_commands_and_ci_runs_the_test_one() -> None:
    blocks = shell_blocks()
    assert len(blocks) == 2, "the README's set-up is exactly two commands"
    install, test = blocks
    assert "pip-setup-wizard" in install and "venv" in install
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text()
    assert test.strip() in ci.splitlines(), ".ci/run must run exactly the README's test command"


def test_every_finding_id_is_documented() -> None:
    from wizard.diagnose.findings import FINDING_IDS

    readme = (ROOT / "README.md").read_text()
    missing = sorted(i for i in FINDING_IDS if f"`{i}`" not in readme)
    assert not missing, missing
