"""Marked blocks and pip.conf keys: added, replaced, removed, with people's own edits kept."""

from __future__ import annotations

import configparser

from hypothesis import given
from hypothesis import strategies as st

from wizard import textedit as t

line = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
    ),
    max_size=30,
)
body = st.lists(line.filter(lambda s: s not in (t.BEGIN, t.END)), max_size=6)


@given(body, st.booleans())
def test_block_round_trip(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline and lines else "")
    added = bool(text) and not text.endswith("\n")
    with_block = t.set_block(text, ["export PATH=/x/bin:$PATH"])
    assert t.block_body(with_block) == ["export PATH=/x/bin:$PATH"]
    assert t.set_block(with_block, ["export PATH=/x/bin:$PATH"]) == with_block, "idempotent"
    assert t.remove_block(with_block, added_newline=added) == text


def test_block_keeps_later_edits() -> None:
    text = t.set_block("alias ll='ls -l'\n", [". /v/bin/activate"])
    edited = text + "export EDITOR=vim\n"
    assert t.remove_block(edited) == "alias ll='ls -l'\nexport EDITOR=vim\n"
    replaced = t.set_block(edited, ["export PATH=/v/bin:$PATH"])
    assert t.block_body(replaced) == ["export PATH=/v/bin:$PATH"] and replaced.endswith("export EDITOR=vim\n")


def parse(text: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    return parser


def test_key_added_to_new_file_existing_section_and_replaced() -> None:
    new = t.set_key("", "global", "require-virtualenv", "true")
    assert parse(new)["global"]["require-virtualenv"] == "true"
    existing = "[global]\ntimeout = 60\n\n[install]\nuser = false\n"
    edited = t.set_key(existing, "global", "require-virtualenv", "true")
    assert parse(edited)["global"]["require-virtualenv"] == "true"
    assert parse(edited)["install"]["user"] == "false" and parse(edited)["global"]["timeout"] == "60"
    assert t.unset_key(edited, "global", "require-virtualenv", "true") == existing
    replaced = t.set_key("[global]\nrequire_virtualenv = false\n", "global", "require-virtualenv", "true")
    assert t.get_key(replaced, "global", "require-virtualenv") == "true"
    assert (
        t.unset_key(replaced, "global", "require-virtualenv", "true", previous="false")
        == "[global]\nrequire-virtualenv = false\n"
    )


def test_created_section_is_removed_again() -> None:
    base = "[install]\nuser = false\n"
    added = t.set_key(base, "global", "only-binary", ":all:")
    assert t.unset_key(added, "global", "only-binary", ":all:", created_section=True) == base
    assert t.unset_key(t.set_key("", "global", "x", "1"), "global", "x", "1", created_section=True) == ""


def test_a_value_people_changed_is_left_alone() -> None:
    added = t.set_key("", "global", "require-virtualenv", "true")
    changed = added.replace("= true", "= false")
    assert t.unset_key(changed, "global", "require-virtualenv", "true", created_section=True) == changed


def test_people_s_lines_in_a_created_section_keep_it() -> None:
    added = t.set_key("", "global", "require-virtualenv", "true") + "timeout = 30\n"
    out = t.unset_key(added, "global", "require-virtualenv", "true", created_section=True)
    assert parse(out)["global"]["timeout"] == "30" and "require-virtualenv" not in parse(out)["global"]
