"""Provides the rich rendering of the machine report: summary first, then interpreters, findings, sudo lens."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from wizard import texts
from wizard.doctor import Report
from wizard.model import Finding, Interpreter, InterpreterView, Resolution, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection

GLYPH = {Severity.DANGER: "✗", Severity.WARNING: "!", Severity.INFO: "·"}
STYLE = {Severity.DANGER: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
HEADING = {Severity.DANGER: "Danger", Severity.WARNING: "Warnings", Severity.INFO: "Notes"}


class Short:
    """Abbreviates the user's home directory to ``~`` in text meant for reading (never in commands)."""

    def __init__(self, home: str) -> None:
        self.prefix = home.rstrip("/") + "/" if home not in ("", "/") else None

    def __call__(self, text: str | None) -> str:
        if not text:
            return text or ""
        return text.replace(self.prefix, "~/") if self.prefix else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def header(report: Report) -> RenderableType:
    """The first lines: where and as whom, then the counts and the most important finding."""
    state, s = report.state, report.summary()
    where = state.platform.distro_name or state.platform.system
    who = state.user.name + (f" (through sudo, for {state.user.sudo_user})" if state.user.sudo_user else "")
    line = Text()
    line.append("pip-setup-wizard doctor", style="bold")
    line.append(f" — {where}, as {who}")
    counts = Text()
    for sev, word in ((Severity.DANGER, "danger"), (Severity.WARNING, "warning"), (Severity.INFO, "note")):
        n = s[sev.value]
        label = f"{GLYPH[sev]} {n} {word}" if sev is Severity.DANGER else f"{GLYPH[sev]} {_plural(n, word)}"
        counts.append(label, style=STYLE[sev] if n else "dim")
        counts.append("   ")
    counts.append(f"{s['inspected']} of {_plural(s['interpreters'], 'interpreter')} inspected", style="dim")
    top = Text("→ " + s["headline"], style="bold red" if s["danger"] else ("yellow" if s["warning"] else "green"))
    return Group(line, counts, top)


def _approach_cell(view: InterpreterView | None, interp: Interpreter) -> Text:
    if not interp.ok:
        return Text(interp.status.value, style="dim")
    if view is None or view.approach is None:
        return Text("?")
    value = view.approach.id.value
    style = {"own-site": "red", "mixed": "yellow", "virtualenv": "green"}.get(value, "")
    return Text(value, style=style)


def _ordered(report: Report) -> list[tuple[Interpreter, InterpreterView | None]]:
    pairs = [(i, report.diagnosis.view(i.path)) for i in report.state.interpreters]
    return sorted(pairs, key=lambda p: (not (p[1] and (p[1].roles or p[1].used_by_root)), not p[0].ok))


def _who_uses(view: InterpreterView | None) -> str:
    if view is None:
        return ""

    def commands(suffix: str = "", prefix: str = "") -> list[str]:
        found = [
            r[len(prefix) : len(r) - len(suffix)] for r in view.roles if r.startswith(prefix) and r.endswith(suffix)
        ]
        merged = {"python" if c.startswith("python") else "pip" if c.startswith("pip") else c for c in found}
        return sorted(merged, key=["python", "pip"].index) if merged <= {"python", "pip"} else sorted(merged)

    parts = []
    mine = commands(suffix=" for you")
    if mine:
        parts.append(f"you ({', '.join(mine)})")
    theirs = commands(prefix="sudo ")
    if theirs:
        parts.append(f"sudo ({', '.join(theirs)})")
    parts += [r for r in view.roles if not r.endswith(" for you") and not r.startswith("sudo ")]
    if view.used_by_root and not theirs:
        parts.append("root")
    return ", ".join(parts)


