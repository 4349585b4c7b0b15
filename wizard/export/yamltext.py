"""Provides YAML text for the playbook without a YAML library: block mappings and lists, quoted scalars, literal
blocks. Every string is double-quoted (so ``yes``, ``0755`` or ``:all:`` stay strings), and one that looks like a
Jinja template is tagged ``!unsafe`` so Ansible takes it literally; expressions the export writes on purpose are
:class:`Jinja`.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

JINJA = ("{{", "{%", "{#")
WIDTH = 120  # a list of plain values that fits on one line is written [a, b, c]


class Jinja(str):
    """A string Ansible should template (written by the export itself)."""


class Literal(str):
    """A multi-line string written as a literal block (``|``), taken literally by Ansible."""


def _printable(c: str) -> bool:
    """Written as itself; anything else is escaped (NEL and the Unicode separators are line breaks to YAML 1.1)."""
    code = ord(c)
    return (
        c in "\t\n"
        or 0x20 <= code <= 0x7E
        or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def quote(text: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's), tagged ``!unsafe`` when it holds Jinja syntax."""
    body = json.dumps(text, ensure_ascii=False)
    body = "".join(c if _printable(c) else f"\\u{ord(c):04x}" for c in body)
    if not isinstance(text, Jinja) and any(m in text for m in JINJA):
        return "!unsafe " + body
    return body


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    return quote(value if isinstance(value, str) else str(value))


def _literal(text: str, indent: int) -> list[str] | None:
    """A literal block for ``text``, or None when one cannot hold it exactly."""
    if not text.strip() or any(not _printable(c) for c in text) or "\r" in text:
        return None
    if any(line != line.rstrip(" ") for line in text.split("\n")):
        return None  # trailing blanks are kept by YAML but easy to lose in review: quote instead
    chomp = "-" if not text.endswith("\n") else ("+" if text.endswith("\n\n") else "")
    body = text[:-1] if text.endswith("\n") and chomp == "" else text.rstrip("\n") if chomp == "+" else text
    indicator = str(2) if text[0] in " \t" else ""
    pad = " " * indent
    head = f"!unsafe |{indicator}{chomp}"
    lines = [head]
    lines += [f"{pad}{line}" if line else "" for line in body.split("\n")]
    if chomp == "+":
        lines += [""] * (len(text) - len(text.rstrip("\n")) - 1)
    return lines


def emit(value: Any, indent: int = 0) -> list[str]:
    """Lines of YAML for a mapping or a list (nested), at ``indent`` spaces."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _entry(f"{pad}{key}:", item, indent)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                inner = emit(item, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip()}")
                out += inner[1:]
            elif isinstance(item, list) and item:
                out.append(f"{pad}-")
                out += emit(item, indent + 2)
            else:
                out.append(f"{pad}- {scalar(item)}")
    return out


def _entry(head: str, item: Any, indent: int) -> list[str]:
    if isinstance(item, Literal):
        block = _literal(str(item), indent + 2)
        if block is not None:
            return [f"{head} {block[0]}", *block[1:]]
        return [f"{head} {quote(str(item))}"]
    if isinstance(item, list) and item and not any(isinstance(x, (dict, list, Literal)) for x in item):
        flow = f"{head} [{', '.join(scalar(x) for x in item)}]"
        if len(flow) <= WIDTH:
            return [flow]
    if isinstance(item, (dict, list)):
        if not item:
            return [f"{head} {'{}' if isinstance(item, dict) else '[]'}"]
        return [head, *emit(item, indent + 2)]
    return [f"{head} {scalar(item)}"]


def document(value: Any, comments: list[str]) -> str:
    """A YAML document: the comment lines, then ``value``."""
    lines = ["---", *(f"# {c}".rstrip() for c in comments), *emit(value)]
    return "\n".join(lines) + "\n"
