"""Provides the commands that change the machine: plan (preview), apply, status, undo, recover."""

from __future__ import annotations

import json
import os
import sys

from wizard import executor
from wizard.commands.common import PROG, console, escape, interactive
from wizard.errors import EXIT_ERROR, EXIT_OK, UsageError, WizardError
from wizard.journal import Journal, JournalError, Store
from wizard.plan import Plan, PlanOptions
from wizard.preview import save_plan
from wizard.safety import refuse_untrusted_self

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any

    from wizard.doctor import Report
    from wizard.executor import Outcome
    from wizard.plan import Step
    from wizard.system import Account

RISK_WORDS = "privilege escalation"


def options_from(args: argparse.Namespace) -> PlanOptions:
    """The plan options the command line gave."""
    if not args.approach:
        raise UsageError(
            "which approach? (sudo-pip, pip-user, own-site or virtualenv)",
            hint=f"for example: {PROG} apply virtualenv",
            ref="approach-missing",
        )
    return PlanOptions(
        approach=args.approach,
        python=args.python,
        user=args.user,
        owner=args.owner,
        target=args.target,
        venv=os.path.expanduser(args.venv) if args.venv else None,
        shell_rc=args.shell_rc,
        require_virtualenv=args.require_virtualenv,
        only_binary=args.only_binary,
        break_system_packages=args.break_system_packages,
        uv=args.uv,
    )


def detect_for(options: PlanOptions) -> Report:
    from wizard.detect import DetectOptions
    from wizard.doctor import run

    return run(DetectOptions(pythons=(options.python,) if options.python else ()))


def refuse_if_unfinished(store: Store) -> None:
    pending = store.unfinished()
    if pending is not None:
        raise JournalError(
            f"an earlier apply did not finish (journal {pending.path})",
            hint=f"only `{PROG} status` and `{PROG} recover` run until it is recovered",
            ref="unfinished",
        )


def build(options: PlanOptions, store: Store) -> tuple[Plan, Outcome, dict[int, str], Account | None]:
    """Detects, plans and previews; returns the plan, its preview, names of accounts it would create, the person."""
    from wizard.strategies import make_plan

    refuse_if_unfinished(store)
    report = detect_for(options)
    plan = make_plan(report.state, report.diagnosis, options, store.applied())
    human = executor.account_for(plan.human)
    outcome = executor.preview(plan, human, store)
    return plan, outcome, outcome.stand_ins, human


def render(
    plan: Plan, outcome: Outcome, stand_ins: dict[int, str], as_json: bool, no_color: bool, every_path: bool = False
) -> None:
    from wizard.preview import preview_dict
    from wizard.render.plan import preview

    if as_json:
        sys.stdout.write(
            json.dumps(preview_dict(plan, outcome, stand_ins), indent=2 if sys.stdout.isatty() else None) + "\n"
        )
    else:
        from wizard.render.lines import write

        write(preview(plan, outcome, stand_ins, every_path), no_color)


def cmd_plan(args: argparse.Namespace) -> int:
    """The dry run: what applying would change; writes nothing but --out."""
    from wizard.preview import preview_dict

    options = options_from(args)
    plan, outcome, stand_ins, _human = build(options, Store())
    if args.out:
        try:
            save_plan(args.out, preview_dict(plan, outcome, stand_ins))
        except OSError as exc:
            raise WizardError(
                f"cannot write {args.out}: {exc.strerror}", hint="choose a writable path", ref="out-unwritable"
            ) from None
    render(plan, outcome, stand_ins, args.json, args.no_color, args.all_paths)
    if args.out and not args.json:
        from wizard.render.lines import line, write

        saved = (
            f"Saved to {args.out}; `{PROG} apply --plan {args.out}` applies exactly this "
            "(and refuses if the machine changed meanwhile)."
        )
        write([line((saved, "dim"))], args.no_color)
    return EXIT_OK


def stale(saved: dict[str, Any], plan: Plan, outcome: Outcome) -> list[str]:
    """What differs between a saved plan and the plan the machine gives now."""
    problems = []
    if [s for s in saved["plan"]["steps"]] != [s.to_dict() for s in plan.steps]:
        problems.append("the steps would be different now")
    before = saved.get("fingerprints", {})
    now = outcome.fingerprints
    for path in sorted(set(before) | set(now)):
        if path not in now:
            problems.append(f"{path} is no longer looked at")
        elif path not in before:
            problems.append(f"{path} appeared")
        elif now[path] != before[path]:
            problems.append(f"{path} changed ({before[path]} → {now[path]})")
    return problems


