"""Shared set-up of the full-screen app's tests: the real app and Session over a fixed machine state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fixtures import machines
from wizard.doctor import report_for
from wizard.journal import Store
from wizard.model import MachineState
from wizard.session import Session
from wizard.tui.app import WizardApp

AppFactory = Callable[..., WizardApp]


def fixture_state() -> MachineState:
    """Debian 12 with the wizard run by root: every path it previews exists on this machine (and on CI's)."""
    return machines.debian(as_user="root")


@pytest.fixture
def make_app(tmp_path: Path) -> AppFactory:
    def make(state: MachineState | None = None, store: Store | None = None, **kwargs: object) -> WizardApp:
        report = report_for(state or fixture_state())
        session = Session(detector=lambda: report, store=store or Store(root=str(tmp_path / "state")))
        return WizardApp(session, **kwargs)  # type: ignore[arg-type]

    return make
