"""Provides the machine report ("doctor"): detection plus diagnosis, and its versioned JSON form."""

from __future__ import annotations

from dataclasses import dataclass

from wizard import __version__
from wizard.diagnose import diagnose
from wizard.model import SCHEMA_VERSION, Diagnosis, MachineState, Severity, from_dict, to_dict

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from wizard.detect import DetectOptions

MACHINE_KEYS = (
    "platform",
    "user",
    "sudo",
    "env",
    "path_dirs",
    "pip_configs",
    "tools",
    "venvs",
    "accounts",
    "wizard_artifacts",
    "for_you",
    "under_sudo",
)


@dataclass(frozen=True, slots=True)
class Report:
    """The facts and what they mean."""

    state: MachineState
    diagnosis: Diagnosis

    def summary(self) -> dict[str, Any]:
        """Counts for the headline: interpreters found and inspected, findings by severity."""
        inspected = sum(1 for i in self.state.interpreters if i.ok)
        counts = {s.value: self.diagnosis.count(s) for s in (Severity.DANGER, Severity.WARNING, Severity.INFO)}
        worst = next((f for f in self.diagnosis.findings if f.severity is not Severity.INFO), None)
        return {
            "interpreters": len(self.state.interpreters),
            "inspected": inspected,
            **counts,
            "headline": worst.title if worst else "No problems found",
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``detect --json`` document (schema 1, documented in the README)."""
        state = to_dict(self.state)
        interpreters = []
        for interp in state["interpreters"]:
            view = self.diagnosis.view(interp["path"])
            if view is not None:
                interp["roles"] = list(view.roles)
                interp["used_by_root"] = view.used_by_root
                interp["root_reasons"] = list(view.root_reasons)
                interp["approach"] = to_dict(view.approach)
            interpreters.append(interp)
        return {
            "schema": SCHEMA_VERSION,
            "tool": {"name": "pip-setup-wizard", "version": __version__},
            "summary": self.summary(),
            "machine": {k: state[k] for k in MACHINE_KEYS},
            "interpreters": interpreters,
            "sudo_lens": to_dict(self.diagnosis.lens),
            "findings": to_dict(self.diagnosis.findings),
            "paths": state["paths"],
        }


def state_from_report(data: dict[str, Any]) -> MachineState:
    """Reads the facts back from a ``detect --json`` document (derived keys are ignored)."""
    if data.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"unsupported schema {data.get('schema')!r}; this version reads schema {SCHEMA_VERSION}")
    flat = dict(data["machine"])
    flat["interpreters"] = data.get("interpreters", [])
    flat["paths"] = data.get("paths", [])
    return from_dict(MachineState, flat)


def report_for(state: MachineState) -> Report:
    """The report for known facts (a fixture, or a state read from JSON)."""
    return Report(state, diagnose(state))


def run(options: DetectOptions | None = None) -> Report:
    """Detects and diagnoses this machine."""
    from wizard.detect import detect

    return report_for(detect(options))
