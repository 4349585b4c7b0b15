"""`learn`: the overview (table and diagram), each approach and topic in full, paging, unknown names."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rich.console import Console

from wizard import texts
from wizard.render import learn


def text_of(renderable: object, width: int = 100) -> str:
    console = Console(record=True, width=width, no_color=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL
    )


def test_overview_has_the_comparison_and_the_diagram() -> None:
    out = text_of(learn.overview(), width=260)
    for heading in (
        "The four approaches",
        "Install code runs as",
        "Can change what root imports later",
        "Protects the system",
        "Can break the distro",
        "Needs sudo",
        "Under PEP 668",
        "Who can write where",
    ):
        assert heading in out, heading
    for approach in texts.approaches().values():
        assert f"({approach.number}) {approach.id}" in out
        assert approach.row.install_code_runs_as in out
    assert "──▶" in out and "◀──" in out
    for topic in texts.topics():
        assert topic in out


@pytest.mark.parametrize("ident", list(texts.APPROACH_IDS))
def test_each_approach_renders_in_full(ident: str) -> None:
    a = texts.approaches()[ident]
    out = text_of(learn.approach(ident), width=200)
    for risk in a.risks:
        assert risk.title in out
    for benefit in a.benefits:
        assert benefit.title in out
    assert "Check your understanding" in out and a.check.question in out
    assert "Sources" in out and "stackoverflow.com" in out
    for heading in ("How it works", "How the wizard sets it up", "How to undo it"):
        assert heading in out
    if a.views:
        assert "Where the sources disagree" in out


@pytest.mark.parametrize("ident", sorted(texts.topics()))
def test_each_topic_renders(ident: str) -> None:
    out = text_of(learn.topic(ident))
    assert texts.topics()[ident].summary.split()[0] in out
    assert "Sources" in out


def test_learn_command() -> None:
    overview = cli("learn")
    assert overview.returncode == 0 and "The four approaches" in overview.stdout
    one = cli("learn", "pip-user", "--no-pager")
    assert one.returncode == 0 and "The pip user can still change code that root runs" in one.stdout
    topic = cli("learn", "pep-668")
    assert topic.returncode == 0 and "EXTERNALLY-MANAGED" in topic.stdout


def test_unknown_name_suggests_one() -> None:
    out = cli("learn", "virtualenvs")
    assert out.returncode == 2
    assert "there is no approach or topic called 'virtualenvs'; did you mean 'virtualenv'?" in out.stderr
    assert "choose one of" in out.stderr


def test_long_text_is_paged_on_a_terminal(tmp_path: object) -> None:
    """In a real terminal (tmux) a long explanation goes through the pager; --no-pager prints it all."""
    import shutil
    import time

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = f"learn-{os.getpid()}"
    cmd = f"{sys.executable} -m wizard learn sudo-pip"
    env = ["-e", "PAGER=less", "-e", "LESS=", "-e", "NO_COLOR=1"]
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", *env, cmd], check=True)
    try:
        screen = ""
        for _ in range(50):
            time.sleep(0.1)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if "Run sudo pip for everything" in screen:
                break
        assert "Run sudo pip for everything" in screen
        assert "Sources" not in screen, "only the first page is shown"
        alive = subprocess.run(["tmux", "has-session", "-t", session], capture_output=True)
        assert alive.returncode == 0, "the pager waits for the reader"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
