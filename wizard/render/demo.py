"""Provides the rendering of the blast-radius demo: the matrix of places × approaches (what the canary saw, what the
sources predict), every disagreement spelled out, what did not run and why, and what sudo would add.

Styled lines (``wizard.render.lines``), so the command line draws it without a UI library and the full-screen app
shows the same words.
"""

from __future__ import annotations

from wizard.demo.model import ABSENT, ROWS, YES
from wizard.render.lines import Line, line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.demo.model import Cell, DemoResult, Row

INTRO = (
    "The canary is a harmless source package. pip ran its build step — the hook where a real package's setup.py "
    "runs — under each approach below. That code only looked: whose identity it had and, with access checks, which "
    "places it could write or read. Then it stopped its own build, so pip installed nothing."
)
READING = (
    "YES under site-packages means that code can change what root imports from then on; under ~, ~/.ssh and the "
    "start-up file, that it can plant code you will run or take your keys. Typically only the pip user is kept "
    "out of your files, and only a virtualenv (or --user) keeps the code away from the system: none of the "
    "approaches protects your own files from a package you install as yourself."
)
CELL = 11


def _cell(cell: Cell | None) -> tuple[str, str]:
    if cell is None:
        return "", ""
    shown = {YES: "YES", ABSENT: "—"}
    if cell.observed is None:
        return f"({shown.get(cell.predicted, cell.predicted)})", "dim"
    seen = shown.get(cell.observed, cell.observed)
    if cell.observed != cell.predicted:
        return f"{seen}≠{shown.get(cell.predicted, cell.predicted)}!", "bold yellow"
    return seen, "bold red" if cell.observed == YES else "dim" if cell.observed == ABSENT else "green"


def _ran_as(row: Row) -> tuple[str, str]:
    if row.observed is None:
        return f"({row.runner.name})", "dim"
    if not row.ran_as_expected:
        return f"{row.observed.user}≠{row.runner.name}!", "bold yellow"
    return row.observed.user, "bold"


def matrix(result: DemoResult, width: int = 80) -> list[Line]:
    """The places as rows, the approaches as columns (fits ``width`` columns when it can)."""
    rows = [r for a in ROWS if (r := result.row(a)) is not None]
    first = max([len("code ran as"), *(len(p.label) for p in result.places)]) + 2
    widest = max([CELL - 2, *(len(r.title) for r in rows), *(len(_ran_as(r)[0]) for r in rows)])
    cell = widest + (2 if first + (widest + 2) * (len(rows) - 1) + widest <= width else 1)

    def cells(label: str, texts: list[tuple[str, str]]) -> Line:
        padded = [(text.ljust(cell) if i < len(texts) - 1 else text, style) for i, (text, style) in enumerate(texts)]
        return line((label.ljust(first), ""), *padded)

    out = [cells("", [(r.title, "bold") for r in rows]), cells("code ran as", [_ran_as(r) for r in rows])]
    for place in result.places:
        out.append(cells(place.label, [_cell(r.cells.get(place.id)) for r in rows]))
    return out


def verdict(result: DemoResult) -> list[Line]:
    """All agree, or every disagreement with the prediction's reason (loudly: it means the model missed something)."""
    seen = result.observed_cells
    wrong = result.disagreements
    if not seen:
        return [line(("Nothing ran, so nothing was observed: the matrix shows predictions only.", "yellow"))]
    if not wrong:
        return [line(("✓ ", "bold green"), (f"All {seen} observations match what the sources predict here.", "green"))]
    titles = {p.id: p.label for p in result.places}
    out = [
        line(
            ("✗ ", "bold red"),
            (f"{len(wrong)} of {seen} observations DISAGREE with the prediction for this machine:", "bold red"),
        )
    ]
    for d in wrong:
        if d.place == "ran-as":
            text = f"{d.approach}: the canary ran as {d.observed}, not as {d.predicted}"
        else:
            text = f"{d.approach} × {titles.get(d.place, d.place)}: predicted {d.predicted} ({d.why}), saw {d.observed}"
        out.append(line(("! " + text, "bold yellow"), indent=2, hang=2))
    out.append(
        line(
            (
                "Something on this machine goes beyond owners and modes (an ACL, a mount option, a security module): "
                "trust the observation, and look at that place.",
                "yellow",
            ),
            indent=2,
        )
    )
    return out


def sudo_adds(result: DemoResult) -> list[Line]:
    """What running the same code as root reaches that your own account does not."""
    sudo, mine = result.row("sudo-pip"), result.row("virtualenv")
    if sudo is None or mine is None:
        return []
    more = [
        p.label
        for p in result.places
        if sudo.cells[p.id].predicted == YES and mine.cells.get(p.id) and mine.cells[p.id].predicted != YES
    ]
    if not more:
        return []
    return [
        line(
            ("What sudo adds: ", "bold"),
            "compared with your own account, the same install-time code run as root could also "
            + ", ".join(more)
            + ".",
            hang=2,
        )
    ]


def demo(result: DemoResult, *, intro: bool = True, width: int = 80) -> list[Line]:
    """The whole demo for people (``intro``: with its title and what the canary is; ``width``: to fit the matrix)."""
    out: list[Line] = []
    if intro:
        out += [line(("The blast-radius demo: where could a package's install-time code reach here?", "bold")), line()]
        out += [line((INTRO, "")), line()]
    home = next((p.path for p in result.places if p.id == "home"), "")
    out.append(line(("you", "bold"), f" = {result.user_how}; ", ("~", "bold"), f" = {home}", hang=2))
    target = f" = {result.site_packages} (where {result.interpreter}'s pip installs)"
    out.append(line(("site-packages", "bold"), target, hang=2))
    out.append(line())
    out.extend(matrix(result, width))
    out.append(line())
    legend = "YES / no: what the canary saw (it matches the prediction unless marked ≠ and !)."
    if any(not r.ran for r in result.rows):
        legend += " (YES) / (no): predicted only, that approach did not run."
    if any(c.predicted == ABSENT for r in result.rows for c in r.cells.values()):
        legend += " —: nothing there to read."
    out.append(line((legend, "dim"), hang=2))
    out.extend(verdict(result))
    out.extend(sudo_adds(result))
    out.append(line(("Reading it: ", "bold"), (READING, ""), hang=2))
    out.append(line())
    out.append(line(("How each install ran", "bold")))
    for r in result.rows:
        if r.ran:
            who = r.observed.user if r.observed else "?"
            segs = [(f"as {who}, {r.seconds:.1f} s: ", ""), (f"$ {r.command}", "cyan")]
        else:
            segs = [(f"not run: {r.not_run}", "yellow")]
        out.append(line((r.title.ljust(CELL), "bold"), *segs, indent=2, hang=CELL))
    for note in result.notes:
        out.append(line((f"• {note}", "dim"), hang=2))
    out.append(
        line((f"Took {result.seconds:.1f} s. Nothing outside the demo's temporary folders changed.", "dim"), hang=2)
    )
    return out
