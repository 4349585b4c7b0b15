"""Committed screenshots match what the renderer draws now."""

from __future__ import annotations

import os

import pytest

from tests.make_screenshots import APP_SHOTS, DEMO_SHOTS, ROOT, SHOTS, render, render_app, render_demo


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_screenshot_is_current(name: str) -> None:
    committed = ROOT / "screenshots" / f"{name}.svg"
    assert committed.exists(), "run: python tests/make_screenshots.py"
    assert committed.read_text() == render(name), "stale screenshot; run: python tests/make_screenshots.py"


@pytest.mark.parametrize("name", sorted(DEMO_SHOTS))
def test_demo_screenshot_is_current(name: str) -> None:
    committed = ROOT / "screenshots" / f"{name}.svg"
    assert committed.exists(), "run: python tests/make_screenshots.py"
    assert committed.read_text() == render_demo(name), "stale screenshot; run: python tests/make_screenshots.py"


@pytest.mark.parametrize("screen", APP_SHOTS)
def test_app_screenshot_is_current(screen: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("the app's screenshots are made as root")
    index = APP_SHOTS.index(screen) + 1
    committed = ROOT / "screenshots" / f"wizard-{index}-{screen}.svg"
    assert committed.exists(), "run: python tests/make_screenshots.py"
    assert committed.read_text() == render_app(screen), "stale screenshot; run: python tests/make_screenshots.py"
