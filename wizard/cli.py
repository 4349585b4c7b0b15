"""Provides the ``pip-setup-wizard`` command line (argparse); front ends are imported lazily inside main()."""

from __future__ import annotations

import os
import sys

from wizard import __version__
from wizard.errors import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError, WizardError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence

    from rich.console import Console

    from wizard.doctor import Report

PROG = "pip-setup-wizard"
APPROACHES = ("sudo-pip", "pip-user", "own-site", "virtualenv")
# Subcommands that work in this version; the others are listed (with their options) but say so and exit 2.
AVAILABLE = frozenset({"detect", "learn", "recommend"})

DESCRIPTION = """\
How should you install Python packages with pip without exposing your whole system?
This wizard looks at your machine, explains the four usual answers and their risks, recommends one,
shows exactly what setting it up would change, and applies it only after you confirm.

The four approaches (ids used by every command):
  sudo-pip     (1) run `sudo pip` for everything: install code runs as root
  pip-user     (2) a dedicated pip user owns site-packages; pip runs through `sudo -u`
  own-site     (3) you own the system site-packages: anything you run can change code root runs
  virtualenv   (4) a virtual environment of your own: root never imports from it

Run without a command to start the guided wizard; `detect` shows what is true on this machine now."""

EPILOG = """\
exit codes:
  0    success
  1    an error (the message says what and how to fix it)
  2    wrong usage, or a command not available in this version
  3    `detect --fail-on` found a finding at or above the given severity
  130  interrupted (Ctrl-C)

environment:
  NO_COLOR               plain output without colours (also --no-color)
  PIP_SETUP_WIZARD_HOME  keep the wizard's own files (cache, state) under this directory

examples:
  pip-setup-wizard detect                 the machine report, for people
  pip-setup-wizard detect --json          the same data for programs (schema in the README)
  pip-setup-wizard detect --python /opt/python3.12/bin/python3 -v
"""

NOT_YET = "{name}: '{command}' is not available yet in version {version}; `{name} detect` shows the machine report"