def load_saved(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        PlanOptions.from_dict(data["plan"]["options"])
        return data  # type: ignore[no-any-return]
    except OSError as exc:
        raise WizardError(
            f"cannot read {path}: {exc.strerror}", hint="check the file name", ref="plan-unreadable"
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise WizardError(
            f"{path} is not a plan saved with `{PROG} plan --out`: {exc}",
            hint=f"save one with `{PROG} plan APPROACH --out FILE`",
            ref="plan-invalid",
        ) from None


def confirm(
    plan: Plan, args: argparse.Namespace, what: str = "Apply", *, can_ask: bool | None = None, **prompt_kwargs: Any
) -> None:
    """Asks (or checks --yes); own-site needs the risk named, typed or as --accept-risk.

    ``can_ask`` says whether a person can answer (default: a terminal); ``prompt_kwargs`` go to the prompt (the
    plain flow's tests pass prompt_toolkit's pipe ``input`` and a dummy ``output``).
    """
    own_site = plan.approach == "own-site" and bool(plan.changes) and what == "Apply"
    if args.yes:
        if own_site and getattr(args, "accept_risk", None) != RISK_WORDS:
            raise UsageError(
                "own-site gives your account a way to become root; confirm that risk explicitly",
                hint=f"add --accept-risk '{RISK_WORDS}'",
                ref="risk-unconfirmed",
            )
        return
    if not (interactive() if can_ask is None else can_ask):
        raise UsageError(
            "not asking without a terminal: nothing was changed",
            hint=f"review the plan with `{PROG} plan`, then pass --yes"
            + (f" --accept-risk '{RISK_WORDS}'" if own_site else ""),
            ref="confirm-needed",
        )
    import questionary

    if own_site:
        typed = questionary.text(
            f"This hands site-packages to {plan.human}: every program they run could reach "
            f"root. Type '{RISK_WORDS}' to go ahead:",
            **prompt_kwargs,
        ).unsafe_ask()
        if typed.strip().lower() != RISK_WORDS:
            raise UsageError("not confirmed: nothing was changed", ref="risk-unconfirmed")
    elif not questionary.confirm(
        f"{what} these {len(plan.changes)} change(s)?", default=False, **prompt_kwargs
    ).unsafe_ask():
        raise UsageError("cancelled: nothing was changed", ref="cancelled")


def elevate(args: argparse.Namespace, plan: Plan, data: dict[str, Any]) -> int:
    """Runs the root part through sudo: the exact command is shown first; a saved plan keeps it exact."""
    from wizard.paths import user_state_dir

    folder = user_state_dir()
    saved = os.path.join(folder, "pending-plan.json")
    argv = [sys.executable, "-m", "wizard", "apply", "--plan", saved, "--yes"]
    if plan.approach == "own-site":
        argv += ["--accept-risk", RISK_WORDS]
    hint = (
        f"run: sudo {sys.executable} -m wizard apply {plan.approach} ... --yes, or save the plan with "
        f"`{PROG} plan {plan.approach} --out FILE` and run: sudo {sys.executable} -m wizard apply --plan FILE --yes"
    )
    at_terminal = interactive()
    if not at_terminal:
        sudo_ready(hint)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    save_plan(saved, data)
    return through_sudo(argv, console(args.no_color), at_terminal)


def sudo_ready(hint: str) -> None:
    """Refuses, before anything changes, when sudo would ask for a password nobody can type here."""
    import subprocess

    if subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode != 0:
        raise WizardError(
            "this plan needs root, and sudo asks for a password that cannot be typed here",
            context="Nothing was changed.",
            hint=hint,
            ref="needs-root",
        )


def through_sudo(argv: list[str], out: Any, at_terminal: bool) -> int:
    """Runs ``argv`` as root through sudo, showing the exact command first; returns its exit code.

    At a terminal sudo may ask for the password, which is forgotten again afterwards (`sudo -k`), so the wizard
    never leaves a sudo ticket behind; elsewhere `sudo -n` fails at once instead of waiting for a password.
    """
    import subprocess

    if at_terminal:
        out.print(f"[bold]This needs root. Running:[/bold] {escape('sudo ' + ' '.join(argv))}")
        done = subprocess.run(["sudo", *argv])
        subprocess.run(["sudo", "-k"])
        return done.returncode
    out.print(escape(f"Running: sudo -n {' '.join(argv)}"))
    return subprocess.run(["sudo", "-n", *argv]).returncode


def progress(out: Any, total: int) -> Callable[[int, Step, str], None]:
    """Prints "[i/N] what" as each step starts (the executor's ``on_step``)."""

    def show(i: int, step: Step, phase: str) -> None:
        if phase == "start":
            out.print(f"[dim]\\[{i + 1}/{total}][/dim] {escape(step.describe())}")

    return show


def cmd_apply(args: argparse.Namespace) -> int:
    """Previews, confirms, and applies (journaled; rolled back on any error or Ctrl-C)."""
    from wizard.preview import preview_dict

    saved = load_saved(args.plan) if args.plan else None
    options = PlanOptions.from_dict(saved["plan"]["options"]) if saved else options_from(args)
    store = Store()
    plan, outcome, stand_ins, human = build(options, store)
    if saved is not None:
        problems = stale(saved, plan, outcome)
        if problems:
            raise WizardError(
                f"the saved plan {args.plan} is stale: " + "; ".join(problems[:5]),
                context="Nothing was changed.",
                hint=f"review it again: {PROG} plan {options.approach}",
                ref="plan-stale",
            )
    out = console(args.no_color)
    if plan.already:
        out.print(f"[green]{escape(plan.notes[0])}[/green]")
        return EXIT_OK
    if not args.yes or saved is None:
        render(plan, outcome, stand_ins, False, args.no_color)
    if plan.needs_root and os.geteuid() != 0:
        confirm(plan, args)
        return elevate(args, plan, preview_dict(plan, outcome, stand_ins))
    confirm(plan, args)
    if plan.needs_root:
        refuse_untrusted_self()
    result = executor.run(plan, store, human, on_step=progress(out, len(plan.steps)))
    done(plan, result, out)
    return EXIT_OK


def done(plan: Plan, result: Outcome, out: Any) -> None:
    """What changed, how to use it, how to undo it, where the journal is."""
    out.print(f"[bold green]Done:[/bold green] {plan.approach} is set up for {escape(plan.interpreter)}.")
    for note in plan.notes:
        out.print(f"  • {escape(note)}")
    for note in result.notes:
        out.print(f"  • [yellow]{escape(note)}[/yellow]")
    root = "sudo " if os.geteuid() == 0 else ""  # root's journal lives in a root-only directory
    out.print(f"  Undo it with: {root}{PROG} undo")
    if result.journal:
        out.print(f"  Journal: {result.journal.path}")


def cmd_undo(args: argparse.Namespace) -> int:
    """Reverts the apply in effect, newest change first (people's own later edits are kept)."""
    store = Store()
    refuse_if_unfinished(store)
    found = executor.undo_plan(store)
    out = console(args.no_color)
    if found is None:
        out.print(
            "Nothing to undo: pip-setup-wizard has not applied anything"
            + (" as this user" if os.geteuid() != 0 else "")
            + "."
        )
        return EXIT_OK
    plan, target = found
    human = executor.account_for(plan.human)
    outcome = executor.preview(plan, human, store)
    if not args.yes:
        render(plan, outcome, {}, False, args.no_color)
    confirm(plan, args, "Undo")
    if plan.needs_root:
        refuse_untrusted_self()
    executor.run(plan, store, human, kind="undo", target=target.id)
    out.print(
        f"[bold green]Undone:[/bold green] the {Plan.from_dict(target.begin['plan']).approach} set-up of "
        f"journal {target.id} is reverted."
    )
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    """Puts back what an interrupted apply changed."""
    store = Store()
    out = console(args.no_color)
    pending = store.unfinished()
    if pending is None:
        out.print("Nothing to recover: every apply finished.")
        return EXIT_OK
    if not args.yes and not interactive():
        raise UsageError(
            "not recovering without a terminal", hint=f"pass --yes: {PROG} recover --yes", ref="confirm-needed"
        )
    if pending.steps() and os.geteuid() == 0:
        refuse_untrusted_self()
    journal = executor.recover(store)
    assert journal is not None
    out.print(
        f"[bold green]Recovered:[/bold green] everything journal {journal.id} changed is put back "
        f"({len(journal.steps())} step(s))."
    )
    return EXIT_OK


def verify(journal: Journal) -> list[str]:
    """Which of an apply's changes are no longer in place."""
    from wizard.actions import sha
    from wizard.plan import ChownTree, CreateUser, CreateVenv, EnsureBlock, SetConfigKey, WriteFile, step_from_dict
    from wizard.system import RealSystem
    from wizard.textedit import block_body, get_key

    system = RealSystem()
    drift = []
    for i in sorted(journal.done()):
        step = step_from_dict(journal.steps()[i]["step"])
        path = getattr(step, "path", "")
        if isinstance(step, ChownTree):
            acct = system.account(step.owner)
            st = system.stat(step.path)
            if acct is None or st.uid != acct.uid:
                drift.append(f"{path} is no longer owned by {step.owner}")
        elif isinstance(step, WriteFile):
            if sha(system.read(path)) != sha(step.content.encode()):
                drift.append(f"{path} was changed or removed")
        elif isinstance(step, EnsureBlock):
            if block_body((system.read(path) or b"").decode("utf-8", "replace")) != list(step.lines):
                drift.append(f"the marked block in {path} was changed or removed")
        elif isinstance(step, SetConfigKey):
            if get_key((system.read(path) or b"").decode("utf-8", "replace"), step.section, step.key) != step.value:
                drift.append(f"{step.key} in {path} was changed or removed")
        elif isinstance(step, CreateUser):
            if system.account(step.name) is None:
                drift.append(f"the user {step.name} no longer exists")
        elif isinstance(step, CreateVenv) and not system.stat(os.path.join(step.path, "pyvenv.cfg")).exists:
            drift.append(f"the virtualenv {step.path} is gone")
    return drift


def status_data(store: Store) -> dict[str, Any]:
    """What the wizard has applied (from the journal), each checked against the machine (`status --json`)."""
    journals = store.journals()
    pending = next((j for j in journals if j.status == "open"), None)
    data: dict[str, Any] = {
        "schema": 1,
        "store": store.root,
        "unfinished": pending.path if pending else None,
        "applied": [],
    }
    for j in store.applied():
        plan = j.begin["plan"]
        data["applied"].append(
            {
                "journal": j.path,
                "approach": plan["approach"],
                "interpreter": plan["interpreter"],
                "for": plan["human"],
                "time": j.begin["time"],
                "drift": verify(j),
            }
        )
    return data


def print_status(data: dict[str, Any], out: Any) -> None:
    """The status for people."""
    import time

    if data["unfinished"]:
        out.print(
            f"[bold red]An apply did not finish[/bold red] (journal {escape(data['unfinished'])}): "
            f"run `{PROG} recover`."
        )
    if not data["applied"]:
        out.print(f"Nothing applied by pip-setup-wizard is recorded in {data['store']}.")
    for i, entry in enumerate(reversed(data["applied"])):
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(entry["time"]))
        prefix = "In effect" if i == 0 else "Earlier"
        out.print(
            f"[bold]{prefix}:[/bold] {entry['approach']} for {entry['interpreter']} (for {entry['for']}) since {when}"
        )
        out.print(f"  journal {entry['journal']}")
        if entry["drift"]:
            for d in entry["drift"]:
                out.print(f"  [yellow]! {escape(d)}[/yellow]")
        else:
            out.print("  [green]✓ everything it changed is still in place[/green]")
    if os.geteuid() != 0:
        out.print(
            f"[dim]System-wide changes are journaled in a root-only directory: `sudo {PROG} status` shows them.[/dim]"
        )


def cmd_status(args: argparse.Namespace) -> int:
    """What the wizard has applied, checked against the machine."""
    data = status_data(Store())
    if args.json:
        sys.stdout.write(json.dumps(data, indent=2 if sys.stdout.isatty() else None) + "\n")
        return EXIT_OK
    print_status(data, console(args.no_color))
    return EXIT_ERROR if data["unfinished"] else EXIT_OK
