"""The installed `pip-setup-wizard` in a real terminal (tmux): it starts full screen, walks to the Preview and quits.

The Preview is a dry run; the test never presses Proceed. The wizard's own files (probe cache, state) go to a
temporary directory through PIP_SETUP_WIZARD_HOME, so nothing is written under /root.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.harness.tmux import Tmux

pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI apt-installs it)"),
]

WIZARD = Path(sys.executable).with_name("pip-setup-wizard")
STEPS = ["Your machine", "The four approaches", "Which fits you", "Customize", "Preview"]


def test_walks_to_the_preview_and_quits(tmp_path: Path) -> None:
    if not WIZARD.exists():
        pytest.skip(f"{WIZARD} is not installed (pip install -e .)")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "PIP_SETUP_WIZARD_HOME": str(tmp_path / "wizard"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LANG": "C.UTF-8",
    }
    term = Tmux(100, 32, env)
    try:
        term.start([str(WIZARD)])
        term.wait_text("How should pip install packages on this machine?", "Step 1 of 8: Welcome", timeout=15)
        for number, title in enumerate(STEPS, 2):
            term.send("n")
            term.wait_text(f"Step {number} of 8: {title}", timeout=10, interval=0.05)
        screen = term.wait_text("Plan:", timeout=30, interval=0.05)
        assert "Plan: " in screen
        assert "/usr/bin/python3" in screen or "nothing has been changed yet" in screen, screen
        assert term.exit_status() is None, "the wizard ended before it was told to quit"

        term.send("q")
        assert term.wait_exit(timeout=10) == 0, term.screen()
    finally:
        term.close()