def _add_plan_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--python",
        metavar="PATH",
        help="the interpreter to set up (default: the system python3, never this wizard's own venv)",
    )
    p.add_argument(
        "--user",
        metavar="NAME",
        default="pipinstall",
        help="pip-user: name of the dedicated pip user (default: %(default)s)",
    )
    p.add_argument(
        "--owner", metavar="NAME", help="own-site: who will own site-packages (default: you; SUDO_USER under sudo)"
    )
    p.add_argument(
        "--venv",
        metavar="PATH",
        help="virtualenv: where to create it (default: ~/.venvs/default or under $WORKON_HOME)",
    )
    p.add_argument(
        "--shell-rc",
        choices=("none", "path", "activate"),
        default="none",
        help="virtualenv: add nothing to your shell start-up file, put the venv's bin on PATH, "
        "or activate it (default: %(default)s)",
    )
    import argparse

    p.add_argument(
        "--require-virtualenv",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="virtualenv: make pip refuse to install outside a venv (`--no-require-virtualenv` "
        "leaves pip's setting alone)",
    )
    p.add_argument(
        "--only-binary",
        action="store_true",
        help="hardening: have pip install wheels only (`only-binary = :all:`), so no package build "
        "code runs at install time",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every SPEC §3 command and its options."""
    import argparse

    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG, formatter_class=fmt)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="the guided flow as plain prompts (for screen readers, dumb terminals, SSH)",
    )
    parser.add_argument("--no-color", action="store_true", help="no colours in the output (like NO_COLOR=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    # SUPPRESS: a subcommand's own default must not undo `--no-color` given before the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--no-color", action="store_true", default=argparse.SUPPRESS, help="no colours in the output (like NO_COLOR=1)"
    )

    def add(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        avail = "" if name in AVAILABLE else " (not available yet)"
        return sub.add_parser(
            name, help=summary + avail, description=description + avail, formatter_class=fmt, parents=[common]
        )

    d = add(
        "detect",
        "check this machine: interpreters, the approach in effect, findings with fixes",
        "The machine report ('doctor'). Finds every Python (PATH, /usr/bin, sudo's secure_path, pyenv,\n"
        "conda, Homebrew, uv), inspects each in an isolated subprocess (no site-packages code of theirs\n"
        "runs), and reports who can write where pip installs, the approach in effect for each, what\n"
        "`python3` and `pip` are for you and under sudo, and findings with fixes. It changes nothing.",
    )
    d.add_argument(
        "--python", metavar="PATH", action="append", default=[], help="also inspect this interpreter (repeat for more)"
    )
    d.add_argument("--json", action="store_true", help="print the report as JSON (schema 1, see the README)")
    d.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show evidence and sources for every finding, and details of every interpreter",
    )
    d.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long each interpreter may take to answer (default: %(default)s)",
    )
    d.add_argument(
        "--no-cache",
        action="store_true",
        help="probe every interpreter afresh instead of reusing answers for unchanged binaries",
    )
    d.add_argument(
        "--fail-on",
        choices=("danger", "warning"),
        help="exit with status 3 when a finding of this severity (or worse) is present",
    )
    d.add_argument(
        "--from-json",
        metavar="FILE",
        help="show a report saved earlier with --json (for example from another machine) "
        "instead of looking at this one",
    )

    lr = add(
        "learn",
        "the four approaches and their risks, explained with sources",
        "Explains an approach or a topic (PEP 668, sudo's environment, .pth files, ...) with citations.",
    )
    lr.add_argument("topic", nargs="?", metavar="APPROACH|TOPIC", help="what to explain (default: an overview)")
    lr.add_argument("--no-pager", action="store_true", help="print without a pager")

    rc = add(
        "recommend",
        "answer a few questions and get a recommended approach with reasons",
        "Asks about your machine and needs, combines the answers with what `detect` finds, and\n"
        "recommends an approach, a runner-up, and the reasons.",
    )
    rc.add_argument(
        "--answers",
        metavar="FILE",
        help="answers as TOML or JSON (keys: shared, system_wide, experimental, kind, sudo)",
    )
    rc.add_argument("--shared", choices=("yes", "no"), help="does anyone else use this machine?")
    rc.add_argument(
        "--system-wide",
        dest="system_wide",
        choices=("yes", "no"),
        help="must root, system tools or other users import the packages?",
    )
    rc.add_argument("--experimental", choices=("yes", "no"), help="will you try packages you do not know well?")
    rc.add_argument("--kind", choices=("libraries", "apps", "both"), help="what do you mostly install?")
    rc.add_argument("--sudo", choices=("yes", "no"), help="can you use sudo on this machine?")
    rc.add_argument(
        "--defaults",
        action="store_true",
        help="use this machine's defaults for questions not answered by flags or --answers (no prompts)",
    )
    rc.add_argument("--json", action="store_true", help="print the recommendation as JSON")

    pl = add(
        "plan",
        "preview exactly what setting up an approach would change (changes nothing)",
        "The dry run: every step, every path with owner/mode before and after, a diff for every file\n"
        "edit, the exact commands, and which steps need root. Changes nothing (writes only --out).",
    )
    pl.add_argument("approach", choices=APPROACHES, metavar="APPROACH", help=", ".join(APPROACHES))
    _add_plan_options(pl)
    pl.add_argument("--json", action="store_true", help="print the plan as JSON")
    pl.add_argument("--out", metavar="FILE", help="save the plan (with fingerprints of what it read) to FILE")

    ap = add(
        "apply",
        "set up an approach after you confirm (journaled, reversible)",
        "Applies a plan after showing it and asking; write-ahead journaled, rolled back on error or\n"
        "Ctrl-C. Without a terminal it refuses unless --yes is given.",
    )
    ap.add_argument("approach", nargs="?", choices=APPROACHES, metavar="APPROACH", help=", ".join(APPROACHES))
    _add_plan_options(ap)
    ap.add_argument("--plan", metavar="FILE", help="apply exactly this saved plan (refused if the machine changed)")
    ap.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    st = add(
        "status",
        "what the wizard has set up, checked against the machine",
        "Lists what the wizard applied (from its journal) and whether the machine still matches.",
    )
    st.add_argument("--json", action="store_true", help="print the status as JSON")

    un = add(
        "undo",
        "revert what the wizard set up, newest change first",
        "Restores owners, modes and file contents the wizard changed; in shared files (shell start-up\n"
        "files, pip.conf) it removes only its own lines and keeps your later edits.",
    )
    un.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    rv = add(
        "recover",
        "finish or roll back an apply that was interrupted",
        "After a crash or power loss during apply, rolls the unfinished change back (or forward).",
    )
    rv.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    ex = add(
        "export",
        "the same plan for many machines: an Ansible playbook or a shell script",
        "Writes the plan for an approach as an Ansible playbook or a POSIX sh script.",
    )
    ex.add_argument("approach", choices=APPROACHES, metavar="APPROACH", help=", ".join(APPROACHES))
    ex.add_argument("--format", choices=("ansible", "shell"), required=True, help="what to write")
    _add_plan_options(ex)
    ex.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    return parser


def _console(no_color: bool, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(no_color=no_color or bool(os.environ.get("NO_COLOR")), stderr=stderr, highlight=False)


def _print_error(err: WizardError) -> None:
    lines = err.lines()
    sys.stderr.write(f"{PROG}: error: {lines[0]}\n")
    for line in lines[1:]:
        sys.stderr.write(f"  {line}\n")


def _load_report(path: str) -> Report:
    import json

    from wizard.doctor import report_for, state_from_report

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return report_for(state_from_report(data))
    except OSError as exc:
        raise WizardError(
            f"cannot read {path}: {exc.strerror}", hint="check the file name", ref="from-json-unreadable"
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise WizardError(
            f"{path} is not a report saved with `{PROG} detect --json`: {exc}",
            hint=f"save one with `{PROG} detect --json > report.json`",
            ref="from-json-invalid",
        ) from None


def cmd_detect(args: argparse.Namespace) -> int:
    """The machine report."""
    if args.timeout <= 0:
        raise UsageError(
            f"--timeout must be a positive number of seconds, not {args.timeout:g}", hint="try --timeout 5"
        )
    if args.from_json:
        report = _load_report(args.from_json)
    else:
        from wizard.detect import DetectOptions
        from wizard.doctor import run

        report = run(DetectOptions(pythons=tuple(args.python), timeout=args.timeout, use_cache=not args.no_cache))
    if args.json:
        import json

        # Indented for a person at a terminal; compact (and ~10x faster to write) for programs.
        indent = 2 if sys.stdout.isatty() else None
        sys.stdout.write(json.dumps(report.to_dict(), indent=indent, ensure_ascii=False) + "\n")
    else:
        from wizard.render.report import render_report

        render_report(report, _console(args.no_color), verbose=args.verbose, available=AVAILABLE)
    if args.fail_on:
        from wizard.model import Severity

        floor = Severity(args.fail_on).rank
        if any(f.severity.rank >= floor for f in report.diagnosis.findings):
            return EXIT_FINDINGS
    return EXIT_OK


def show(renderable: object, no_color: bool, no_pager: bool) -> None:
    """Prints ``renderable``; through a pager when stdout is a terminal and it does not fit on one screen."""
    from rich.console import Console, RenderableType

    console = _console(no_color)
    item: RenderableType = renderable  # type: ignore[assignment]
    if no_pager or not console.is_terminal:
        console.print(item)
        return
    with open(os.devnull, "w") as sink:
        probe = Console(file=sink, width=console.width, record=True, no_color=True)
        probe.print(item)
        lines = probe.export_text().count("\n")
    if lines <= console.height:
        console.print(item)
        return
    os.environ.setdefault("LESS", "-FRX")  # keep colours, quit if one screen, leave the text on screen
    with console.pager(styles=not console.no_color):
        console.print(item)


def cmd_learn(args: argparse.Namespace) -> int:
    """The explanations: overview, an approach, or a topic."""
    from wizard import texts
    from wizard.render import learn

    name = args.topic
    approaches, topics = texts.approaches(), texts.topics()
    if name is None:
        item = learn.overview()
    elif name in approaches:
        item = learn.approach(name)
    elif name in topics:
        item = learn.topic(name)
    else:
        import difflib

        known = [*approaches, *topics]
        close = difflib.get_close_matches(name, known, n=1)
        raise UsageError(
            f"there is no approach or topic called {name!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
            hint=f"choose one of: {', '.join(known)} (or no argument for the overview)",
            ref="learn-unknown",
        )
    show(item, args.no_color, args.no_pager)
    return EXIT_OK


def cmd_recommend(args: argparse.Namespace) -> int:
    """The questionnaire and the recommendation."""
    from wizard.recommend import QUESTIONS, Facts, answers_from, load_answers_file, parse_answers, recommend

    given: dict[str, object] = {}
    source = "the command line"
    if args.answers:
        given.update(load_answers_file(args.answers))
        source = args.answers
    given.update({q.id: getattr(args, q.id) for q in QUESTIONS if getattr(args, q.id) is not None})
    parse_answers(given, source)  # fail on a bad answer before looking at the machine
    missing = [q.id for q in QUESTIONS if q.id not in given]
    if missing and not args.defaults and not _interactive():
        flags = " ".join(f"--{m.replace('_', '-')} ..." for m in missing)
        raise UsageError(
            f"recommend needs answers for: {', '.join(missing)}",
            hint=f"run it in a terminal to be asked, or pass {flags} (or --answers FILE, or --defaults)",
            ref="answers-missing",
        )
    from wizard.detect import DetectOptions
    from wizard.doctor import run

    report = run(DetectOptions())
    facts = Facts.from_state(report.state, report.diagnosis)
    if missing and not args.defaults:
        from wizard.plain.questionnaire import ask

        given = ask(given, facts.default_answers())
        source = "your answers"
    answers = answers_from(given, source, facts.default_answers() if args.defaults else None)
    rec = recommend(answers, facts)
    if args.json:
        import json
        from dataclasses import asdict

        data = {"schema": 1, "answers": answers.to_dict(), "machine": asdict(facts), "recommendation": rec.to_dict()}
        sys.stdout.write(json.dumps(data, indent=2 if sys.stdout.isatty() else None) + "\n")
    else:
        from wizard.render.recommend import recommendation

        _console(args.no_color).print(recommendation(rec))
    return EXIT_OK


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty() and os.environ.get("TERM", "") != "dumb"


def cmd_default(args: argparse.Namespace) -> int:
    """No command: the guided wizard (the machine report until the full-screen app arrives)."""
    if args.plain:
        sys.stderr.write(NOT_YET.format(name=PROG, command="--plain", version=__version__) + "\n")
        return EXIT_USAGE
    if not _interactive():
        plain = f"`{PROG} --plain` for plain prompts, or " if "--plain" in AVAILABLE else ""
        sys.stderr.write(
            f"{PROG}: the guided wizard needs a terminal (stdin and stdout must be terminals and TERM not "
            f"'dumb').\n  Use {plain}a command such as `{PROG} detect`; `{PROG} --help` lists them.\n"
        )
        return EXIT_USAGE
    from wizard.detect import DetectOptions
    from wizard.doctor import run
    from wizard.render.report import render_report

    console = _console(args.no_color)
    with console.status("Looking at this machine…"):
        report = run(DetectOptions())
    render_report(report, console, available=AVAILABLE)
    console.print(
        f"[dim]This version shows the machine report; the guided full-screen wizard comes in a "
        f"later version. `{PROG} --help` lists the commands.[/dim]"
    )
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "detect": cmd_detect,
    "learn": cmd_learn,
    "recommend": cmd_recommend,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # answered before argparse is even imported: keeps it instant
        sys.stdout.write(f"{PROG} {__version__}\n")
        return EXIT_OK
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help
        return int(exc.code or 0)
    if getattr(args, "no_color", False):
        os.environ["NO_COLOR"] = "1"
    try:
        if args.command is None:
            return cmd_default(args)
        if args.command not in AVAILABLE:
            sys.stderr.write(NOT_YET.format(name=PROG, command=args.command, version=__version__) + "\n")
            return EXIT_USAGE
        return COMMANDS[args.command](args)
    except WizardError as err:
        _print_error(err)
        return err.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("Cancelled. No changes were made.\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `detect | head`: the reader went away; not an error worth a traceback.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK
