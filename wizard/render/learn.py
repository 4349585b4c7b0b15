"""Provides the rich rendering of the teaching content: the overview, one approach, one topic."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from wizard import texts

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
COLUMNS = (
    ("install_code_runs_as", "Install code runs as"),
    ("tamper_later", "Can change what root imports later"),
    ("protects_system", "Protects the system"),
    ("breaks_distro", "Can break the distro"),
    ("needs_sudo", "Needs sudo"),
    ("pep668", "Under PEP 668"),
)
# Who runs pip and where it writes, per approach; the last column says who imports from there.
FLOW = (
    ("sudo-pip", "root (through sudo)", "the system site-packages", "root, services, every user", False),
    ("pip-user", "the pip user (sudo -u)", "the system site-packages", "root, services, every user", False),
    ("own-site", "you, and every program you run", "the system site-packages", "root, services, every user", True),
    ("virtualenv", "you", "your virtualenv", "only you", False),
)


def comparison() -> Table:
    """The four approaches side by side."""
    table = Table(title="The four approaches", title_justify="left", header_style="bold", show_lines=True)
    table.add_column("Approach", style="bold")
    for _key, label in COLUMNS:
        table.add_column(label)
    for approach in texts.approaches().values():
        row = approach.row
        style = {"no": "red", "yes": "green"}.get(row.protects_system, "yellow")
        cells = [Text(getattr(row, key), style=style if key == "protects_system" else "") for key, _ in COLUMNS]
        table.add_row(f"({approach.number}) {approach.id}", *cells)
    return table


def diagram() -> RenderableType:
    """Who can write where, and who runs what is written there."""
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    for label in ("", "runs pip and install code", "", "writes into", "", "imported by"):
        table.add_column(label)
    for ident, writer, place, readers, danger in FLOW:
        arrow_style = "bold red" if danger else "green"
        table.add_row(
            Text(ident, style="bold"),
            Text(writer, style="red" if danger else ""),
            Text("──▶", style=arrow_style),
            Text(place),
            Text("◀──", style=arrow_style),
            Text(readers),
        )
    legend = Text(
        "Red: someone other than root can change code that root runs, a path to root. "
        "In approaches 1 and 2 the writer is root or a locked-down account; in 4 root never reads it.",
        style="dim",
    )
    return Group(Text("Who can write where", style="bold underline"), table, legend)


def overview() -> RenderableType:
    """``learn`` with no argument: the table, the diagram, and what else there is to read."""
    intro = Text(
        "pip can install packages four ways, and they differ in two questions: whose privileges the code a "
        "package runs while installing gets, and who can later change the code root imports. `learn APPROACH` "
        "explains one in full, with its risks and sources."
    )
    topics = Table(box=None, show_header=False, pad_edge=False)
    topics.add_column(style="bold")
    topics.add_column()
    for topic in texts.topics().values():
        topics.add_row(topic.id, topic.summary)
    names = ", ".join(texts.approaches())
    return Group(
        intro,
        Text(""),
        comparison(),
        Text(""),
        diagram(),
        Text(""),
        Text("Topics (pip-setup-wizard learn TOPIC)", style="bold underline"),
        topics,
        Text(""),
        Text(f"Approaches: {names}.", style="dim"),
    )


def _sources(cites: list[str]) -> RenderableType:
    lines = Text()
    for i, cite in enumerate(dict.fromkeys(cites), 1):
        found = texts.resolve(cite)
        url = found[0].get("url", "") if found else ""
        lines.append(f"[{i}] {texts.cite_label(cite)}", style="")
        if url:
            lines.append(f"\n    {url}", style="dim")
        lines.append("\n")
    return Group(Text("Sources", style="bold underline"), lines)


def _refs(cites: tuple[str, ...], order: list[str]) -> str:
    for c in cites:
        if c not in order:
            order.append(c)
    return " ".join(f"[{order.index(c) + 1}]" for c in cites)


def approach(ident: str, with_check: bool = True) -> RenderableType:
    """One approach in full: how it works, risks, benefits, disputed views, a check question, sources."""
    a = texts.approaches()[ident]
    order: list[str] = []
    parts: list[RenderableType] = [
        Text(f"({a.number}) {a.title.replace('`', '')}", style="bold"),
        Text(a.summary.replace("\n", " ")),
        Text(""),
        Markdown(a.body.split("## How the wizard sets it up")[0]),
        Text(""),
        Text("Risks", style="bold underline"),
    ]
    for r in a.risks:
        head = Text(f"{r.severity.upper():7} ", style=SEVERITY_STYLE[r.severity])
        head.append(r.title, style="bold")
        head.append(f"  {_refs(r.cite, order)}", style="dim")
        body = Text(r.explanation.replace("\n", " "))
        body.append(f"\nWho: {r.who}. How likely: {r.likelihood}", style="dim")
        items: list[RenderableType] = [head, Padding(body, (0, 0, 0, 8))]
        if r.today:
            today = Text("Today: ", style="bold")
            today.append(r.today.replace("\n", " "))
            items.append(Padding(today, (0, 0, 0, 8)))
        parts.append(Group(*items, Text("")))
    parts.append(Text("Benefits", style="bold underline"))
    for b in a.benefits:
        head = Text("+ ", style="green")
        head.append(b.title, style="bold")
        head.append(f"  {_refs(b.cite, order)}", style="dim")
        parts.append(Group(head, Padding(Text(b.explanation.replace("\n", " ")), (0, 0, 1, 2))))
    if a.views:
        parts.append(Text("Where the sources disagree", style="bold underline"))
        for v in a.views:
            claim = Text("View: ", style="bold")
            claim.append(v.claim.replace("\n", " "))
            claim.append(f"  {_refs(v.cite, order)}", style="dim")
            answer = Text("Answer: ", style="bold")
            answer.append(v.response.replace("\n", " "))
            parts.append(Group(claim, Padding(answer, (0, 0, 1, 2))))
    parts.append(
        Markdown(
            "## How the wizard sets it up\n\n"
            + a.section("How the wizard sets it up")
            + "\n\n## How to undo it\n\n"
            + a.section("How to undo it")
        )
    )
    if with_check:  # the full-screen app asks it instead
        parts.append(Text(""))
        parts.append(check(a.check))
    parts.append(Text(""))
    parts.append(_sources(order + [c for c in a.cite if c not in order]))
    return Group(*parts)


def check(c: texts.Check) -> RenderableType:
    """The check-your-understanding question, with its answer below it."""
    text = Text("Check your understanding: ", style="bold")
    text.append(c.question)
    for i, choice in enumerate(c.choices):
        text.append(f"\n  {chr(97 + i)}) {choice}")
    answer = Text(f"Answer: {chr(97 + c.answer)}) {c.choices[c.answer]}. ", style="green")
    answer.append(c.explanation.replace("\n", " "), style="")
    return Group(text, answer)


def topic(ident: str) -> RenderableType:
    """One topic in full."""
    t = texts.topics()[ident]
    parts: list[RenderableType] = [
        Text(t.title.replace("`", ""), style="bold"),
        Text(t.summary),
        Text(""),
        Markdown(t.body),
    ]
    if t.see_also:
        parts.append(Text(f"\nSee also: {', '.join(t.see_also)}", style="dim"))
    parts.append(Text(""))
    parts.append(_sources(list(t.cite)))
    return Group(*parts)
