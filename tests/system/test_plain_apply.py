"""The plain mode (`--plain`) for real, in the sandbox: set up virtualenv through its prompts, then undo it from the
welcome step of a second run, back to the exact snapshot.

questionary needs a terminal or a prompt_toolkit input, so a small driver runs ``wizard.plain.flow.run`` inside
the sandbox with the keys in a pipe input: as `sudo pip-setup-wizard --plain` by alice (root, SUDO_USER=alice).
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.harness.sandbox import Result, Sandbox
from tests.system.engine import PY, prepare, same, snap

pytestmark = pytest.mark.system

ENTER, DOWN = "\r", "\x1b[B"
VENV = "/home/alice/.venvs/default"
ANSWERS = ["--shared", "no", "--system-wide", "no", "--experimental", "yes", "--kind", "libraries", "--sudo", "yes"]
DRIVER = """
import sys
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from wizard.cli import build_parser
from wizard.plain.flow import run

args = build_parser().parse_args(sys.argv[2:])
with create_pipe_input() as pipe:
    pipe.send_text(sys.argv[1])
    pipe.close()  # a question the keys do not answer fails at once instead of waiting
    sys.exit(run(args, input=pipe, output=DummyOutput()))
"""


def plain(box: Sandbox, keys: str, *flags: str) -> Result:
    env = {"SUDO_USER": "alice", "COLUMNS": "140", "NO_COLOR": "1"}
    result = box.run([sys.executable, "-c", DRIVER, keys, "--plain", *flags], env=env, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def owner(box: Sandbox, path: str) -> str:
    return box.run(["stat", "-c", "%U:%G", path]).stdout.strip()


def test_plain_sets_up_virtualenv_and_undoes_it(sandbox: Sandbox) -> None:
    prepare(sandbox)
    uv = os.path.exists(os.path.join(os.path.dirname(sys.executable), "uv"))  # as prepare() copies it
    before = snap(sandbox)

    # The questions answered by flags; the approach and its options through the prompts, then Proceed.
    keys = (
        ENTER  # where should the virtualenv go: the suggested ~/.venvs/default
        + DOWN
        + ENTER  # use it from your shell: put its commands on PATH
        + "y"  # make pip refuse to install outside a virtualenv
        + ENTER  # only-binary: no
        + ENTER  # What now? Proceed
    )
    flags = [*ANSWERS, "--approach", "virtualenv", "--python", PY, "--uv" if uv else "--no-uv"]
    applied = plain(sandbox, keys, *flags)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    for text in ("Step 6 of 8: Preview", "nothing has been changed yet", "Step 7 of 8: Apply", "[1/"):
        assert text in applied.stdout, text
    assert "Step 8 of 8: Done" in applied.stdout and "Done: virtualenv is set up" in applied.stdout
    assert "Undo it with: sudo pip-setup-wizard undo" in applied.stdout and "Open a new terminal" in applied.stdout
    assert owner(sandbox, VENV) == "alice:alice", "the venv belongs to alice, not to root"
    pip = sandbox.run([f"{VENV}/bin/python", "-m", "pip", "--version"], user="alice")
    assert pip.returncode == 0 and VENV in pip.stdout
    assert "pip-setup-wizard >>>" in sandbox.run(["cat", "/home/alice/.bashrc"]).stdout
    conf = "/home/alice/.config/pip/pip.conf"
    assert "require-virtualenv = true" in sandbox.run(["cat", conf]).stdout and owner(sandbox, conf) == "alice:alice"

    # A second run finds it in the journal and offers it at the welcome: Undo, confirmed.
    undone = plain(sandbox, DOWN * 2 + ENTER + "y", *ANSWERS)
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert "You are on approach virtualenv for /usr/bin/python3" in undone.stdout
    assert "Undone: virtualenv is no longer set up" in undone.stdout
    same(before, snap(sandbox))


def test_plain_without_a_terminal_or_sudo_rights_changes_nothing(sandbox: Sandbox) -> None:
    """alice, in a script, every answer a flag: the root part would need a sudo password nobody can type."""
    prepare(sandbox)
    before = snap(sandbox)
    flags = ["--approach", "sudo-pip", "--python", PY, "--only-binary", "--no-break-system-packages", "--yes"]
    env = {"PYTHONPATH": sandbox.python_path_for_users(), "NO_COLOR": "1", "COLUMNS": "140"}
    result = sandbox.run([PY, "-m", "wizard", "--plain", *flags], user="alice", env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nothing has been changed yet" in result.stdout, "the preview is shown first"
    assert "needs root" in result.stderr and "sudo " in result.stderr and "Traceback" not in result.stderr
    after = snap(sandbox)
    own_files = ("/home/alice/.cache",)  # the wizard's own probe cache, written by detect as alice
    for snapshot in (before, after):
        snapshot["files"] = {k: v for k, v in snapshot["files"].items() if not k.startswith(own_files)}
    same(before, after)
