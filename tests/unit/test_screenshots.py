"""Committed screenshots match what the renderer draws now."""

from __future__ import annotations

import pytest

from tests.make_screenshots import ROOT, SHOTS, render


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_screenshot_is_current(name: str) -> None:
    committed = ROOT / "screenshots" / f"{name}.svg"
    assert committed.exists(), "run: python tests/make_screenshots.py"
    assert committed.read_text() == render(name), "stale screenshot; run: python tests/make_screenshots.py"
