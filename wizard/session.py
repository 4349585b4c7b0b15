"""Provides the wizard's session: one object the guided front ends (full-screen and plain) call for everything.

It holds what the person has seen and chosen so far (the machine report, the answers, the options) and asks the
core for the rest: detection, the recommendation, planning and its preview, applying, undoing, recovering. It
never prints and knows no screen; the app takes one as a constructor argument, so tests and screenshots run the
real flow against fixed machine states.
"""

from __future__ import annotations

import os
import sys
import time

from wizard.errors import WizardError
from wizard.journal import Journal, Store
from wizard.plan import Plan, PlanOptions
from wizard.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from wizard.demo.model import DemoResult
    from wizard.doctor import Report
    from wizard.executor import Outcome
    from wizard.plan import Step
    from wizard.recommend import Answers, Facts, Recommendation
    from wizard.system import Account

    # (on_progress, cancel) -> the result
    DemoRunner = Callable[[Callable[[int, int, str], None] | None, Callable[[], bool] | None], DemoResult]

PROG = "pip-setup-wizard"
RISK_WORDS = "privilege escalation"


@record(frozen=True)
class Applied:
    """What the journal says is set up now."""

    approach: str
    interpreter: str
    since: float  # seconds since the epoch
    journal: str

    @property
    def since_text(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.since))


@record(frozen=True)
class Preview:
    """A plan and what it would change, ready to show and to apply."""

    plan: Plan
    outcome: Outcome
    stand_ins: dict[int, str]
    human: Account | None

    @property
    def needs_sudo(self) -> bool:
        """Applying needs root and the wizard does not have it: the root part goes through sudo."""
        return self.plan.needs_root and os.geteuid() != 0

    @property
    def risky(self) -> bool:
        """own-site: the person must name the risk before it is applied."""
        return self.plan.approach == "own-site" and bool(self.plan.changes)


def default_detector() -> Report:
    from wizard.detect import DetectOptions
    from wizard.doctor import run

    return run(DetectOptions())


