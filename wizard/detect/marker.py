"""Provides reading of the PEP 668 ``EXTERNALLY-MANAGED`` marker, the way pip reads it."""

from __future__ import annotations

import os

from wizard.model import Marker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

MARKER_NAME = "EXTERNALLY-MANAGED"


def _languages(env: Mapping[str, str]) -> list[str]:
    # pip asks locale.getlocale(LC_MESSAGES); the same answer comes from the variables that set it.
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            lang = value.split(".", 1)[0].split("@", 1)[0]
            if lang in ("C", "POSIX"):
                return []
            return [lang, lang.split("_", 1)[0]] if "_" in lang else [lang]
    return []


def read_marker(stdlib: str, env: Mapping[str, str]) -> Marker:
    """The marker in ``stdlib`` (the interpreter's ``sysconfig.get_path("stdlib")``), if present.

    The text is the ``Error`` key of the ``[externally-managed]`` section, or its translation
    ``Error-<lang>`` for the user's language, as pip chooses it (PEP 668).
    """
    path = os.path.join(stdlib, MARKER_NAME)
    if not os.path.isfile(path):
        return Marker(present=False, path=path)
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            parser.read_file(fh)
    except (OSError, configparser.Error) as exc:
        return Marker(present=True, path=path, problem=f"cannot parse: {str(exc).splitlines()[0]}")
    if not parser.has_section("externally-managed"):
        return Marker(present=True, path=path, problem="no [externally-managed] section; pip shows its default text")
    section = parser["externally-managed"]
    for key in [*(f"Error-{lang}" for lang in _languages(env)), "Error"]:
        if key in section:
            return Marker(present=True, path=path, error_text=section[key].strip())
    return Marker(present=True, path=path)
