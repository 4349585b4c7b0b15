"""Provides the edits the wizard makes to files people also edit: a marked block in a shell start-up file, and one
key in a pip configuration file. Everything else in the file, including later edits by people, is kept.
"""

from __future__ import annotations

import re

BEGIN = "# >>> pip-setup-wizard >>>"
END = "# <<< pip-setup-wizard <<<"
KEY_COMMENT = "# set by pip-setup-wizard (`pip-setup-wizard undo` removes it)"
_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def has_block(text: str) -> bool:
    """True when the file holds the wizard's marked block."""
    return BEGIN in text.splitlines() and END in text.splitlines()


def block_body(text: str) -> list[str] | None:
    """The lines inside the marked block (None if there is none)."""
    lines = text.splitlines()
    if BEGIN not in lines or END not in lines:
        return None
    start = lines.index(BEGIN)
    end = lines.index(END, start)
    return lines[start + 1 : end]


def set_block(text: str, body: list[str]) -> str:
    """The text with the marked block holding ``body`` (replaced in place, or appended at the end)."""
    block = [BEGIN + "\n", *(line + "\n" for line in body), END + "\n"]
    lines = _lines(text)
    stripped = [line.rstrip("\n") for line in lines]
    if BEGIN in stripped and END in stripped:
        start = stripped.index(BEGIN)
        end = stripped.index(END, start)
        return "".join(lines[:start] + block + lines[end + 1 :])
    if text and not text.endswith("\n"):
        text += "\n"
    return text + "".join(block)


def remove_block(text: str, added_newline: bool = False) -> str:
    """The text without the marked block; other lines (and edits people made around it) stay.

    ``added_newline``: the file had no final newline before the block was appended, so the one added then is
    taken away again when the block was the last thing in the file.
    """
    lines = _lines(text)
    stripped = [line.rstrip("\n") for line in lines]
    if BEGIN not in stripped or END not in stripped:
        return text
    start = stripped.index(BEGIN)
    end = stripped.index(END, start)
    rest = lines[:start] + lines[end + 1 :]
    out = "".join(rest)
    if added_newline and end + 1 == len(lines) and out.endswith("\n"):
        out = out[:-1]
    return out


def _norm(key: str) -> str:
    return key.strip().lower().replace("_", "-")


def _find(lines: list[str], section: str, key: str) -> tuple[int | None, int | None, int]:
    """(index of the section header, index of the key line, index where the section ends)."""
    header = None
    key_at = None
    end = len(lines)
    current = None
    for i, line in enumerate(lines):
        m = _SECTION.match(line)
        if m:
            if current == section:
                end = i
                break
            current = m.group(1).strip()
            if current == section:
                header = i
            continue
        if current == section and "=" in line and not line.lstrip().startswith(("#", ";")):
            name = line.split("=", 1)[0]
            if _norm(name) == _norm(key):
                key_at = i
    if header is None:
        end = len(lines)
    return header, key_at, end


def get_key(text: str, section: str, key: str) -> str | None:
    """The value of ``key`` in ``[section]`` (as written), or None."""
    lines = _lines(text)
    _header, at, _end = _find(lines, section, key)
    if at is None:
        return None
    return lines[at].split("=", 1)[1].strip()


def set_key(text: str, section: str, key: str, value: str) -> str:
    """The text with ``key = value`` in ``[section]`` (the section is created at the end when missing)."""
    lines = _lines(text)
    header, at, end = _find(lines, section, key)
    entry = f"{key} = {value}\n"
    if at is not None:
        lines[at] = entry
        return "".join(lines)
    if header is None:
        prefix = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
        return text + prefix + f"[{section}]\n{KEY_COMMENT}\n{entry}"
    insert = end
    while insert > header + 1 and not lines[insert - 1].strip():
        insert -= 1
    if insert > 0 and not lines[insert - 1].endswith("\n"):
        lines[insert - 1] += "\n"
    lines[insert:insert] = [KEY_COMMENT + "\n", entry]
    return "".join(lines)


def unset_key(
    text: str, section: str, key: str, value: str, previous: str | None = None, created_section: bool = False
) -> str:
    """Undoes :func:`set_key` while keeping edits people made since.

    When the key still holds ``value``: put back ``previous``, or remove the key with its comment line (and the
    section, if the wizard created it and nothing else is in it now). A value changed since is left alone.
    """
    lines = _lines(text)
    header, at, end = _find(lines, section, key)
    if at is None or lines[at].split("=", 1)[1].strip() != value:
        return text
    if previous is not None:
        lines[at] = f"{key} = {previous}\n"
        return "".join(lines)
    drop = {at}
    if at > 0 and lines[at - 1].rstrip("\n") == KEY_COMMENT:
        drop.add(at - 1)
    emptied = header is not None and all(i in drop or not lines[i].strip() for i in range(header + 1, end))
    if created_section and header is not None and emptied:
        drop.update(range(header, end))
        if header > 0 and not lines[header - 1].strip():
            drop.add(header - 1)  # the blank line set_key put before the section
    return "".join(line for i, line in enumerate(lines) if i not in drop)
