"""Provides the teaching texts shipped in ``content/`` (inside the wheel as ``wizard/content``), validated.

Each text is Markdown with TOML front matter between ``+++`` lines. Approaches declare their comparison row,
risks, benefits, the views the sources disagree on, and a check-your-understanding question; topics declare a
title, a summary and citations. Every citation is ``KEY`` or ``KEY#PART`` of ``sources.toml``.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass

from wizard.errors import WizardError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

APPROACH_IDS = ("sudo-pip", "pip-user", "own-site", "virtualenv")
SEVERITIES = ("high", "medium", "low")
APPROACH_SECTIONS = (
    "How it works",
    "Who runs install-time code",
    "What it protects",
    "When it is reasonable",
    "How the wizard sets it up",
    "How to undo it",
)
ROW_KEYS = ("install_code_runs_as", "tamper_later", "protects_system", "breaks_distro", "needs_sudo", "pep668")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CACHE: dict[str, Any] = {}


class ContentError(WizardError):
    """A content file does not follow the schema (names the file and the key)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(
            f"{path}: {problem}", hint="fix the file's front matter (see content/README.md)", ref="content-invalid"
        )


@dataclass(frozen=True, slots=True)
class Risk:
    """A way an approach can hurt, for whom, how likely, and what the sources and today's facts say."""

    id: str
    title: str
    severity: str
    who: str
    likelihood: str
    explanation: str
    cite: tuple[str, ...]
    today: str | None = None


@dataclass(frozen=True, slots=True)
class Benefit:
    """What an approach is good for, as the sources put it."""

    id: str
    title: str
    explanation: str
    cite: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class View:
    """A view from the sources that others disagree with, stated fairly, with the answer to it."""

    id: str
    claim: str
    response: str
    cite: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """A one-question check of understanding."""

    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str


@dataclass(frozen=True, slots=True)
class Row:
    """The approach's line in the comparison table."""

    install_code_runs_as: str
    tamper_later: str
    protects_system: str
    breaks_distro: str
    needs_sudo: str
    pep668: str


@dataclass(frozen=True, slots=True)
class ApproachText:
    """One of the four approaches, fully explained."""

    id: str
    number: int
    title: str
    summary: str
    row: Row
    risks: tuple[Risk, ...]
    benefits: tuple[Benefit, ...]
    views: tuple[View, ...]
    check: Check
    cite: tuple[str, ...]
    body: str
    path: str

    def section(self, heading: str) -> str:
        """The Markdown under ``## heading`` (up to the next ``##``)."""
        return sections(self.body).get(heading, "")


@dataclass(frozen=True, slots=True)
class TopicText:
    """A topic: PEP 668, sudo's environment, .pth files, ..."""

    id: str
    title: str
    summary: str
    cite: tuple[str, ...]
    see_also: tuple[str, ...]
    body: str
    path: str


# --- files --------------------------------------------------------------------------------------------------


def content_dir() -> str:
    """The content directory: the copy inside the installed package, else the source checkout's ``content/``."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "content"), os.path.join(os.path.dirname(here), "content")):
        if os.path.isfile(os.path.join(candidate, "sources.toml")):
            return candidate
    raise WizardError(
        "the wizard's content/ directory is missing", hint="reinstall pip-setup-wizard", ref="content-missing"
    )


def toml_loads(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    data: dict[str, Any] = tomllib.loads(text)
    return data


def split_front_matter(path: str, text: str) -> tuple[dict[str, Any], str]:
    """The TOML front matter (between ``+++`` lines) and the Markdown body of a content file."""
    if not text.startswith("+++\n"):
        raise ContentError(path, "does not start with a +++ front-matter block")
    end = text.find("\n+++\n", 4)
    if end < 0:
        raise ContentError(path, "the front matter is not closed with +++")
    try:
        front = toml_loads(text[4:end])
    except ValueError as exc:
        raise ContentError(path, f"front matter is not valid TOML: {exc}") from None
    return front, text[end + 5 :].strip() + "\n"


def sections(body: str) -> dict[str, str]:
    """``## Heading`` → the text under it."""
    out: dict[str, str] = {}
    current = None
    for line in body.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return {k: v.strip() for k, v in out.items()}


# --- validation ---------------------------------------------------------------------------------------------