def interpreters(report: Report, verbose: bool, short: Short) -> RenderableType:
    """A table of every interpreter, then details for those that matter."""
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("", width=1)
    table.add_column("Interpreter", overflow="fold", ratio=3)
    table.add_column("Python")
    table.add_column("Approach")
    table.add_column("Who uses it", overflow="fold", ratio=2)
    details: list[RenderableType] = []
    for interp, view in _ordered(report):
        ok = Text("✓", style="green") if interp.ok else Text("✗", style="red")
        name = Text(short(interp.path))
        if interp.marker and interp.marker.present:
            name.append(" (PEP 668)", style="dim")
        who = _who_uses(view)
        table.add_row(ok, name, interp.version or "?", _approach_cell(view, interp), who or Text("—", style="dim"))
        if interp.ok and view and (view.roles or view.used_by_root or verbose):
            details.append(_details(interp, view, report, verbose, short))
    return Group(Text("Interpreters", style="bold underline"), table, Text(""), *details)


def _details(interp: Interpreter, view: InterpreterView, report: Report, verbose: bool, short: Short) -> RenderableType:
    lines = Text()
    lines.append(short(interp.path), style="bold")
    if interp.shim:
        lines.append(f"  (through the pyenv shim {short(interp.shim)})", style="dim")
    for target in interp.pip_target:
        info = report.state.path_info(target)
        label = info.owner_label if info else "?"
        lines.append(f"\n  pip installs into {short(target)} ({label})")
    if interp.distro_dirs:
        lines.append(f"\n  the package manager's: {', '.join(interp.distro_dirs)}", style="dim")
    if verbose or (view.approach and view.approach.id.value in ("own-site", "mixed", "pip-user")):
        for line in view.approach.evidence if view.approach else ():
            lines.append(f"\n  • {short(line)}", style="dim")
    if verbose:
        for reason in view.root_reasons:
            lines.append(f"\n  root uses it: {reason}", style="dim")
    return Padding(lines, (0, 0, 1, 2), expand=False)


def _finding(f: Finding, verbose: bool, available: Collection[str], short: Short) -> RenderableType:
    body = Text()
    body.append(f"{GLYPH[f.severity]} ", style=STYLE[f.severity])
    body.append(short(f.title), style="bold" if f.severity is not Severity.INFO else "")
    if f.severity is Severity.INFO and not verbose:
        return Padding(body, (0, 0, 0, 2), expand=False)
    parts: list[RenderableType] = [body, Padding(Text(short(f.why)), (0, 0, 0, 4))]
    if f.fix:
        fix = Text("Fix: ", style="bold")
        fix.append(f.fix.text)
        for part in f.fix.command.split(" && ") if f.fix.command else ():
            fix.append("\n$ ", style="dim")
            fix.append(part, style="bold cyan")
        if f.fix.action and f.fix.action.split()[1:2] and f.fix.action.split()[1] in available:
            fix.append("\nor let the wizard do it: ", style="dim")
            fix.append(f.fix.action, style="bold cyan")
        parts.append(Padding(fix, (0, 0, 0, 4), expand=False))
    if verbose and f.evidence:
        parts.append(Padding(Text("\n".join(f"• {short(e)}" for e in f.evidence), style="dim"), (0, 0, 0, 4)))
    if verbose and f.cite:
        cites = "; ".join(texts.cite_label(c) for c in f.cite)
        parts.append(Padding(Text(f"Sources: {cites}", style="dim italic"), (0, 0, 0, 4), expand=False))
    return Padding(Group(*parts), (0, 0, 1, 2), expand=False)


def findings(report: Report, verbose: bool, available: Collection[str], short: Short) -> RenderableType:
    """Findings grouped by severity, each with why and fix (notes are one line unless verbose)."""
    out: list[RenderableType] = [Text("Findings", style="bold underline")]
    for sev in (Severity.DANGER, Severity.WARNING, Severity.INFO):
        group = [f for f in report.diagnosis.findings if f.severity is sev]
        if not group:
            continue
        out.append(Text(f"{HEADING[sev]} ({len(group)})", style=STYLE[sev]))
        out += [_finding(f, verbose, available, short) for f in group]
        if sev is Severity.INFO and not verbose:
            out.append(Text(""))
    if len(out) == 1:
        out.append(Text("Nothing to report.", style="green"))
    return Group(*out)


