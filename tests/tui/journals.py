"""Journals for the app's tests: an approach applied (no changes needed) and an apply that did not finish."""

from __future__ import annotations

from pathlib import Path

from wizard.journal import Store
from wizard.plan import Plan, PlanOptions


def _plan(approach: str) -> Plan:
    return Plan(PlanOptions(approach=approach), "/usr/bin/python3", "root", ())


def applied_store(root: Path, approach: str) -> Store:
    store = Store(root=str(root))
    journal = store.new("apply", {"plan": _plan(approach).to_dict()})
    journal.append({"t": "commit", "notes": []})
    return store


def unfinished_store(root: Path) -> Store:
    store = Store(root=str(root))
    store.new("apply", {"plan": _plan("own-site").to_dict()})
    return store