class Session:
    """The state of one walk through the wizard and the core calls behind each screen."""

    def __init__(
        self,
        detector: Callable[[], Report] | None = None,
        store: Store | None = None,
        demo: DemoRunner | None = None,
    ) -> None:
        self.detector = detector or default_detector
        self.store = store or Store()
        self.demo_runner = demo
        self.report: Report | None = None
        self.answers: dict[str, object] = {}
        self.recommendation: Recommendation | None = None
        self.approach: str | None = None
        self.options: PlanOptions | None = None
        self.preview_: Preview | None = None
        self.outcome: Outcome | None = None

    # --- what is there --------------------------------------------------------------------------------------

    def detect(self) -> Report:
        """Looks at the machine (slow: a front end calls it from a worker)."""
        self.report = self.detector()
        return self.report

    def applied(self) -> Applied | None:
        """The approach the wizard set up and has not undone, newest first; None when there is none."""
        try:
            journals = self.store.applied()
        except WizardError:
            return None
        if not journals:
            return None
        newest = journals[-1]
        plan = newest.begin["plan"]
        return Applied(
            approach=plan["options"]["approach"],
            interpreter=plan["interpreter"],
            since=float(newest.begin.get("time", 0.0)),
            journal=newest.id,
        )

    def unfinished(self) -> Journal | None:
        """An apply that did not finish (only recover may run until it is put back)."""
        try:
            return self.store.unfinished()
        except WizardError:
            return None

    def demo(
        self, on_progress: Callable[[int, int, str], None] | None = None, cancel: Callable[[], bool] | None = None
    ) -> DemoResult:
        """The blast-radius demo on this machine (seconds: a front end runs it in a worker); tests and screenshots
        pass a runner that replays a recorded result."""
        if self.demo_runner is not None:
            return self.demo_runner(on_progress, cancel)
        from wizard.demo import run

        return run(None, on_progress, cancel)

    # --- which fits ----------------------------------------------------------------------------------------

    def facts(self) -> Facts:
        from wizard.recommend import Facts

        report = self.report or self.detect()
        return Facts.from_state(report.state, report.diagnosis)

    def recommend(self, answers: Mapping[str, object]) -> Recommendation:
        """The recommendation for these answers (missing ones take this machine's defaults)."""
        from wizard.recommend import answers_from, recommend

        facts = self.facts()
        self.answers = dict(answers)
        parsed: Answers = answers_from(answers, "your answers", facts.default_answers())
        self.recommendation = recommend(parsed, facts)
        self.approach = self.recommendation.approach
        return self.recommendation

    # --- plan, preview, apply -------------------------------------------------------------------------------

    def choose(self, approach: str) -> PlanOptions:
        """Picks an approach; its options start at their defaults (kept when the approach is picked again)."""
        if self.options is None or self.options.approach != approach:
            self.options = PlanOptions(approach=approach)
        self.approach = approach
        return self.options

    def _report_for(self, options: PlanOptions) -> Report:
        report = self.report
        if report is None or (options.python and not any(i.path == options.python for i in report.state.interpreters)):
            from wizard.detect import DetectOptions
            from wizard.doctor import run

            return run(DetectOptions(pythons=(options.python,) if options.python else ()))
        return report

    def plan(self, options: PlanOptions) -> Plan:
        """The plan alone (raises the planner's error for options it refuses): what validation as you type uses."""
        from wizard.strategies import make_plan

        report = self._report_for(options)
        return make_plan(report.state, report.diagnosis, options, self.store.applied())

    def check(self, options: PlanOptions) -> str | None:
        """Why these options cannot be planned, in one line with its fix; None when they can."""
        try:
            self.plan(options)
        except WizardError as err:
            # not the context ("Nothing was changed."): while options are being chosen nothing was about to change
            return f"{err.message} — {err.hint}" if err.hint else err.message
        return None

    def preview(self, options: PlanOptions) -> Preview:
        """Plans and plays the plan through the dry-run system (changes nothing)."""
        from wizard import executor

        pending = self.unfinished()
        if pending is not None:
            from wizard.journal import JournalError

            raise JournalError(
                f"an earlier apply did not finish (journal {pending.path})",
                hint=f"only `{PROG} status` and `{PROG} recover` run until it is recovered",
                ref="unfinished",
            )
        plan = self.plan(options)
        human = executor.account_for(plan.human)
        outcome = executor.preview(plan, human, self.store)
        self.options = options
        self.preview_ = Preview(plan, outcome, outcome.stand_ins, human)
        return self.preview_

    def apply(
        self,
        preview: Preview,
        on_step: Callable[[int, Step, str], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Outcome:
        """Applies in this process (the wizard has the rights the plan needs); journaled, rolled back on error."""
        from wizard import executor

        if preview.needs_sudo:
            raise WizardError(
                "this plan needs root: it is applied through sudo", hint="use sudo_command()", ref="needs-root"
            )
        if preview.plan.needs_root:
            from wizard.safety import refuse_untrusted_self

            refuse_untrusted_self()
        self.outcome = executor.run(preview.plan, self.store, preview.human, on_step=on_step, cancel=cancel)
        return self.outcome

    def sudo_command(self, preview: Preview) -> list[str]:
        """Saves the reviewed plan and returns the command that applies exactly it as root through sudo."""
        from wizard.paths import user_state_dir
        from wizard.preview import preview_dict, save_plan

        folder = user_state_dir()
        os.makedirs(folder, mode=0o700, exist_ok=True)
        saved = os.path.join(folder, "pending-plan.json")
        save_plan(saved, preview_dict(preview.plan, preview.outcome, preview.stand_ins))
        argv = ["sudo", sys.executable, "-m", "wizard", "apply", "--plan", saved, "--yes"]
        if preview.risky:
            argv += ["--accept-risk", RISK_WORDS]
        return argv

    def save(self, preview: Preview, path: str) -> str:
        """Saves the plan for review or `apply --plan` (like `plan --out`)."""
        from wizard.preview import preview_dict, save_plan

        path = os.path.abspath(os.path.expanduser(path))
        try:
            save_plan(path, preview_dict(preview.plan, preview.outcome, preview.stand_ins))
        except OSError as exc:
            raise WizardError(
                f"cannot write {path}: {exc.strerror}", hint="choose a writable path", ref="out-unwritable"
            ) from None
        return path

    def undo_preview(self) -> Preview | None:
        """The undo of the apply in effect, as a preview; None when nothing is applied."""
        from wizard import executor

        found = executor.undo_plan(self.store)
        if found is None:
            return None
        plan, _target = found
        human = executor.account_for(plan.human)
        outcome = executor.preview(plan, human, self.store)
        return Preview(plan, outcome, {}, human)

    def undo(
        self,
        preview: Preview,
        on_step: Callable[[int, Step, str], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Outcome:
        from wizard import executor

        found = executor.undo_plan(self.store)
        if found is None:
            raise WizardError("nothing to undo", hint="nothing was applied", ref="nothing-applied")
        plan, target = found
        if plan.needs_root:
            from wizard.safety import refuse_untrusted_self

            refuse_untrusted_self()
        return executor.run(
            plan, self.store, preview.human, kind="undo", target=target.id, on_step=on_step, cancel=cancel
        )

    def recover(self) -> Journal | None:
        from wizard import executor

        return executor.recover(self.store)

    def journal_path(self) -> str | None:
        outcome = self.outcome
        return outcome.journal.path if outcome is not None and outcome.journal is not None else None
