"""Provides the blast-radius demo's data: the places the canary looks at, who its code ran as, each cell of the
matrix (predicted and observed), and the whole result as JSON (schema 1) and back."""

from __future__ import annotations

from wizard.errors import WizardError
from wizard.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEMA = 1
YES, NO, ABSENT = "yes", "no", "absent"  # ABSENT: a place to read that does not exist (nothing there to read)
WRITE, READ = "write", "read"
# The matrix's columns, in the sources' order, then `pip install --user` (not one of the four, but the first thing
# people try when pip refuses to write the system's site-packages).
ROWS = ("sudo-pip", "pip-user", "own-site", "virtualenv", "user-scheme")
SYSTEM_ROWS = ("sudo-pip", "pip-user", "own-site")
TITLES = {
    "sudo-pip": "sudo-pip",
    "pip-user": "pip-user",
    "own-site": "own-site",
    "virtualenv": "virtualenv",
    "user-scheme": "pip --user",
}


class DemoError(WizardError):
    """The demo could not run (or a saved result cannot be read)."""


@record(frozen=True)
class Place:
    """A sensitive place: what install-time code might write (or read) there."""

    id: str
    label: str  # "write /etc", "read ~/.ssh"
    path: str
    access: str  # WRITE | READ


@record(frozen=True)
class Runner:
    """Whose identity install-time code has under an approach. ``uid`` None: an account the approach creates,
    which owns nothing but what the approach gives it and is in no group but its own."""

    name: str
    uid: int | None
    gids: tuple[int, ...] = ()


@record(frozen=True)
class Cell:
    """One place under one approach: what the sources predict (and why), and what the canary saw."""

    predicted: str  # YES | NO | ABSENT
    why: str
    observed: str | None = None  # None: the canary did not run under this approach
    checked: str | None = None  # the path the canary actually checked (a missing place's nearest parent)

    @property
    def agrees(self) -> bool:
        return self.observed is None or self.observed == self.predicted


@record(frozen=True)
class Observed:
    """Who the canary's code ran as, in its own words."""

    uid: int
    euid: int
    gid: int
    groups: tuple[int, ...]
    user: str
    hook: str


@record(frozen=True)
class Row:
    """One approach: who its install-time code runs as, each place, and how the canary's run went."""

    approach: str
    runner: Runner
    cells: dict[str, Cell]
    ran: bool = False
    not_run: str = ""  # why it did not run (or did not report)
    observed: Observed | None = None
    command: str = ""  # what a person types for this install (shown); the demo ran the same pip as the same account
    argv: tuple[str, ...] = ()  # what the demo ran
    seconds: float = 0.0

    @property
    def title(self) -> str:
        return TITLES.get(self.approach, self.approach)

    @property
    def ran_as_expected(self) -> bool:
        """The canary's uid is the runner's (an account the approach creates: neither root nor anyone named)."""
        if self.observed is None:
            return True
        if self.runner.uid is None:
            return self.observed.uid != 0 and self.observed.user == self.runner.name
        return self.observed.uid == self.runner.uid


@record(frozen=True)
class Disagreement:
    approach: str
    place: str
    predicted: str
    observed: str
    why: str


