"""Styled lines: wrapping with indents kept, colours only where wanted, the same words in rich."""

from __future__ import annotations

import io

import pytest

from wizard.render import lines
from wizard.render.lines import breaks, line, plain, render, to_rich


def test_breaks_at_spaces_and_cuts_long_words() -> None:
    text = "aaa bbb ccc dddddddddddd e"
    rows = [text[a:b] for a, b in breaks(text, 7, 7)]
    assert rows == ["aaa bbb", "ccc", "ddddddd", "ddddd e"]
    assert breaks("short", 10, 10) == [(0, 5)]


def test_render_wraps_with_indent_and_hang() -> None:
    out = render([line("• one two three four five", indent=2, hang=2)], width=16, color=False)
    assert out == "  • one two\n    three four\n    five\n"
    for row in out.splitlines():
        assert len(row) <= 16


def test_render_keeps_every_word_in_order() -> None:
    words = [f"w{i}" for i in range(200)]
    out = render([line((" ".join(words[:100]), "bold"), " ", (" ".join(words[100:]), "dim"), indent=5)], 40, False)
    assert out.split() == words
    assert all(row.startswith("     ") for row in out.splitlines())


def test_colour_codes_only_when_wanted() -> None:
    ln = [line(("bad", "bold red"), " ", ("ok", "green"), ("plain", ""))]
    coloured = render(ln, 80, True)
    assert "\x1b[1;31mbad\x1b[0m" in coloured and "\x1b[32mok\x1b[0m" in coloured and "plain" in coloured
    assert render(ln, 80, False) == "bad okplain\n" == plain(ln)


@pytest.mark.parametrize(
    ("env", "tty", "flag", "want"),
    [
        ({}, True, False, True),
        ({}, False, False, False),
        ({"NO_COLOR": "1"}, True, False, False),
        ({}, True, True, False),
        ({"TERM": "dumb"}, True, False, False),
        ({"FORCE_COLOR": "1"}, False, False, True),
    ],
)
def test_wants_color(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool, flag: bool, want: bool) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert lines.wants_color(Stream(), flag) is want


def test_width_from_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "57")
    assert lines.width_of(io.StringIO()) == 57
    monkeypatch.delenv("COLUMNS")
    assert lines.width_of(io.StringIO()) == 80  # not a terminal


def test_to_rich_has_the_same_words_and_styles() -> None:
    ln = [line(("Plan", "bold"), " x"), line(("$ ", "dim"), ("cmd", "cyan"), indent=5)]
    text = to_rich(ln)
    assert text.plain == "Plan x\n     $ cmd"
    assert {str(span.style) for span in text.spans} == {"bold", "dim", "cyan"}
