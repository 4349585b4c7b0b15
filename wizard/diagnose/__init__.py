"""Provides ``diagnose()``: what a :class:`~wizard.model.MachineState` means (pure; no I/O).

For each interpreter: its roles, whether root uses it, and the approach in effect with evidence; the sudo
lens; and the findings. Being pure, it runs the same on live detection and on fixture machine states
(macOS and Windows included).
"""

from __future__ import annotations

from wizard.diagnose.approach import classify
from wizard.diagnose.findings import FINDING_IDS, RULES, Context
from wizard.diagnose.roles import lens, roles, root_use, system_python, you_python
from wizard.model import Diagnosis, Finding, InterpreterView, MachineState


def diagnose(state: MachineState) -> Diagnosis:
    """Derives views, the sudo lens and the findings from ``state``."""
    views: dict[str, InterpreterView] = {}
    for interp in state.interpreters:
        labels = roles(interp, state)
        used, reasons = root_use(interp, state, labels) if interp.ok else (False, ())
        views[interp.path] = InterpreterView(interp.path, labels, used, reasons, classify(interp, state))
    rows = lens(state)
    ctx = Context(state, views, you_python(state), system_python(state), rows)
    findings: dict[tuple[str, str], Finding] = {}
    for rule in RULES:
        for finding in rule(ctx):
            assert finding.id in FINDING_IDS, finding.id
            findings.setdefault((finding.id, finding.title), finding)
    ordered = sorted(findings.values(), key=lambda f: -f.severity.rank)
    return Diagnosis(tuple(views.values()), rows, tuple(ordered))
