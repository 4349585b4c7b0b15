"""The plain mode (`--plain`) end to end through prompt_toolkit pipe input, against fixed machine states.

Each walk goes from Welcome to the Preview and cancels there (or saves the plan): the planner's dry run reads this
machine's real files, so the fixtures are Debian 12 ones whose paths exist here, and nothing is ever written but
the temporary journal store and a saved plan. Applying for real is `tests/system/test_plain_apply.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fixtures import machines as m
from wizard import system
from wizard.cli import build_parser
from wizard.doctor import report_for
from wizard.journal import Store
from wizard.model import MachineState
from wizard.plan import PlanOptions
from wizard.recommend import QUESTIONS
from wizard.session import Session

pytestmark = pytest.mark.skipif(
    not (os.path.exists("/usr/bin/python3") and os.path.isdir(m.DEBIAN_TARGET)),
    reason="the preview reads this machine's Debian 12 paths",
)

ENTER, DOWN, UP, CTRL_C, CLEAR = "\r", "\x1b[B", "\x1b[A", "\x03", "\x15"  # CLEAR: Ctrl-U empties the line
CANCEL = DOWN * 3 + ENTER  # Proceed, Customize, Save, Cancel
SAVE = DOWN * 2 + ENTER
APPROACHES = ("sudo-pip", "pip-user", "own-site", "virtualenv")
ANSWERS = ["--shared", "no", "--system-wide", "no", "--experimental", "yes", "--kind", "libraries", "--sudo", "yes"]
# Every option of every approach, so that only the questions a test is about are asked.
OPTIONS = ["--user", "pipinstall", "--owner", "alice", "--venv", "/home/alice/.venvs/default", "--shell-rc", "none"]
OPTIONS += ["--no-require-virtualenv", "--no-only-binary", "--no-break-system-packages"]
# The fixtures' alice, as this machine's account database would give her: the planner looks the person up for real.
ALICE = system.Account("alice", 4242, 4242, "/home/alice", "/bin/bash", (4242,))


@pytest.fixture(autouse=True)
def alice(monkeypatch: pytest.MonkeyPatch) -> None:
    real = system._lookup
    monkeypatch.setattr(system, "_lookup", lambda name: ALICE if name == "alice" else real(name))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a unit test chose Proceed: applying for real is the system tests' job")

    monkeypatch.setattr(Session, "sudo_command", refuse)
    monkeypatch.setattr(Session, "apply", refuse)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The questions the flow asked, in order (every prompt goes through questionary's three functions)."""
    import questionary

    seen: list[str] = []
    for name in ("select", "confirm", "text"):
        real = getattr(questionary, name)

        def recording(message: str, *a: object, _real: Callable[..., object] = real, **kw: object) -> object:
            seen.append(message)
            return _real(message, *a, **kw)

        monkeypatch.setattr(questionary, name, recording)
    yield seen


def session_for(state: MachineState, tmp_path: Path) -> Session:
    return Session(detector=lambda: report_for(state), store=Store(root=str(tmp_path / "store")))