def _get(front: dict[str, Any], key: str, kind: type, path: str, where: str = "") -> Any:
    if key not in front:
        raise ContentError(path, f"missing key {where}{key}")
    value = front[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ContentError(path, f"{where}{key} must be a {kind.__name__}, not {type(value).__name__}")
    if isinstance(value, str) and not value.strip():
        raise ContentError(path, f"{where}{key} is empty")
    return value


def _cites(front: dict[str, Any], path: str, where: str) -> tuple[str, ...]:
    value = _get(front, "cite", list, path, where)
    if not value or not all(isinstance(c, str) for c in value):
        raise ContentError(path, f"{where}cite must list at least one citation")
    for c in value:
        if resolve(c) is None:
            raise ContentError(path, f"{where}cite: {c!r} does not resolve in sources.toml")
    return tuple(value)


def _items(front: dict[str, Any], key: str, path: str, required: bool = True) -> list[dict[str, Any]]:
    value = front.get(key, [])
    if required and not value:
        raise ContentError(path, f"needs at least one [[{key}]]")
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ContentError(path, f"[[{key}]] must be tables")
    return value


def _slug(item: dict[str, Any], path: str, where: str, seen: set[str]) -> str:
    ident = _get(item, "id", str, path, where)
    if not _SLUG.match(ident):
        raise ContentError(path, f"{where}id {ident!r} must be lower-case words joined by '-'")
    if ident in seen:
        raise ContentError(path, f"{where}id {ident!r} is used twice")
    seen.add(ident)
    return str(ident)


def parse_approach(path: str, text: str, seen_ids: set[str] | None = None) -> ApproachText:
    """Validates and builds an approach from its file's text."""
    front, body = split_front_matter(path, text)
    seen = seen_ids if seen_ids is not None else set()
    ident = _get(front, "id", str, path)
    if ident not in APPROACH_IDS:
        raise ContentError(path, f"id {ident!r} is not one of {', '.join(APPROACH_IDS)}")
    if _get(front, "kind", str, path) != "approach":
        raise ContentError(path, "kind must be 'approach'")
    number = _get(front, "number", int, path)
    row_data = _get(front, "row", dict, path)
    row = Row(**{k: _get(row_data, k, str, path, "row.") for k in ROW_KEYS})
    risks = []
    for i, item in enumerate(_items(front, "risks", path)):
        where = f"risks[{i}]."
        severity = _get(item, "severity", str, path, where)
        if severity not in SEVERITIES:
            raise ContentError(path, f"{where}severity must be one of {', '.join(SEVERITIES)}")
        today = item.get("today")
        if today is not None and (not isinstance(today, str) or not today.strip()):
            raise ContentError(path, f"{where}today must be text")
        risks.append(
            Risk(
                _slug(item, path, where, seen),
                _get(item, "title", str, path, where),
                severity,
                _get(item, "who", str, path, where),
                _get(item, "likelihood", str, path, where),
                _get(item, "explanation", str, path, where).strip(),
                _cites(item, path, where),
                today,
            )
        )
    benefits = [
        Benefit(
            _slug(item, path, f"benefits[{i}].", seen),
            _get(item, "title", str, path, f"benefits[{i}]."),
            _get(item, "explanation", str, path, f"benefits[{i}].").strip(),
            _cites(item, path, f"benefits[{i}]."),
        )
        for i, item in enumerate(_items(front, "benefits", path))
    ]
    views = [
        View(
            _slug(item, path, f"views[{i}].", seen),
            _get(item, "claim", str, path, f"views[{i}].").strip(),
            _get(item, "response", str, path, f"views[{i}].").strip(),
            _cites(item, path, f"views[{i}]."),
        )
        for i, item in enumerate(_items(front, "views", path, required=False))
    ]
    check_data = _get(front, "check", dict, path)
    choices = _get(check_data, "choices", list, path, "check.")
    answer = _get(check_data, "answer", int, path, "check.")
    if len(choices) < 3 or not all(isinstance(c, str) and c.strip() for c in choices):
        raise ContentError(path, "check.choices needs at least three non-empty choices")
    if not 0 <= answer < len(choices):
        raise ContentError(path, f"check.answer {answer} is not the index of a choice (0 to {len(choices) - 1})")
    check = Check(
        _get(check_data, "question", str, path, "check."),
        tuple(choices),
        answer,
        _get(check_data, "explanation", str, path, "check.").strip(),
    )
    found = sections(body)
    for heading in APPROACH_SECTIONS:
        if not found.get(heading):
            raise ContentError(path, f"the body needs a non-empty '## {heading}' section")
    return ApproachText(
        ident,
        number,
        _get(front, "title", str, path),
        _get(front, "summary", str, path).strip(),
        row,
        tuple(risks),
        tuple(benefits),
        tuple(views),
        check,
        _cites(front, path, ""),
        body,
        path,
    )


def parse_topic(path: str, text: str) -> TopicText:
    """Validates and builds a topic from its file's text."""
    front, body = split_front_matter(path, text)
    ident = _get(front, "id", str, path)
    if not _SLUG.match(ident):
        raise ContentError(path, f"id {ident!r} must be lower-case words joined by '-'")
    if _get(front, "kind", str, path) != "topic":
        raise ContentError(path, "kind must be 'topic'")
    see_also = front.get("see_also", [])
    if not isinstance(see_also, list) or not all(isinstance(s, str) for s in see_also):
        raise ContentError(path, "see_also must be a list of topic or approach ids")
    if len(body.split()) < 40:
        raise ContentError(path, "the body is too short to teach anything")
    return TopicText(
        ident,
        _get(front, "title", str, path),
        _get(front, "summary", str, path).strip(),
        _cites(front, path, ""),
        tuple(see_also),
        body,
        path,
    )


# --- loading ------------------------------------------------------------------------------------------------


def _read(relative: str) -> tuple[str, str]:
    path = os.path.join(content_dir(), relative)
    with open(path, encoding="utf-8") as fh:
        return path, fh.read()


def approaches() -> dict[str, ApproachText]:
    """The four approaches, in the order of the sources (1 to 4)."""
    if "approaches" not in _CACHE:
        seen: set[str] = set()
        loaded = [parse_approach(*_read(f"approaches/{a}.md"), seen_ids=seen) for a in APPROACH_IDS]
        _CACHE["approaches"] = {a.id: a for a in sorted(loaded, key=lambda a: a.number)}
    result: dict[str, ApproachText] = _CACHE["approaches"]
    return result


def topics() -> dict[str, TopicText]:
    """Every topic, by id, in file-name order."""
    if "topics" not in _CACHE:
        folder = os.path.join(content_dir(), "topics")
        names = sorted(n for n in os.listdir(folder) if n.endswith(".md"))
        loaded = [parse_topic(*_read(f"topics/{n}")) for n in names]
        for topic, name in zip(loaded, names, strict=True):
            if f"{topic.id}.md" != name:
                raise ContentError(topic.path, f"id {topic.id!r} does not match the file name")
        _CACHE["topics"] = {t.id: t for t in loaded}
    result: dict[str, TopicText] = _CACHE["topics"]
    return result


def risk(ident: str) -> tuple[ApproachText, Risk] | None:
    """The approach and risk with id ``ident``."""
    for approach in approaches().values():
        for r in approach.risks:
            if r.id == ident:
                return approach, r
    return None


def sources() -> dict[str, Any]:
    """The bibliography (``content/sources.toml``), keyed by source id."""
    if "sources" not in _CACHE:
        _CACHE["sources"] = toml_loads(_read("sources.toml")[1])
    result: dict[str, Any] = _CACHE["sources"]
    return result


def resolve(citation: str) -> tuple[dict[str, Any], str | None] | None:
    """The source entry and part name for ``KEY`` or ``KEY#PART``; None if it does not resolve."""
    key, _, part = citation.partition("#")
    entry = sources().get(key)
    if not isinstance(entry, dict):
        return None
    if part and part not in entry.get("parts", {}):
        return None
    return entry, part or None


def cite_label(citation: str) -> str:
    """A short human label, e.g. ``Stack Overflow, “What are the risks…?”, the second answer``."""
    found = resolve(citation)
    if found is None:
        return citation
    entry, part = found
    label = f"{entry.get('site', '')}, “{entry.get('title', citation)}”"
    if part:
        label += f", {entry['parts'][part].split(' (')[0]}"
    return label
