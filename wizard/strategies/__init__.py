"""Provides the planners: (machine state, options, what is applied) → a Plan for one of the four approaches.

Each planner emits only the steps the machine still needs (applying the same approach twice plans nothing), and
switching first reverts the approach in effect: from the journal when the wizard applied it, by explicit steps
when detection found it made by hand. Every safety rule runs before a plan exists, so a refused plan changed
nothing.
"""

from __future__ import annotations

from wizard.errors import WizardError
from wizard.plan import Plan, PlanOptions
from wizard.safety import refuse
from wizard.strategies.common import Planning
from wizard.strategies.system_site import own_site, pip_user, sudo_pip
from wizard.strategies.virtualenv import virtualenv

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from wizard.journal import Journal
    from wizard.model import Diagnosis, MachineState

PLANNERS = {"sudo-pip": sudo_pip, "pip-user": pip_user, "own-site": own_site, "virtualenv": virtualenv}

UNSUPPORTED = {
    "darwin": "on macOS the system's Python belongs to Apple and Homebrew's prefix already belongs to you "
    "(approach 3 in practice); the wizard sets up only a virtualenv here",
    "win32": "Windows has no sudo or shared site-packages in the sense of these approaches; the wizard sets up "
    "only a virtualenv here",
}


def make_plan(state: MachineState, diagnosis: Diagnosis, options: PlanOptions, applied: Sequence[Journal]) -> Plan:
    """The plan for ``options`` on this machine (raises a refusal naming the input and a fix)."""
    if options.approach not in PLANNERS:
        raise WizardError(
            f"unknown approach {options.approach!r}",
            hint=f"choose one of {', '.join(PLANNERS)}",
            ref="approach-unknown",
        )
    if options.approach != "virtualenv" and state.platform.system in UNSUPPORTED:
        raise refuse(
            f"{options.approach} cannot be set up here: {UNSUPPORTED[state.platform.system]}",
            "run `pip-setup-wizard plan virtualenv`",
            "platform",
        )
    planning = Planning.start(state, diagnosis, options, applied)
    return PLANNERS[options.approach](planning)


__all__ = ["PLANNERS", "make_plan"]
