"""Provides the read-only commands: detect (the machine report), learn (the explanations), recommend."""

from __future__ import annotations

import sys

from wizard.commands.common import AVAILABLE, PROG, console, interactive, show
from wizard.errors import EXIT_FINDINGS, EXIT_OK, UsageError, WizardError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from wizard.doctor import Report


def load_report(path: str) -> Report:
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
        report = load_report(args.from_json)
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

        render_report(report, console(args.no_color), verbose=args.verbose, available=AVAILABLE)
    if args.fail_on:
        from wizard.model import Severity

        floor = Severity(args.fail_on).rank
        if any(f.severity.rank >= floor for f in report.diagnosis.findings):
            return EXIT_FINDINGS
    return EXIT_OK


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
    if missing and not args.defaults and not interactive():
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

        console(args.no_color).print(recommendation(rec))
    return EXIT_OK