def _describe(res: Resolution | None, version: str | None, short: Short) -> Text:
    if res is None:
        return Text("unknown: sudo's settings cannot be read as this user", style="dim")
    if not res.path:
        return Text(res.note or "not found", style="dim")
    text = Text(short(res.path))
    if res.interpreter and res.interpreter != res.path:
        text.append(f" → {short(res.interpreter)}")
    if version:
        text.append(f" · Python {version}", style="dim")
    if res.via:
        text.append(f" · {short(res.via)}", style="dim")
    return text


def sudo_lens(report: Report, short: Short) -> RenderableType:
    """What python3 and pip are for you and under sudo."""
    state = report.state
    title = Text("The sudo lens", style="bold underline")
    if not state.sudo.installed:
        return Group(title, Text("sudo is not installed, so there is no `sudo pip` on this machine.\n"))
    table = Table(box=None, pad_edge=False, show_edge=False, show_header=False)
    table.add_column("command", style="bold")
    table.add_column("who", style="dim")
    table.add_column("what", overflow="fold")
    for row in report.diagnosis.lens:
        table.add_row(row.command, "for you", _describe(row.for_you, row.you_version, short))
        if state.under_sudo is None:
            continue
        theirs = _describe(row.under_sudo, row.sudo_version, short)
        if row.same is False:
            theirs.append("  ← differs", style="yellow")
        elif row.same:
            theirs.append("  (same)", style="green")
        table.add_row("", "under sudo", theirs)
    path = state.sudo.secure_path
    if path:
        note = Text(
            f"Under sudo, PATH is secure_path (from {state.sudo.secure_path_source}): {':'.join(path)}", style="dim"
        )
    else:
        why = state.sudo.secure_path_source
        if why.startswith("unreadable"):
            why = "only root can read sudo's settings"
        note = Text(
            f"What these are under sudo is not known here ({why}); `sudo pip-setup-wizard detect` shows root's view.",
            style="dim",
        )
    return Group(title, table, note, Text(""))


def machine(report: Report, short: Short) -> RenderableType:
    """sudo, pip's configuration, related tools and the venvs found, one line each."""
    state = report.state
    table = Table(box=None, pad_edge=False, show_edge=False, show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", overflow="fold")
    sudo = state.sudo
    if not sudo.installed:
        sudo_text = "not installed"
    elif state.user.is_root:
        sudo_text = f"{sudo.path} (you are root)"
    else:
        sudo_text = (
            f"{sudo.path}, "
            + {True: "runs without asking for a password", False: "asks for a password", None: "password use unknown"}[
                sudo.passwordless
            ]
        )
    table.add_row("sudo", sudo_text)
    configs = []
    for conf in state.pip_configs:
        keys = ", ".join(k.split(".", 1)[1] for k in conf.values) or "nothing that matters here"
        where = "environment" if conf.scope == "env" and not conf.path.startswith("/") else short(conf.path)
        configs.append(f"{where} ({conf.scope}: {keys})")
    table.add_row("pip settings", "\n".join(configs) or "none (pip's defaults)")
    tools = [f"{name} {short(path)}" for name, path in state.tools.items() if name in ("pipx", "uv", "pyenv", "conda")]
    table.add_row("tools", ", ".join(tools) or "no pipx, uv, pyenv or conda found")
    venvs = [f"{short(v.path)}" + (f" (Python {v.version})" if v.version else "") for v in state.venvs[:8]]
    more = f" and {len(state.venvs) - 8} more" if len(state.venvs) > 8 else ""
    table.add_row("virtualenvs", (", ".join(venvs) + more) if venvs else "none in the usual places")
    return Group(Text("This machine", style="bold underline"), table, Text(""))


def render_report(report: Report, console: Console, *, verbose: bool = False, available: Collection[str] = ()) -> None:
    """Prints the whole report for a person."""
    short = Short(report.state.user.home)
    console.print(header(report))
    console.print()
    console.print(interpreters(report, verbose, short))
    console.print(machine(report, short))
    console.print(findings(report, verbose, available, short))
    console.print(sudo_lens(report, short))
    hint = "-v shows the evidence and sources of every finding; --json gives the same data for programs."
    console.print(Text(hint, style="dim"))
