"""Provides the ``pip-setup-wizard`` command line (argparse); front ends are imported lazily inside main()."""

from __future__ import annotations

import os
import sys

from wizard import __version__
from wizard.commands.common import AVAILABLE, CANCELLED, PROG, interactive, print_error
from wizard.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError, WizardError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import Any


APPROACHES = ("sudo-pip", "pip-user", "own-site", "virtualenv")

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
  sudo pip-setup-wizard demo              where install-time code could reach, approach by approach
"""

NOT_YET = "{name}: '{command}' is not available yet in version {version}; `{name} detect` shows the machine report"


def _add_plan_options(p: argparse._ActionsContainer, asked: bool = False) -> None:
    """The options of a plan; ``asked``: for --plain, where an option not given is asked, so every default is
    None ("not given") and the yes/no options take a --no- form too."""
    import argparse

    p.add_argument(
        "--python",
        metavar="PATH",
        help="the interpreter to set up (default: the system python3, never this wizard's own venv)",
    )
    p.add_argument(
        "--user",
        metavar="NAME",
        default=None if asked else "pipinstall",
        help="pip-user: name of the dedicated pip user (default: pipinstall)",
    )
    p.add_argument(
        "--owner", metavar="NAME", help="own-site: who will own site-packages (default: you; SUDO_USER under sudo)"
    )
    p.add_argument(
        "--target",
        metavar="PATH",
        help="sudo-pip, pip-user, own-site: the one site-packages directory to change (it must be one "
        "the interpreter installs into; default: all of them)",
    )
    p.add_argument(
        "--venv",
        metavar="PATH",
        help="virtualenv: where to create it (default: ~/.venvs/default or under $WORKON_HOME)",
    )
    p.add_argument(
        "--shell-rc",
        choices=("none", "path", "activate"),
        default=None if asked else "none",
        help="virtualenv: add nothing to your shell start-up file, put the venv's bin on PATH, "
        "or activate it (default: none)",
    )
    p.add_argument(
        "--require-virtualenv",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="virtualenv: make pip refuse to install outside a venv (`--no-require-virtualenv` "
        "leaves pip's setting alone)",
    )
    # Asked, a yes/no option needs a way to say "no" too, so that the question is not asked.
    flag: dict[str, Any] = (
        {"action": argparse.BooleanOptionalAction, "default": None} if asked else {"action": "store_true"}
    )
    p.add_argument(
        "--only-binary",
        **flag,
        help="hardening: have pip install wheels only (`only-binary = :all:`), so no package build "
        "code runs at install time",
    )
    p.add_argument(
        "--break-system-packages",
        **flag,
        help="sudo-pip, pip-user, own-site on a PEP 668 system: let that approach's pip override the "
        "marker (set in its own pip.conf only, never globally)",
    )
    p.add_argument(
        "--uv",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="virtualenv: create it with uv (default: when uv is installed); --no-uv uses python -m venv",
    )


def _add_answers(p: argparse._ActionsContainer) -> None:
    """The questionnaire's answers (`recommend` and --plain)."""
    p.add_argument("--shared", choices=("yes", "no"), help="does anyone else use this machine?")
    p.add_argument(
        "--system-wide",
        dest="system_wide",
        choices=("yes", "no"),
        help="must root, system tools or other users import the packages?",
    )
    p.add_argument("--experimental", choices=("yes", "no"), help="will you try packages you do not know well?")
    p.add_argument("--kind", choices=("libraries", "apps", "both"), help="what do you mostly install?")
    p.add_argument("--sudo", choices=("yes", "no"), help="can you use sudo on this machine?")


def _add_plain_options(parser: argparse.ArgumentParser) -> None:
    """--plain's answers as flags: a question whose answer is given is not asked (so scripts meet no prompt)."""
    group = parser.add_argument_group(
        "answers for --plain",
        "Used only with --plain: each answers one of its questions, which is then not asked. With every answer\n"
        "given (and --yes) the plain flow asks nothing.",
    )
    _add_answers(group)
    group.add_argument("--approach", choices=APPROACHES, metavar="APPROACH", help=", ".join(APPROACHES))
    _add_plan_options(group, asked=True)
    group.add_argument("--yes", action="store_true", help="apply without the final confirmation")
    group.add_argument(
        "--accept-risk",
        metavar="RISK",
        help="own-site with --yes: pass --accept-risk 'privilege escalation' to confirm it",
    )