def walk(session: Session, keys: str, *flags: str) -> int:
    """Runs the flow with ``flags`` on the command line and ``keys`` typed; input running out fails the test (the
    pipe is closed, so a question nobody answers raises EOFError instead of waiting)."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from wizard.plain.flow import run

    args = build_parser().parse_args(["--plain", *flags])
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        return run(args, session, input=pipe, output=DummyOutput())


def move(fixture: MachineState, tmp_path: Path, approach: str) -> str:
    """The keys that move the approach menu from the recommended approach (highlighted first) to ``approach``."""
    rec = session_for(fixture, tmp_path / "probe").recommend({}).approach
    steps = APPROACHES.index(approach) - APPROACHES.index(rec)
    return (DOWN if steps > 0 else UP) * abs(steps)


# Per approach: a fixture, the keys for its Customize questions, and what its preview must show.
WALKS = {
    "sudo-pip": (
        m.debian_own_site,  # alice owns site-packages here: sudo-pip gives it back to root
        "y" + ENTER,  # only-binary: yes (root's pip.conf); PEP 668 override: no
        ["Plan: sudo-pip", "/root/.config/pip/pip.conf", "only-binary"],
    ),
    "pip-user": (
        m.debian_none,
        ENTER * 3,  # user name, only-binary, PEP 668 override
        ["Plan: pip-user", "create the system user pipinstall", "[root]"],
    ),
    "own-site": (
        m.debian_pip_user,
        ENTER * 2,  # owner, PEP 668 override
        ["Plan: own-site", "make alice:alice the owner of", "DANGER"],
    ),
    "virtualenv": (
        m.debian_sudo_pip,
        ENTER + DOWN + ENTER + ENTER + ENTER,  # venv path, shell rc: "path", require-virtualenv, only-binary
        ["Plan: virtualenv", "create the virtualenv /home/alice/.venvs/default", "/home/alice/.bashrc", "PATH="],
    ),
}


@pytest.mark.parametrize("approach", APPROACHES)
def test_every_step_through_prompts_to_the_preview_then_cancel(
    approach: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    fixture, customize, expected = WALKS[approach]
    state = fixture()
    keys = ENTER + ENTER * 5 + move(state, tmp_path, approach) + ENTER + customize + CANCEL
    code = walk(session_for(state, tmp_path), keys)
    out = capsys.readouterr()
    assert code == 0, out.err
    for n, title in enumerate(("Welcome", "Your machine", "The four approaches", "Which fits you"), 1):
        assert f"Step {n} of 8: {title}" in out.out
    assert "pip-setup-wizard doctor" in out.out, "the machine report"
    assert "Recommended:" in out.out
    for text in expected:
        assert text in out.out, text
    assert "nothing has been changed yet" in out.out
    assert "Cancelled: nothing was changed." in out.out
    assert asked[:7] == [
        "Read about them first?",
        "Does anyone else use this machine?",
        *asked[2:6],
        "Which approach do you want to set up?",
    ]
    assert asked[-1] == "What now?"
    assert not (tmp_path / "store").exists(), "nothing was journaled"


def test_reading_an_approach_asks_its_check_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    from wizard import texts

    check = texts.approaches()["own-site"].check
    right = DOWN * check.answer + ENTER
    # The overview, then approach 3 and its question, then on to the questions (all answered by flags).
    keys = DOWN + ENTER + DOWN * 4 + ENTER + right + ENTER + ENTER * 5 + CANCEL
    code = walk(session_for(m.debian_none(), tmp_path), keys, *ANSWERS)
    out = capsys.readouterr().out
    assert code == 0
    assert "The four approaches" in out and "Right." in out
    assert f"Check your understanding: {check.question}" in asked


def test_flags_answer_every_question_but_the_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    flags = [*ANSWERS, "--approach", "virtualenv", "--venv", "/home/alice/envs/work", "--shell-rc", "activate"]
    flags += ["--require-virtualenv", "--no-only-binary"]
    code = walk(session_for(m.debian_none(), tmp_path), CANCEL, *flags)
    out = capsys.readouterr().out
    assert code == 0
    assert asked == ["What now?"]
    assert "create the virtualenv /home/alice/envs/work" in out
    assert "require-virtualenv" in out and "activate" in out


def test_questionnaire_flags_skip_those_questions(tmp_path: Path, asked: list[str]) -> None:
    keys = ENTER + ENTER * 3 + ENTER + CANCEL  # learn: skip; three questions; the recommended approach
    code = walk(session_for(m.debian_none(), tmp_path), keys, "--shared", "no", "--kind", "apps", *OPTIONS)
    assert code == 0
    questions = {q.id: q.prompt for q in QUESTIONS}
    assert asked == [
        "Read about them first?",
        *(questions[q] for q in ("system_wide", "experimental", "sudo")),
        "Which approach do you want to set up?",
        "What now?",
    ]


def test_a_refused_answer_is_explained_and_asked_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    keys = CLEAR + "root" + ENTER + CLEAR + "bad name!" + ENTER + CLEAR + "builder" + ENTER + CANCEL
    flags = [*ANSWERS, "--approach", "pip-user", "--no-only-binary", "--no-break-system-packages"]
    code = walk(session_for(m.debian_none(), tmp_path), keys, *flags)
    out = capsys.readouterr().out
    assert code == 0
    question = "Name of the dedicated pip user (a system account the wizard creates):"
    assert asked == [question, question, question, "What now?"]
    assert "✗ The pip user cannot be root: a root-equivalent owner defeats the approach. Use the default" in out
    assert "✗ The pip user name 'bad name!' is not allowed" in out
    assert "create the system user builder" in out


def test_a_refused_flag_stops_before_anything_is_asked(tmp_path: Path, asked: list[str]) -> None:
    from wizard.errors import WizardError

    with pytest.raises(WizardError, match="cannot be root"):
        walk(session_for(m.debian_none(), tmp_path), "", *ANSWERS, "--approach", "pip-user", "--user", "root")
    assert asked == []


def test_customize_from_the_preview_asks_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    flags = [*ANSWERS, "--approach", "own-site", "--no-only-binary", "--no-break-system-packages"]
    # Customize: the flag's question comes back too; the owner stays alice, the PEP 668 override is switched on.
    keys = ENTER + DOWN + ENTER + ENTER + "y" + CANCEL
    code = walk(session_for(m.debian_none(), tmp_path), keys, *flags)
    out = capsys.readouterr().out
    assert code == 0
    assert asked == [
        "Who should own site-packages?",
        "What now?",
        "Who should own site-packages?",
        asked[3],
        "What now?",
    ]
    assert asked[3].startswith("This Python is marked as managed by your distribution (PEP 668)")
    first, again = out.split("Step 5 of 8")[1:]
    assert "break-system-packages = true" not in first and "break-system-packages = true" in again


def test_save_plan_writes_what_apply_plan_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    from wizard.commands.setup import load_saved

    saved = tmp_path / "saved" / "plan.json"
    saved.parent.mkdir()
    keys = SAVE + CLEAR + str(saved) + ENTER + CANCEL
    flags = [*ANSWERS, *OPTIONS, "--approach", "virtualenv", "--shell-rc", "path"]
    code = walk(session_for(m.debian_none(), tmp_path), keys, *flags)
    out = capsys.readouterr().out
    assert code == 0
    assert asked == ["What now?", "Save the plan to which file?", "What now?"]
    data = json.loads(saved.read_text())
    assert {"plan", "fingerprints"} <= set(data)
    assert load_saved(str(saved))["plan"]["options"]["approach"] == "virtualenv"
    assert PlanOptions.from_dict(data["plan"]["options"]).shell_rc == "path"
    assert f"apply --plan {saved}" in out.replace("\n", "")


@pytest.mark.parametrize("where", ["first question", "preview"])
def test_ctrl_c_at_a_prompt_cancels_with_130(where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flags = [*ANSWERS, *OPTIONS, "--approach", "virtualenv"] if where == "preview" else []
    keys = CTRL_C
    code = walk(session_for(m.debian_none(), tmp_path), keys, *flags)
    out = capsys.readouterr()
    assert code == 130
    assert out.err == "Cancelled. No changes were made.\n"
    assert ("nothing has been changed yet" in out.out) == (where == "preview")
    assert not (tmp_path / "store").exists()


def applied_already(session: Session) -> None:
    """A committed apply in the store that changed nothing (sudo-pip is already in effect on a fresh Debian), so the
    welcome has something to offer without touching the machine."""
    session.detect()
    preview = session.preview(PlanOptions(approach="sudo-pip"))
    assert preview.plan.already and not preview.plan.steps
    from wizard import executor

    executor.run(preview.plan, session.store, preview.human)


def test_welcome_offers_review_of_what_is_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    session = session_for(m.debian_none(), tmp_path)
    applied_already(session)
    code = walk(session, CANCEL, *ANSWERS, *OPTIONS, "--approach", "pip-user")
    # --approach says what to do: set up pip-user instead, so the welcome does not ask.
    assert code == 0 and asked[0] != "What would you like to do?"
    asked.clear()
    code = walk(session, ENTER + ENTER + ENTER + CANCEL, *ANSWERS, *OPTIONS)  # review; skip learning; recommended
    out = capsys.readouterr().out
    assert code == 0
    assert asked[0] == "What would you like to do?"
    assert "You are on approach sudo-pip for /usr/bin/python3 since" in out
    assert "In effect: sudo-pip" in out and "everything it changed is still in place" in out


def test_welcome_undo(tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]) -> None:
    session = session_for(m.debian_none(), tmp_path)
    applied_already(session)
    code = walk(session, DOWN * 2 + ENTER + "y", *ANSWERS)
    out = capsys.readouterr().out
    assert code == 0
    assert asked == ["What would you like to do?", "Undo these 0 change(s)?"]
    assert "Undone: sudo-pip is no longer set up" in out
    assert session.applied() is None


def test_welcome_recovers_an_unfinished_apply_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]
) -> None:
    session = session_for(m.debian_none(), tmp_path)
    session.detect()
    plan = session.plan(PlanOptions(approach="virtualenv"))
    session.store.new("apply", {"plan": plan.to_dict()})  # a begin record and nothing after it: a crash
    assert session.unfinished() is not None
    code = walk(session, "n", *ANSWERS)
    assert code == 1 and "`pip-setup-wizard recover` puts it back later" in capsys.readouterr().out
    code = walk(session, ENTER + CANCEL, *ANSWERS, *OPTIONS, "--approach", "virtualenv")
    out = capsys.readouterr().out
    assert code == 0
    assert asked[0] == asked[1] == "Put back what it changed now?"
    assert "Recovered:" in out and "nothing has been changed yet" in out
    assert session.unfinished() is None


def plain_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "wizard", "--plain", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_without_a_terminal_every_answer_must_be_a_flag() -> None:
    """No terminal (a script, CI): a question without a flag's answer stops the flow, naming the flags."""
    out = plain_cli()
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "--shared" in out.stderr and "--approach" in out.stderr
    out = plain_cli("--approach", "virtualenv", "--python", "/usr/bin/python3")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "nothing has been changed yet" in out.stdout, "the preview is shown"
    assert "--yes" in out.stderr and "nothing was changed" in out.stderr


def test_plain_flags_without_plain_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.cli import main

    assert main(["--approach", "virtualenv", "--no-only-binary"]) == 2
    err = capsys.readouterr().err
    assert "--approach, --only-binary answer questions of the plain flow: add --plain" in err


def test_every_plain_flag_is_known_to_the_refusal_without_plain() -> None:
    from wizard.cli import PLAIN_OPTIONS

    parser = build_parser()
    [group] = [g for g in parser._action_groups if g.title == "answers for --plain"]
    assert {a.dest for a in group._group_actions} == set(PLAIN_OPTIONS)
