"""Shared fixtures: the mount-namespace sandbox (SPEC §9) and snapshot comparison."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness.sandbox import Sandbox, unavailable_reason


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = unavailable_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"sandbox unavailable: {reason}")
    for item in items:
        if "sandbox" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh private mount namespace over copies of /etc, /root, /home, site-packages, ..."""
    box = Sandbox().start()
    try:
        yield box
    finally:
        box.stop()


def diff_snapshots(before: dict, after: dict) -> list[str]:
    """Human-readable differences between two snapshots (empty when identical)."""
    out = []
    for section in ("files", "accounts"):
        a, b = before[section], after[section]
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                out.append(f"{section}: {key}: {a.get(key)!r} -> {b.get(key)!r}")
    return out