# What _add_plain_options adds: given without --plain, they would be silently ignored.
PLAIN_OPTIONS = (
    "shared",
    "system_wide",
    "experimental",
    "kind",
    "sudo",
    "approach",
    "python",
    "user",
    "owner",
    "target",
    "venv",
    "shell_rc",
    "require_virtualenv",
    "only_binary",
    "break_system_packages",
    "uv",
    "yes",
    "accept_risk",
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
    _add_plain_options(parser)
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
    _add_answers(rc)
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
    pl.add_argument("--json", action="store_true", help="print the plan as JSON (every path, always)")
    pl.add_argument(
        "--all",
        dest="all_paths",
        action="store_true",
        help="list every path a step changes (by default the first 6 of each step, then a count)",
    )
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
    ap.add_argument(
        "--accept-risk",
        metavar="RISK",
        help="own-site without a terminal: pass --accept-risk 'privilege escalation' to confirm it",
    )

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
        "Writes the plan `plan` shows for an approach (same options, same detection, same steps) as an\n"
        "Ansible playbook or a POSIX sh script, with the guards `apply` uses: names checked, ownership\n"
        "changes that never follow links, sudoers drop-ins checked with visudo -cf, marked blocks in shell\n"
        "files. Both check the machine they run on first and stop, changing nothing, where it differs from\n"
        "this one; both change nothing on a second run, and have a check mode. It changes nothing here.\n\n"
        "examples:\n"
        "  pip-setup-wizard export pip-user --format ansible --out pip-user.yml\n"
        "  ansible-playbook -i HOST, pip-user.yml --check    (then without --check)\n"
        "  pip-setup-wizard export virtualenv --format shell --shell-rc path --out venv.sh\n"
        "  sh venv.sh --check                                  (then without --check)",
    )
    ex.add_argument("approach", choices=APPROACHES, metavar="APPROACH", help=", ".join(APPROACHES))
    ex.add_argument(
        "--format",
        choices=("ansible", "shell"),
        required=True,
        help="ansible: a playbook (ansible-core's own modules only); shell: a script for machines without Ansible",
    )
    _add_plan_options(ex)
    ex.add_argument(
        "--out", metavar="FILE", help="write to FILE (replaced atomically, mode 0600) instead of standard output"
    )

    dm = add(
        "demo",
        "watch where a package's install-time code could reach under each approach (changes nothing)",
        "The blast-radius demo. It builds a harmless source package, the canary, and installs it with pip\n"
        "under each approach it can run here. The canary's build step runs where a real package's setup.py\n"
        "would, as the account that approach runs pip as; it only looks (its uid, and with access checks\n"
        "which of /etc, /usr/local/bin, site-packages, root's home, your home, ~/.ssh and your shell's\n"
        "start-up file it could write, and whether it could read /etc/shadow and ~/.ssh), then stops its\n"
        "own build, so pip installs nothing. The matrix sets what the sources predict for this machine\n"
        "against what the canary saw, and flags every disagreement.\n\n"
        "As your normal user it runs a virtualenv (in a temporary folder) and pip install --user, and shows\n"
        "sudo-pip, pip-user and own-site as predictions. As root it also sets those three up for real, with\n"
        "the same planner `apply` uses, inside a private mount namespace (copy-on-write copies of /etc,\n"
        '/usr/local, /home, ...), so the machine does not change; "you" is SUDO_USER, or a throwaway account\n'
        "made inside the namespace. It changes nothing outside its temporary folders and takes seconds.\n\n"
        "examples:\n"
        "  pip-setup-wizard demo                  the user-level approaches, the others predicted\n"
        "  sudo pip-setup-wizard demo             every approach, set up in a private namespace\n"
        "  pip-setup-wizard demo --json > demo.json && pip-setup-wizard demo --from-json demo.json",
    )
    dm.add_argument("--python", metavar="PATH", help="install with this interpreter (default: the system python3)")
    dm.add_argument("--json", action="store_true", help="print the result as JSON (schema 1, see the README)")
    dm.add_argument(
        "--from-json", metavar="FILE", help="show a result saved earlier with --json instead of running the demo"
    )
    return parser


def cmd_default(args: argparse.Namespace) -> int:
    """No command: the guided wizard, full-screen, or as plain prompts with --plain."""
    if args.plain:
        from wizard.plain.flow import run

        return run(args)
    # Every one defaults to None ("not given"), except --yes; a False from --no-only-binary and the like was given.
    given = [n for n in PLAIN_OPTIONS if getattr(args, n, None) is not None and (n != "yes" or args.yes)]
    if given:
        flags = ["--" + name.replace("_", "-") for name in given]
        raise UsageError(
            f"{', '.join(flags)} {'answers a question' if len(flags) == 1 else 'answer questions'} of the plain "
            "flow: add --plain",
            hint=f"run `{PROG} --plain` with {'it' if len(flags) == 1 else 'them'}, or `{PROG} apply APPROACH` with "
            "the same options",
            ref="plain-only",
        )
    if not interactive():
        sys.stderr.write(
            f"{PROG}: the full-screen wizard needs a terminal (stdin and stdout must be terminals and TERM not "
            f"'dumb').\n  Use `{PROG} --plain` for the same steps as plain prompts (screen readers, dumb "
            f"terminals, SSH), or a command such as `{PROG} detect`; `{PROG} --help` lists them.\n"
        )
        return EXIT_USAGE
    # Textual tells a lone Escape from the start of a key's escape sequence by waiting ESCDELAY ms (default 100)
    # for more bytes; 50 keeps Escape within a key press's 100 ms and is still ample for SSH. ESCDELAY set in the
    # environment wins. Textual reads it once, on import; the programs the wizard starts do not get it.
    ours = "ESCDELAY" not in os.environ
    if ours:
        os.environ["ESCDELAY"] = "50"
    try:
        from wizard.tui.app import run_app
    finally:
        if ours:
            del os.environ["ESCDELAY"]
    return run_app(args)


def handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The function behind a subcommand (imported only when that subcommand runs)."""
    if command in ("detect", "learn", "recommend"):
        from wizard.commands import info as module
    elif command == "export":
        from wizard.commands import export as module  # type: ignore[no-redef]
    elif command == "demo":
        from wizard.commands import demo as module  # type: ignore[no-redef]
    else:
        from wizard.commands import setup as module  # type: ignore[no-redef]
    return getattr(module, f"cmd_{command}")  # type: ignore[no-any-return]


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
        return handler(args.command)(args)
    except WizardError as err:
        print_error(err)
        return err.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(CANCELLED + "\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `detect | head`: the reader went away; not an error worth a traceback.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK
