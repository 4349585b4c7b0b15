"""Provides the one code path for preview, apply, undo and recover: a plan's steps run against a System.

Preview runs them against the dry-run system (so it cannot drift from apply). Apply runs them against the real
system under a lock, journaling each step's prior state durably before the step changes anything; on an error
or Ctrl-C (the step in flight is finished first) everything done so far is put back. After a crash the next run
finds the unfinished journal: ``recover`` puts everything back, recording its progress so that a crash during
recovery is recovered too.
"""

from __future__ import annotations

import signal

from wizard import actions
from wizard.actions import Context
from wizard.errors import EXIT_INTERRUPTED, WizardError
from wizard.journal import Journal, JournalError, Store
from wizard.plan import Plan, Revert, Step, step_from_dict
from wizard.record import field, record
from wizard.system import Account, DryRunSystem, Effect, Faults, RealSystem, Stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class Interrupted(WizardError):
    """Ctrl-C during an apply: it was rolled back."""

    def __init__(self) -> None:
        super().__init__(
            "interrupted: everything this run changed was put back",
            context="Nothing was left changed.",
            ref="interrupted",
            exit_code=EXIT_INTERRUPTED,
        )


class RollbackError(WizardError):
    """Putting things back did not fully succeed; the journal stays open for ``recover``."""


@record
class Outcome:
    """What a run did (or, for a preview, would do)."""

    effects: list[Effect] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    journal: Journal | None = None
    fingerprints: dict[str, str] = field(default_factory=dict)
    per_step: list[list[Effect]] = field(default_factory=list)
    stand_ins: dict[int, str] = field(default_factory=dict)  # made-up uids of accounts a preview would create


def fingerprint(st: Stat, content: bytes | None = None) -> str:
    """What must be unchanged for a saved plan to still apply."""
    if not st.exists:
        return "missing"
    text = f"{st.type}:{st.uid}:{st.gid}:{st.mode:o}:{st.ino}"
    if content is not None:
        text += ":" + str(actions.sha(content))[:16]
    return text


def histories(plan: Plan, store: Store | None) -> dict[str, Journal]:
    """The earlier journals a plan's Revert steps need."""
    wanted = {s.journal for s in plan.steps if isinstance(s, Revert)}
    if not wanted:
        return {}
    if store is None:
        raise JournalError(
            "this plan reverts an earlier apply, but its journal is not available",
            hint="run the command as the user who applied it (root for system changes)",
        )
    found = {j.id: j for j in store.journals() if j.id in wanted}
    missing = wanted - set(found)
    if missing:
        raise JournalError(
            f"the journal {sorted(missing)[0]} this plan reverts is missing",
            hint="run `pip-setup-wizard status` to see what is recorded",
        )
    return found


def preview(plan: Plan, human: Account | None, store: Store | None = None) -> Outcome:
    """What applying ``plan`` would do, without doing it."""
    dry = DryRunSystem()
    ctx = Context(dry, human, None)
    past = histories(plan, store)
    outcome = Outcome()
    for step in plan.steps:
        before = len(dry.effects)
        prior = actions.capture(ctx, step)
        actions.perform(ctx, step, prior, past.get(getattr(step, "journal", "")))
        outcome.per_step.append(dry.effects[before:])
    outcome.effects = list(dry.effects)
    outcome.notes = ctx.notes
    outcome.stand_ins = {acct.uid: name for name, acct in dry.accounts.items() if acct is not None}
    for path, st in dry.reads.items():
        content = dry.reader.read(path) if st.exists and st.type == "file" and st.size < 1 << 20 else None
        outcome.fingerprints[path] = fingerprint(st, content)
    return outcome


class _SigintGuard:
    """Turns Ctrl-C into a flag checked between steps, so the step in flight finishes before the rollback.

    Signal handlers belong to the main thread: in another one (the full-screen app applies in a worker thread)
    the app's own stop request, ``cancel``, plays Ctrl-C's part.
    """

    def __init__(self, cancel: Callable[[], bool] | None = None) -> None:
        self.hit = False
        self.cancel = cancel
        self._old: Any = None
        self._installed = False

    def __enter__(self) -> _SigintGuard:
        import threading

        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def _handle(self, signum: int, frame: object) -> None:
        self.hit = True

    def check(self) -> None:
        if self.hit or (self.cancel is not None and self.cancel()):
            raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._old)


def run(
    plan: Plan,
    store: Store,
    human: Account | None,
    *,
    kind: str = "apply",
    target: str | None = None,
    faults: Faults | None = None,
    on_step: Callable[[int, Step, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Outcome:
    """Applies ``plan`` for real, journaled; puts everything back on any failure.

    Raises :class:`Interrupted` after a Ctrl-C (or when ``cancel()`` turns true between steps), or the step's
    error; either way after rolling back.
    """
    faults = faults or Faults()
    store.faults = faults
    system = RealSystem(faults)
    with store.lock():
        pending = store.unfinished()
        if pending is not None:
            raise JournalError(
                f"an earlier run did not finish (journal {pending.id})",
                hint="run `pip-setup-wizard recover` to put back what it changed; `status` shows it",
                ref="unfinished",
            )
        past = histories(plan, store)
        payload: dict[str, Any] = {"plan": plan.to_dict()}
        if target:
            payload["target"] = target
        try:
            journal = store.new(kind, payload)
        except OSError as exc:
            raise JournalError(
                f"could not start a journal in {store.root}: {exc}",
                hint="nothing was changed; make room (or fix the file system) and run the command again",
                ref="journal-write",
            ) from exc
        ctx = Context(system, human, journal)
        with _SigintGuard(cancel) as guard:
            i = 0
            try:
                for i, step in enumerate(plan.steps):
                    guard.check()
                    if on_step:
                        on_step(i, step, "start")
                    prior = actions.capture(ctx, step)
                    journal.append({"t": "step", "i": i, "step": step.to_dict(), "prior": prior})
                    result = actions.perform(ctx, step, prior, past.get(getattr(step, "journal", "")))
                    journal.append({"t": "done", "i": i, "result": result})
                    if on_step:
                        on_step(i, step, "done")
                guard.check()
                journal.append({"t": "commit", "notes": ctx.notes})
            except KeyboardInterrupt:
                rollback(ctx, journal, past)
                raise Interrupted() from None
            except BaseException as exc:
                try:
                    rollback(ctx, journal, past)
                except RollbackError as failed:
                    failed.context = f"It started with: {exc}"
                    raise failed from exc
                if isinstance(exc, OSError):  # the machine said no (disk full, read-only, I/O error, ...)
                    where = f"step {i + 1} ({plan.steps[i].describe()})" if plan.steps else "the journal"
                    raise actions.StepError(
                        f"{where} failed: {exc}",
                        hint="nothing was left changed: everything done before it was put back; fix the cause "
                        "and run the command again",
                    ) from exc
                raise
    return Outcome(notes=ctx.notes, journal=journal)


def rollback(ctx: Context, journal: Journal, past: dict[str, Journal] | None = None) -> None:
    """Puts back every step the journal shows as started, newest first (skipping those already put back)."""
    past = past or {}
    problems = []
    done_results = {r["i"]: r.get("result", {}) for r in journal.records if r["t"] == "done"}
    for i in sorted(journal.steps(), reverse=True):
        if i in journal.reverted():
            continue
        record = journal.steps()[i]
        step = step_from_dict(record["step"])
        try:
            actions.restore(ctx, step, record["prior"], done_results.get(i, {}), journal)
        except Exception as exc:  # keep going: put back as much as possible, report the rest
            problems.append(f"step {i + 1} ({step.describe()}): {exc}")
            continue
        try:
            journal.append({"t": "reverted", "i": i})
        except OSError:
            pass  # putting back is idempotent; recover will redo this step
    if problems:
        raise RollbackError(
            "some changes could not be put back: " + "; ".join(problems),
            hint="fix the cause, then run `pip-setup-wizard recover`",
            ref="rollback-incomplete",
        )
    try:
        journal.append({"t": "rolled-back"})
    except OSError:
        pass


def recover(store: Store, faults: Faults | None = None) -> Journal | None:
    """Puts back what an unfinished apply (or undo) changed; returns its journal (None if nothing to recover)."""
    faults = faults or Faults()
    store.faults = faults
    with store.lock():
        journal = store.unfinished()
        if journal is None:
            return None
        journal.faults = faults
        plan = Plan.from_dict(journal.begin["plan"])
        ctx = Context(RealSystem(faults), account_for(plan.human), journal)
        past = {j.id: j for j in store.journals() if j.id != journal.id}
        rollback(ctx, journal, past)
        return journal


def account_for(name: str) -> Account | None:
    """The account a plan's user-scoped steps run as."""
    from wizard.system import _lookup

    return _lookup(name)


def undo_plan(store: Store) -> tuple[Plan, Journal] | None:
    """A plan that reverts the apply in effect (the newest one not undone), step by step, newest first."""
    applied = store.applied()
    if not applied:
        return None
    target = applied[-1]
    original = Plan.from_dict(target.begin["plan"])
    steps: list[Step] = []
    for i in sorted(target.done(), reverse=True):
        step = step_from_dict(target.steps()[i]["step"])
        if not step.changes():
            continue
        steps.append(
            Revert(why=step.why, journal=target.id, index=i, step=step.to_dict(), as_user=step.scope == "user")
        )
    plan = Plan(
        original.options,
        original.interpreter,
        original.human,
        tuple(steps),
        notes=(f"undoes the {original.approach} set-up applied by journal {target.id}",),
    )
    return plan, target


__all__ = ["Interrupted", "Outcome", "RollbackError", "preview", "recover", "run", "undo_plan"]
