"""The recommendation: table-driven over every class of answers and machine states; answers from files, flags
and prompts (prompt_toolkit pipe input, and a real terminal in tmux)."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures import machines as m
from wizard import texts
from wizard.doctor import report_for
from wizard.recommend import (
    QUESTIONS,
    Answers,
    AnswersError,
    Facts,
    answers_from,
    load_answers_file,
    recommend,
)

ALL_ANSWERS = [
    Answers(shared, system_wide, experimental, kind, sudo)
    for shared, system_wide, experimental, kind, sudo in itertools.product(
        (False, True), (False, True), (False, True), ("libraries", "apps", "both"), (False, True)
    )
]
ALL_FACTS = [
    Facts(marker, venv_ready, pipx, uv, in_effect, pm)
    for marker, venv_ready, (pipx, uv), in_effect, pm in itertools.product(
        (False, True),
        (False, True),
        ((False, False), (True, False), (False, True)),
        (None, "none", "sudo-pip", "pip-user", "own-site", "mixed", "virtualenv"),
        ("apt", "dnf", None),
    )
]
CONTENT_IDS = {item.id for a in texts.approaches().values() for item in (*a.risks, *a.benefits, *a.views)}


def test_properties_over_every_class_of_answers_and_machines() -> None:
    checked = 0
    for answers in ALL_ANSWERS:
        for facts in ALL_FACTS:
            rec = recommend(answers, facts)
            assert rec == recommend(answers, facts), "deterministic"
            assert "own-site" not in (rec.approach, rec.runner_up)
            assert rec.approach in texts.APPROACH_IDS and rec.reasons
            assert rec.runner_up is None or rec.runner_up_reasons
            assert rec.links() <= CONTENT_IDS, rec.links() - CONTENT_IDS
            tools = {a.tool for a in rec.alternatives}
            if answers.kind in ("apps", "both"):
                assert tools & {"pipx", "uv tool"}, "applications: pipx or uv tool is always named"
            if answers.system_wide:
                assert "package manager" in tools
            if not answers.sudo:
                assert (rec.approach, rec.runner_up) == ("virtualenv", None)
            if answers.shared:
                assert rec.runner_up != "sudo-pip" or not answers.system_wide
            checked += 1
    assert checked == len(ALL_ANSWERS) * len(ALL_FACTS) == 48 * 252


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # shared, system-wide, experimental, kind, sudo  ->  approach, runner-up
        (Answers(False, False, True, "libraries", True), ("virtualenv", "pip-user")),
        (Answers(False, False, False, "both", False), ("virtualenv", None)),
        (Answers(False, True, False, "libraries", True), ("pip-user", "sudo-pip")),
        (Answers(True, True, False, "libraries", True), ("pip-user", "virtualenv")),
        (Answers(False, True, True, "both", True), ("virtualenv", "pip-user")),
        (Answers(True, True, True, "apps", False), ("virtualenv", None)),
    ],
)
def test_table(answers: Answers, expected: tuple[str, str | None]) -> None:
    rec = recommend(answers, Facts(marker=True))
    assert (rec.approach, rec.runner_up) == expected


def test_machine_state_changes_the_reasons() -> None:
    answers = Answers(False, False, True, "libraries", True)
    own = recommend(answers, Facts(in_effect="own-site"))
    assert own.reasons[0].links == ("anything-you-run-reaches-root",)
    assert "own the system's site-packages" in own.reasons[0].text
    no_venv = recommend(answers, Facts(venv_ready=False, uv=True))
    assert any("venv-tooling" in r.links and "uv" in r.text for r in no_venv.reasons)
    marked = recommend(answers, Facts(marker=True))
    assert any("PEP 668" in r.text for r in marked.reasons)


def test_alternatives_name_the_right_tools() -> None:
    apps = Answers(False, True, True, "apps", True)
    alts = {a.tool: a for a in recommend(apps, Facts(package_manager="apt")).alternatives}
    assert alts["package manager"].command == "sudo apt install python3-NAME"
    assert "sudo apt install pipx" in alts["pipx"].text
    with_uv = {a.tool for a in recommend(apps, Facts(uv=True, package_manager="dnf")).alternatives}
    assert "uv tool" in with_uv


def test_facts_from_detection() -> None:
    report = report_for(m.debian_own_site())
    facts = Facts.from_state(report.state, report.diagnosis)
    assert facts.marker and facts.in_effect == "own-site" and facts.package_manager == "apt"
    assert facts.venv_ready and not facts.pipx


def test_answers_parsing() -> None:
    good = {"shared": "no", "system_wide": False, "experimental": "Yes", "kind": "apps", "sudo": True}
    assert answers_from(good, "x") == Answers(False, False, True, "apps", True)
    with pytest.raises(AnswersError, match="unknown question 'colour'") as err:
        answers_from({**good, "colour": "blue"}, "answers.toml")
    assert "answers.toml" in err.value.message and "shared" in (err.value.hint or "")
    with pytest.raises(AnswersError, match="kind = 'scripts' is not a valid answer") as err:
        answers_from({**good, "kind": "scripts"}, "x")
    assert err.value.hint == "kind takes one of: libraries, apps, both"
    with pytest.raises(AnswersError, match="no answer for sudo"):
        answers_from({k: v for k, v in good.items() if k != "sudo"}, "x")
    assert answers_from({"kind": "apps"}, "x", Facts().default_answers()).kind == "apps"


def test_answers_files(tmp_path: Path) -> None:
    toml = tmp_path / "a.toml"
    toml.write_text('shared = false\nsystem_wide = true\nexperimental = false\nkind = "libraries"\nsudo = true\n')
    assert load_answers_file(str(toml))["system_wide"] is True
    js = tmp_path / "a.json"
    js.write_text(json.dumps({"kind": "apps"}))
    assert load_answers_file(str(js)) == {"kind": "apps"}
    bad = tmp_path / "bad.toml"
    bad.write_text("shared = = no\n")
    with pytest.raises(AnswersError, match="neither valid JSON nor valid TOML"):
        load_answers_file(str(bad))


def cli(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, **kw
    )  # type: ignore[call-overload]


def test_recommend_command_with_a_file_and_flags(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('shared = false\nsystem_wide = true\nexperimental = false\nkind = "both"\nsudo = true\n')
    out = cli("recommend", "--answers", str(answers), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema"] == 1 and data["recommendation"]["approach"] == "pip-user"
    assert data["answers"]["system_wide"] is True
    flags = cli("recommend", "--answers", str(answers), "--system-wide", "no", "--json")
    assert json.loads(flags.stdout)["recommendation"]["approach"] == "virtualenv", "flags override the file"
    human = cli("recommend", "--answers", str(answers))
    assert "Recommended: (2) pip-user" in human.stdout and "Runner-up: (1) sudo-pip" in human.stdout


def test_recommend_command_refuses_without_answers_or_terminal(tmp_path: Path) -> None:
    out = cli("recommend", "--kind", "apps")
    assert out.returncode == 2
    assert "recommend needs answers for: shared, system_wide, experimental, sudo" in out.stderr
    assert "--defaults" in out.stderr
    assert cli("recommend", "--defaults", "--kind", "apps").returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "scripts"}')
    err = cli("recommend", "--answers", str(bad))
    assert err.returncode == 1 and "kind = 'scripts' is not a valid answer" in err.stderr
    missing = cli("recommend", "--answers", str(tmp_path / "none.toml"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_questionnaire_through_prompt_toolkit_pipe_input() -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from wizard.plain.questionnaire import ask

    with create_pipe_input() as pipe:
        # shared: Enter (default "no"); system_wide: Down+Enter ("yes"); experimental: Down+Enter ("no");
        # kind is given; sudo: Enter (default "yes")
        pipe.send_text("\r" + "\x1b[B\r" + "\x1b[B\r" + "\r")
        answers = ask({"kind": "libraries"}, Facts().default_answers(), input=pipe, output=DummyOutput())
    assert answers_from(answers, "prompts") == Answers(False, True, False, "libraries", True)
    assert len(QUESTIONS) == 5


def test_questionnaire_ctrl_c_raises() -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from wizard.plain.questionnaire import ask

    with create_pipe_input() as pipe, pytest.raises(KeyboardInterrupt):
        pipe.send_text("\x03")
        ask({}, Facts().default_answers(), input=pipe, output=DummyOutput())


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_recommend_asks_in_a_real_terminal() -> None:
    session = f"rec-{os.getpid()}"
    cmd = f"{sys.executable} -m wizard recommend --kind apps; echo EXIT=$?; sleep 20"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "40", "-e", "NO_COLOR=1", cmd], check=True
    )
    try:
        screen = ""
        for _ in range(4):
            for _ in range(60):
                time.sleep(0.1)
                screen = tmux("capture-pane", "-p", "-t", session)
                if "?" in screen:
                    break
            tmux("send-keys", "-t", session, "Enter")
        for _ in range(100):
            time.sleep(0.1)
            screen = tmux("capture-pane", "-p", "-t", session, "-S", "-200")
            if "EXIT=" in screen:
                break
        assert "Does anyone else use this machine?" in screen
        assert "Recommended: (4) virtualenv" in screen
        assert "EXIT=0" in screen
    finally:
        tmux("kill-session", "-t", session)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_ctrl_c_at_a_prompt_cancels_cleanly() -> None:
    session = f"recc-{os.getpid()}"
    cmd = f"{sys.executable} -m wizard recommend; echo EXIT=$?; sleep 20"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", cmd], check=True)
    try:
        screen = ""
        for _ in range(60):
            time.sleep(0.1)
            screen = tmux("capture-pane", "-p", "-t", session)
            if "Does anyone else use this machine?" in screen:
                break
        tmux("send-keys", "-t", session, "C-c")
        for _ in range(50):
            time.sleep(0.1)
            screen = tmux("capture-pane", "-p", "-t", session)
            if "EXIT=" in screen:
                break
        assert "Cancelled. No changes were made." in screen and "EXIT=130" in screen
        assert "Traceback" not in screen
    finally:
        tmux("kill-session", "-t", session)
