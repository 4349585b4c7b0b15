"""Provides the teaching texts shipped in ``content/`` (inside the wheel as ``wizard/content``) and citations."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_CACHE: dict[str, Any] = {}


def content_dir() -> str:
    """The content directory: the installed copy inside the package, else the source checkout's ``content/``."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "content"), os.path.join(os.path.dirname(here), "content")):
        if os.path.isfile(os.path.join(candidate, "sources.toml")):
            return candidate
    raise FileNotFoundError("the wizard's content/ directory is missing; reinstall pip-setup-wizard")


def _toml(path: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    with open(path, "rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    return data


def sources() -> dict[str, Any]:
    """The bibliography (``content/sources.toml``), keyed by source id."""
    if "sources" not in _CACHE:
        _CACHE["sources"] = _toml(os.path.join(content_dir(), "sources.toml"))
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
