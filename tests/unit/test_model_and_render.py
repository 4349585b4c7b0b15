"""The JSON form round-trips, and the rich report reads well (summary first, grouped findings, the sudo lens)."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from tests.fixtures import machines as m
from wizard.doctor import report_for, state_from_report
from wizard.model import MachineState, from_dict, to_dict
from wizard.render.report import render_report


@pytest.mark.parametrize("name", sorted(m.ALL))
def test_state_round_trips_through_the_report_json(name: str) -> None:
    state = m.ALL[name]()
    data = json.loads(json.dumps(report_for(state).to_dict()))
    assert state_from_report(data) == state
    assert from_dict(MachineState, to_dict(state)) == state


def test_report_json_keeps_derived_data_next_to_facts() -> None:
    data = report_for(m.debian_own_site()).to_dict()
    [py] = data["interpreters"]
    assert py["approach"]["id"] == "own-site" and py["used_by_root"] is True
    assert any(r.startswith("it is the operating system") for r in py["root_reasons"])
    target = next(p for p in data["paths"] if p["path"] == m.DEBIAN_TARGET)
    assert target["mode"] == "0755" and target["writers"][0]["name"] == "alice"


def test_unknown_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported schema"):
        state_from_report({"schema": 99})


def render(name: str, *, verbose: bool = False, width: int = 80) -> str:
    console = Console(record=True, width=width, no_color=True, force_terminal=False)
    render_report(report_for(m.ALL[name]()), console, verbose=verbose, available={"detect"})
    return console.export_text()


def test_summary_comes_first() -> None:
    lines = render("debian-own-site").splitlines()
    assert lines[0].startswith("pip-setup-wizard doctor — Debian GNU/Linux 12 (bookworm), as alice")
    assert "✗ 1 danger" in lines[1]
    assert lines[2].startswith("→ Code root runs can be changed by user alice")


def test_findings_with_fix_commands_and_no_unavailable_actions() -> None:
    text = render("debian-own-site", width=200)
    assert "Danger (1)" in text
    assert "$ sudo find /usr/local/lib/python3.11/dist-packages -xdev \\( -type d -o -links 1 \\)" in text
    assert "\n      $ sudo find /usr/local/lib/python3.11/dist-packages -xdev ! -type l" in text, "one command a line"
    assert "pip-setup-wizard apply" not in text, "actions of commands not built yet are not offered"


def test_verbose_shows_sources_and_evidence() -> None:
    text = render("debian-own-site", verbose=True, width=200)
    assert "Sources: Stack Overflow, “What is most secure way to use pip to maintain Python packages?”" in text
    assert "• /usr/local/lib/python3.11/dist-packages is alice:alice 0755; writable by user alice (owner)" in text


@pytest.mark.parametrize("name", sorted(m.ALL))
def test_every_fixture_renders_at_80_columns(name: str) -> None:
    text = render(name)
    assert "Interpreters" in text and "Findings" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_sudo_lens_section() -> None:
    text = render("macos-homebrew-intel", width=120)
    assert "The sudo lens" in text and "under sudo" in text
    assert "not known here (only root can read sudo's settings)" in render("macos-homebrew-arm", width=120)
    assert "sudo is not installed" in render("windows-user")


def test_home_is_abbreviated_for_reading() -> None:
    text = render("debian-venv", width=200)
    assert "~/.venvs/default/bin/python" in text


def test_machine_section() -> None:
    text = render("debian-own-site", width=120)
    assert "This machine" in text
    assert "asks for a password" in text
    assert "none (pip's defaults)" in text and "none in the usual places" in text
