"""Provides the `export` command: the plan `plan` shows, written as an Ansible playbook or a POSIX sh script."""

from __future__ import annotations

import os
import sys

from wizard.commands.common import PROG
from wizard.commands.setup import detect_for, options_from, refuse_if_unfinished
from wizard.errors import EXIT_OK, WizardError
from wizard.journal import Store

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse


def check_out(path: str) -> str:
    """The absolute --out path, refused before anything is looked at when it cannot be written."""
    full = os.path.abspath(path)
    if os.path.isdir(full):
        raise WizardError(
            f"--out {path} is a directory",
            context="Nothing was written.",
            hint=f"name a file, for example --out {os.path.join(path, 'setup.yml')}",
            ref="out-unwritable",
        )
    folder = os.path.dirname(full)
    if not os.path.isdir(folder):
        raise WizardError(
            f"--out {path}: the folder {folder} does not exist",
            context="Nothing was written.",
            hint="create the folder first, or choose a file in an existing one",
            ref="out-unwritable",
        )
    return full


def cmd_export(args: argparse.Namespace) -> int:
    """Plans exactly as `plan` does, then writes the plan in the chosen format (to stdout or --out)."""
    from wizard.export import render
    from wizard.preview import save_text
    from wizard.strategies import make_plan

    options = options_from(args)
    out = check_out(args.out) if args.out else None
    store = Store()
    refuse_if_unfinished(store)
    report = detect_for(options)
    plan = make_plan(report.state, report.diagnosis, options, store.applied())
    text = render(plan, report.state, args.format)
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        save_text(out, text)
    except OSError as exc:
        raise WizardError(
            f"cannot write {args.out}: {exc.strerror}", hint="choose a writable path", ref="out-unwritable"
        ) from None
    run = (
        f"ansible-playbook -i HOST, {args.out} --check"
        if args.format == "ansible"
        else f"{'sudo ' if plan.needs_root else ''}sh {args.out} --check"
    )
    sys.stderr.write(
        f"{PROG}: wrote {args.out} ({args.format}, {len(plan.steps)} steps). Review it, then try it with `{run}`.\n"
    )
    return EXIT_OK
