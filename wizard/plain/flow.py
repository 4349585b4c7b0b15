"""Provides the plain guided flow (`pip-setup-wizard --plain`): the full-screen wizard's eight steps as prompts.

The same steps in the same order (SPEC §8), as questionary prompts and rich output for screen readers, dumb
terminals and SSH. Every question has a flag (see ``pip-setup-wizard --help``); a question answered by a flag is
not asked, so with every answer given (and ``--yes``) the flow asks nothing. All the work is done by the
:class:`~wizard.session.Session` the full-screen app uses too; nothing changes before the person says Proceed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from wizard.commands.common import AVAILABLE, CANCELLED, PROG, console, escape, show
from wizard.commands.setup import confirm, done, print_status, progress, status_data, sudo_ready, through_sudo
from wizard.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, UsageError, WizardError
from wizard.plain.customize import customize, flag_options, problem
from wizard.plain.prompts import Prompts
from wizard.session import Session

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from rich.console import Console

    from wizard.journal import Journal
    from wizard.plan import PlanOptions
    from wizard.session import Preview

STEPS = ("Welcome", "Your machine", "The four approaches", "Which fits you", "Customize", "Preview", "Apply", "Done")


@dataclass
class Walk:
    """One walk through the flow: the command line, the session, where to print, how to ask."""

    args: argparse.Namespace
    session: Session
    out: Console
    ask: Prompts

    def heading(self, number: int) -> None:
        # Words, not a drawn rule: a screen reader reads "Step 2 of 8" where it would spell out a line of dashes.
        self.out.print()
        self.out.print(f"[bold]Step {number} of {len(STEPS)}: {STEPS[number - 1]}[/bold]")

    def write(self, preview: Preview) -> None:
        from wizard.render.lines import write
        from wizard.render.plan import preview as preview_lines

        self.out.file.flush()
        write(preview_lines(preview.plan, preview.outcome, preview.stand_ins), self.args.no_color)


def run(args: argparse.Namespace, session: Session | None = None, **prompt_kwargs: Any) -> int:
    """Walks the person through the eight steps; returns the exit code (130 after Ctrl-C at any prompt).

    ``prompt_kwargs`` go to every prompt: tests pass prompt_toolkit's pipe ``input`` and a ``DummyOutput``.
    """
    out = console(args.no_color)
    walk = Walk(args, session or Session(), out, Prompts(out, **prompt_kwargs))
    try:
        return _walk(walk)
    except KeyboardInterrupt:
        # An apply interrupted mid-way has rolled back before this is reached, so the message is true.
        sys.stderr.write(CANCELLED + "\n")
        return EXIT_INTERRUPTED


def _walk(w: Walk) -> int:
    stop = welcome(w)
    if stop is not None:
        return stop
    machine(w)
    learn(w)
    options = which_fits(w)
    w.heading(5)
    options = customize(w.session, w.ask, w.args, options, again=False)
    while True:
        w.heading(6)
        preview = w.session.preview(options)
        w.write(preview)
        if preview.plan.already:
            w.out.print("Nothing to change, so there is nothing to apply.")
            return EXIT_OK
        choice = decide(w, preview)
        if choice == "proceed":
            return apply(w, preview)
        if choice == "cancel":
            w.out.print("Cancelled: nothing was changed.")
            return EXIT_OK
        w.heading(5)
        options = customize(w.session, w.ask, w.args, options, again=True)


# --- 1. Welcome ----------------------------------------------------------------------------------------------


def welcome(w: Walk) -> int | None:
    """What the wizard does; what is set up already (switch, undo or review); an unfinished apply first."""
    w.heading(1)
    w.out.print(
        "This wizard helps you choose how to install Python packages with pip without exposing your system. "
        "It looks at this machine, explains the four usual approaches and their risks, recommends one, and "
        "shows exactly what setting it up would change.\n"
        "[bold]Nothing changes until you choose Proceed at the end.[/bold] "
        "Press Ctrl-C at any question to stop."
    )
    pending = w.session.unfinished()
    if pending is not None:
        stop = recover(w, pending)
        if stop is not None:
            return stop
    applied = w.session.applied()
    if applied is None:
        return None
    w.out.print(
        f"\nYou are on approach [bold]{applied.approach}[/bold] for {escape(applied.interpreter)} "
        f"since {applied.since_text} (set up by this wizard)."
    )
    if w.args.approach == applied.approach:
        w.out.print("The preview shows what, if anything, is left to do for it.")
        return None
    if w.args.approach:
        w.out.print(f"Setting up {w.args.approach} (--approach) switches from it: its changes are reverted first.")
        return None
    choice = w.ask.select(
        "What would you like to do?",
        [
            ("review", "Review it: show what is set up and whether it is still in place, then go on"),
            ("switch", "Go on: switch to another approach, or set this one up differently"),
            ("undo", "Undo it: put back everything the wizard changed"),
        ],
        "review",
    )
    if choice == "undo":
        return undo(w)
    if choice == "review":
        print_status(status_data(w.session.store), w.out)
    return None


def recover(w: Walk, pending: Journal) -> int | None:
    """An apply was interrupted (a crash, a power cut): until it is put back, nothing else may run."""
    w.out.print(
        f"\n[bold red]An earlier apply did not finish[/bold red] (journal {escape(pending.path)}). Until what it "
        "changed is put back, the wizard can do nothing else."
    )
    if not (w.args.yes or w.ask.confirm("Put back what it changed now?", default=True, flag="--yes")):
        w.out.print(f"Nothing was changed. `{PROG} recover` puts it back later; `{PROG} status` shows it.")
        return EXIT_ERROR
    if pending.steps() and os.geteuid() == 0:
        from wizard.safety import refuse_untrusted_self

        refuse_untrusted_self()
    journal = w.session.recover()
    if journal is not None:
        w.out.print(
            f"[bold green]Recovered:[/bold green] everything journal {journal.id} changed is put back "
            f"({len(journal.steps())} step(s))."
        )
    return None


def undo(w: Walk) -> int:
    """Reverts what the wizard set up, after showing exactly what that changes."""
    preview = w.session.undo_preview()
    if preview is None:
        w.out.print("Nothing to undo.")
        return EXIT_OK
    w.out.print("\nUndoing it would do this:")
    w.write(preview)
    if preview.needs_sudo:
        w.out.print(f"Undoing this needs root: run `sudo {PROG} undo`.")
        return EXIT_ERROR
    if not (w.args.yes or w.ask.confirm(f"Undo these {len(preview.plan.changes)} change(s)?", default=False)):
        w.out.print("Nothing was changed.")
        return EXIT_OK
    w.session.undo(preview, on_step=progress(w.out, len(preview.plan.steps)))
    w.out.print(f"[bold green]Undone:[/bold green] {preview.plan.approach} is no longer set up; everything is back.")
    return EXIT_OK


# --- 2. Your machine, 3. The four approaches ----------------------------------------------------------------


def machine(w: Walk) -> None:
    """The detection report: interpreters, the approach in effect, findings with fixes, the sudo lens."""
    from wizard.render.report import render_report

    w.heading(2)
    w.out.print("Looking at this machine (this only reads; it changes nothing)…\n")
    report = w.session.report or w.session.detect()
    render_report(report, w.out, available=AVAILABLE)


def learn(w: Walk) -> None:
    """The explanations, to read before choosing (optional: the default goes on)."""
    from wizard import texts
    from wizard.render import learn as render

    w.heading(3)
    if w.args.approach:
        w.out.print(f"You chose {w.args.approach} with --approach; `{PROG} learn {w.args.approach}` explains it.")
        return
    w.out.print(
        "There are four usual ways to let pip install packages for the system's Python, each with its own risks. "
        "You can read about them before choosing, or go straight on."
    )
    approaches = texts.approaches()
    choices = [
        ("skip", "Go on to the questions"),
        ("overview", "The overview: the four approaches side by side"),
        *((a.id, f"({a.number}) {a.id}: {a.title.replace('`', '')}") for a in approaches.values()),
    ]
    while (pick := w.ask.select("Read about them first?", choices, "skip")) != "skip":
        if pick == "overview":
            show(render.overview(), w.args.no_color, no_pager=False)
            continue
        show(render.approach(pick, with_check=False), w.args.no_color, no_pager=False)
        check = approaches[pick].check
        answer = w.ask.select(
            f"Check your understanding: {check.question}",
            [(str(i), choice) for i, choice in enumerate(check.choices)],
            "0",
        )
        right = int(answer) == check.answer
        w.out.print(
            ("[green]Right.[/green] " if right else f"Not quite: the answer is “{check.choices[check.answer]}”. ")
            + escape(check.explanation.replace("\n", " "))
        )


# --- 4. Which fits you --------------------------------------------------------------------------------------


def which_fits(w: Walk) -> PlanOptions:
    """The questionnaire and the recommendation, then the approach (the recommended one unless chosen)."""
    from wizard import texts
    from wizard.plain.questionnaire import ask
    from wizard.recommend import QUESTIONS
    from wizard.render.recommend import recommendation

    w.heading(4)
    if w.args.approach:
        w.out.print(f"You chose {w.args.approach} with --approach, so the questions that help choose are skipped.")
        options = flag_options(w.args, w.args.approach)
        w.session.plan(options)  # an approach or option given as a flag that cannot be planned stops here
        w.session.choose(options.approach)
        return options
    known = {q.id: getattr(w.args, q.id) for q in QUESTIONS if getattr(w.args, q.id, None) is not None}
    missing = [q.id for q in QUESTIONS if q.id not in known]
    if missing and not w.ask.can_ask:
        flags = " ".join(f"--{m.replace('_', '-')} ..." for m in missing)
        raise UsageError(
            f"the questions about {', '.join(m.replace('_', '-') for m in missing)} need answers, and there is no "
            "terminal to ask them: nothing was changed",
            hint=f"pass {flags}, or choose with --approach APPROACH",
            ref="answers-missing",
        )
    w.out.print("A few questions about how you use this machine; the answers decide which approach fits.")
    answers = ask(known, w.session.facts().default_answers(), **w.ask.kwargs)
    rec = w.session.recommend(answers)
    w.out.print()
    w.out.print(recommendation(rec))
    labels = {rec.approach: " (recommended)", **({rec.runner_up: " (runner-up)"} if rec.runner_up else {})}
    choices = [
        (a.id, f"({a.number}) {a.id}: {a.title.replace('`', '')}{labels.get(a.id, '')}")
        for a in texts.approaches().values()
    ]
    while True:
        approach = w.ask.select("Which approach do you want to set up?", choices, rec.approach, flag="--approach")
        options = flag_options(w.args, approach)
        refused = problem(w.session, options)
        if refused is None:
            w.session.choose(approach)
            return options
        w.out.print(f"[red]✗ {approach} cannot be set up here. {escape(refused)}[/red]")


# --- 6. Preview (its menu), 7. Apply, 8. Done ---------------------------------------------------------------


def decide(w: Walk, preview: Preview) -> str:
    """Proceed, Customize, Save the plan (then ask again), or Cancel."""
    if w.args.yes:
        return "proceed"
    if not w.ask.can_ask:
        raise UsageError(
            "not applying without a terminal to confirm it: nothing was changed",
            hint=f"review the plan above, then run the same command with --yes (or `{PROG} plan ... --out FILE`)",
            ref="confirm-needed",
        )
    root = " (the root part through sudo: it may ask for your password)" if preview.needs_sudo else ""
    choices = [
        ("proceed", f"Proceed: make these changes{root}"),
        ("customize", "Customize: change the options"),
        ("save", "Save the plan to a file, to review it or apply it later"),
        ("cancel", "Cancel: change nothing and quit"),
    ]
    while True:
        choice = w.ask.select("What now?", choices, "proceed")
        if choice != "save":
            return choice
        default = os.path.join(os.getcwd(), f"pip-setup-wizard-{preview.plan.approach}.json")
        path = w.ask.text("Save the plan to which file?", default)
        try:
            saved = w.session.save(preview, path)
        except WizardError as err:
            w.out.print(f"[red]✗ {escape(' '.join(err.lines()))}[/red]")
            continue
        w.out.print(
            f"Saved to {escape(saved)}. `{PROG} apply --plan {escape(saved)}` applies exactly this plan "
            "(and refuses it if the machine changed meanwhile)."
        )


def apply(w: Walk, preview: Preview) -> int:
    """Applies (journaled, rolled back on error or Ctrl-C), the root part through sudo when needed; then Done."""
    w.heading(7)
    plan = preview.plan
    if preview.risky:  # own-site: the person types the risk's name (or gave --yes --accept-risk)
        confirm(plan, w.args, can_ask=w.ask.can_ask, **w.ask.kwargs)
    if preview.needs_sudo:
        at_terminal = sys.stdin.isatty()
        if not at_terminal:  # refused before the plan is saved for sudo: nothing at all is written
            sudo_ready(
                f"run `sudo {PROG} --plain` with the same flags, or save the plan (`{PROG} plan {plan.approach} "
                f"... --out FILE`) and run `sudo {PROG} apply --plan FILE --yes`"
            )
        argv = w.session.sudo_command(preview)
        w.out.print("Part of this must run as root, so it runs through sudo, which may ask for your password.")
        code = through_sudo(argv[1:], w.out, at_terminal)
        if code == 0:
            w.heading(8)
            w.out.print(
                f"It is journaled in a root-only directory: `sudo {PROG} status` shows it, "
                f"`sudo {PROG} undo` puts everything back."
            )
        return code
    outcome = w.session.apply(preview, on_step=progress(w.out, len(plan.steps)))
    w.heading(8)
    done(plan, outcome, w.out)
    if plan.approach == "virtualenv" and plan.options.shell_rc != "none":
        w.out.print("  Open a new terminal so that the change to your shell's start-up file takes effect.")
    return EXIT_OK