@record(frozen=True)
class DemoResult:
    """The whole demo: the machine's answer to "where could install-time code reach under each approach?"."""

    as_root: bool
    user: str  # who "you" is in the matrix
    user_how: str  # how that person was chosen (SUDO_USER, a throwaway account, whoever ran the demo)
    interpreter: str
    site_packages: str
    places: tuple[Place, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    tool: dict[str, str] = field(default_factory=dict)

    def row(self, approach: str) -> Row | None:
        return next((r for r in self.rows if r.approach == approach), None)

    @property
    def disagreements(self) -> list[Disagreement]:
        """Every observed cell that is not what was predicted, and every run as someone unexpected."""
        out = []
        for row in self.rows:
            if not row.ran_as_expected and row.observed is not None:
                expected = row.runner.name if row.runner.uid is None else f"{row.runner.name} (uid {row.runner.uid})"
                out.append(
                    Disagreement(
                        row.approach, "ran-as", expected, f"{row.observed.user} (uid {row.observed.uid})", "who"
                    )
                )
            for place in self.places:
                cell = row.cells.get(place.id)
                if cell is not None and not cell.agrees:
                    out.append(Disagreement(row.approach, place.id, cell.predicted, str(cell.observed), cell.why))
        return out

    @property
    def observed_cells(self) -> int:
        return sum(1 for r in self.rows for c in r.cells.values() if c.observed is not None)

    # --- JSON -------------------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "tool": dict(self.tool),
            "as_root": self.as_root,
            "user": {"name": self.user, "how": self.user_how},
            "interpreter": self.interpreter,
            "site_packages": self.site_packages,
            "places": [{"id": p.id, "label": p.label, "path": p.path, "access": p.access} for p in self.places],
            "rows": [_row_dict(r) for r in self.rows],
            "agree": not self.disagreements,
            "disagreements": [
                {"approach": d.approach, "place": d.place, "predicted": d.predicted, "observed": d.observed}
                for d in self.disagreements
            ],
            "notes": list(self.notes),
            "seconds": round(self.seconds, 2),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DemoResult:
        """Reads a result saved with `demo --json` (raises DemoError when it is not one)."""
        try:
            if data.get("schema") != SCHEMA:
                raise ValueError(f"schema {data.get('schema')!r}, not {SCHEMA}")
            places = tuple(Place(p["id"], p["label"], p["path"], p["access"]) for p in data["places"])
            return cls(
                as_root=bool(data["as_root"]),
                user=data["user"]["name"],
                user_how=data["user"]["how"],
                interpreter=data["interpreter"],
                site_packages=data["site_packages"],
                places=places,
                rows=tuple(_row_from(r) for r in data["rows"]),
                notes=tuple(data.get("notes", ())),
                seconds=float(data.get("seconds", 0.0)),
                tool=dict(data.get("tool", {})),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DemoError(
                f"not a result saved with `demo --json`: {type(exc).__name__}: {exc}",
                hint="save one with `pip-setup-wizard demo --json > FILE`",
                ref="demo-json-invalid",
            ) from None


def _row_dict(row: Row) -> dict[str, Any]:
    seen = row.observed
    return {
        "approach": row.approach,
        "runs_as": {"name": row.runner.name, "uid": row.runner.uid, "gids": list(row.runner.gids)},
        "ran": row.ran,
        "not_run": row.not_run,
        "observed_as": None
        if seen is None
        else {
            "uid": seen.uid,
            "euid": seen.euid,
            "gid": seen.gid,
            "groups": list(seen.groups),
            "user": seen.user,
            "hook": seen.hook,
        },
        "command": row.command,
        "argv": list(row.argv),
        "seconds": round(row.seconds, 2),
        "cells": {
            k: {"predicted": c.predicted, "observed": c.observed, "why": c.why, "checked": c.checked}
            for k, c in row.cells.items()
        },
    }


def _row_from(data: dict[str, Any]) -> Row:
    seen = data.get("observed_as")
    runs = data["runs_as"]
    return Row(
        approach=data["approach"],
        runner=Runner(runs["name"], runs["uid"], tuple(runs.get("gids", ()))),
        cells={
            k: Cell(c["predicted"], c["why"], c.get("observed"), c.get("checked")) for k, c in data["cells"].items()
        },
        ran=bool(data["ran"]),
        not_run=data.get("not_run", ""),
        observed=None
        if seen is None
        else Observed(
            seen["uid"], seen["euid"], seen["gid"], tuple(seen.get("groups", ())), seen["user"], seen.get("hook", "")
        ),
        command=data.get("command", ""),
        argv=tuple(data.get("argv", ())),
        seconds=float(data.get("seconds", 0.0)),
    )
