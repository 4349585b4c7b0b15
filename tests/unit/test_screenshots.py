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


def test_every_screenshot_is_embedded_in_the_readme() -> None:
    """Each committed screenshot is shown in the README as an image (not only linked), and each image it shows
    exists."""
    import re

    readme = (ROOT / "README.md").read_text()
    shown = set(re.findall(r"!\[[^\]]+\]\((screenshots/[^)]+\.svg)\)", readme))
    committed = {f"screenshots/{p.name}" for p in (ROOT / "screenshots").glob("*.svg")}
    expected = {f"screenshots/{n}.svg" for n in (*SHOTS, *DEMO_SHOTS)}
    expected |= {f"screenshots/wizard-{i}-{s}.svg" for i, s in enumerate(APP_SHOTS, 1)}
    assert committed == expected, "screenshots/ holds exactly what tests/make_screenshots.py makes"
    assert committed - shown == set(), "not embedded in the README"
    assert shown - committed == set(), "the README shows a screenshot that does not exist"
