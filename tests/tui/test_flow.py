"""Pilot walks through the whole flow, for each approach, against fixed machine states."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, RadioSet, Static

from tests.tui.conftest import AppFactory
from wizard.journal import Store
from wizard.tui.app import WizardApp

APPROACHES = ("sudo-pip", "pip-user", "own-site", "virtualenv")


async def settle(app: WizardApp, pilot: object) -> None:
    for _ in range(3):  # a finished worker can start the next (a form mounts, its fields report changes)
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


def plain(widget: Static) -> str:
    """What a Static shows, as plain text (markup and renderables drawn 200 columns wide)."""
    import io

    from rich.console import Console

    content = widget.content
    console = Console(file=io.StringIO(), width=200, record=True)
    console.print(content)
    return console.export_text()


def text_of(app: WizardApp, step: str, selector: str) -> str:
    return plain(app.screen_for(step).query_one(selector, Static))


async def walk_to_fits(app: WizardApp, pilot: object) -> None:
    for _ in range(3):
        await pilot.press("n")  # type: ignore[attr-defined]
        await settle(app, pilot)
    assert app.current_mode == "fits"


async def pick(app: WizardApp, pilot: object, approach: str) -> None:
    radios = app.screen_for("fits").query_one("#approach", RadioSet)
    for button in radios.query("RadioButton"):
        if button.name == approach:
            button.value = True  # type: ignore[attr-defined]
    await settle(app, pilot)


@pytest.mark.parametrize("approach", APPROACHES)
async def test_walk_to_the_preview(make_app: AppFactory, tmp_path: Path, approach: str) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert app.current_mode == "welcome"
        assert "Nothing on your machine changes until you confirm" in text_of(app, "welcome", "#intro")
        await walk_to_fits(app, pilot)
        assert (
            "Recommended" in text_of(app, "fits", "#recommendation")
            or "recommend" in text_of(app, "fits", "#recommendation").lower()
        )
        await pick(app, pilot, approach)
        assert app.session.approach == approach
        await pilot.press("n")
        await settle(app, pilot)
        assert app.current_mode == "customize"
        if approach == "own-site":
            # root owning site-packages is sudo-pip: the planner says so, and another owner is accepted
            assert "is sudo-pip" in text_of(app, "customize", "#verdict")
            app.screen_for("customize").query_one("#owner", Input).value = "nobody"
            await settle(app, pilot)
        assert app.screen_for("customize").problem is None, text_of(app, "customize", "#verdict")
        await pilot.press("n")
        await settle(app, pilot)
        assert app.current_mode == "preview"
        plan = text_of(app, "preview", "#plan")
        assert f"Plan: {approach} for /usr/bin/python3" in plan
        assert "nothing has been changed yet" in plan or "already set up" in plan
        await pilot.press("x")  # cancel: nothing changes
    assert Store(root=str(tmp_path / "state")).journals() == []


async def test_customize_validates_as_you_type(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await walk_to_fits(app, pilot)
        await pick(app, pilot, "pip-user")
        await pilot.press("n")
        await settle(app, pilot)
        name = app.screen_for("customize").query_one("#user", Input)
        name.value = "root"
        await settle(app, pilot)
        verdict = text_of(app, "customize", "#verdict")
        assert "✗" in verdict and "root" in verdict
        await pilot.press("n")  # refused: stays
        await settle(app, pilot)
        assert app.current_mode == "customize"
        name.value = "pipinstall"
        await settle(app, pilot)
        assert "✓" in text_of(app, "customize", "#verdict")


async def test_steps_ahead_stay_closed_and_back_works(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.go("apply")
        await settle(app, pilot)
        assert app.current_mode == "welcome"
        await pilot.press("n", "n")
        await settle(app, pilot)
        assert app.current_mode == "approaches"
        await pilot.press("b")
        await settle(app, pilot)
        assert app.current_mode == "machine"
        assert "interpreter" in text_of(app, "machine", "#report").lower()


async def test_help_and_theme_and_approach_check(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("d")
        assert app.theme == "textual-light"
        await pilot.press("n", "n")
        await settle(app, pilot)
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "ApproachScreen"
        from wizard import texts

        check = texts.approaches()["virtualenv"].check
        radios = screen.query_one("#choices", RadioSet)
        radios.query("RadioButton")[check.answer].value = True  # type: ignore[attr-defined]
        await pilot.press("c")
        await pilot.pause()
        assert "Right." in plain(screen.query_one("#verdict", Static))
        await pilot.press("escape")
        assert app.current_mode == "approaches"


async def test_theme_reaches_steps_built_before_and_after_it(make_app: AppFactory) -> None:
    """Step screens are built ahead with their styles up to date (no full re-parse): a theme switched after a step
    was built reaches it when it is shown, and a step built after the switch is drawn in the new theme."""
    from textual.widgets import Footer

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert "machine" in app._steps  # built ahead while Welcome is read
        dark = (app.screen.styles.background, app.screen.query_one(Footer).styles.background)
        await pilot.press("d")
        await pilot.pause()
        light = (app.screen.styles.background, app.screen.query_one(Footer).styles.background)
        assert light != dark
        assert "approaches" not in app._steps
        for step in ("machine", "approaches"):
            await pilot.press("n")
            await settle(app, pilot)
            assert app.current_mode == step
            screen = app.screen_for(step)
            assert (screen.styles.background, screen.query_one(Footer).styles.background) == light, step
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("b")
        await settle(app, pilot)
        assert app.current_mode == "machine"
        screen = app.screen_for("machine")
        assert (screen.styles.background, screen.query_one(Footer).styles.background) == dark


async def test_applied_approach_is_offered_switch_undo_review(make_app: AppFactory, tmp_path: Path) -> None:
    """With a journal that shows an approach applied, Welcome says which and since when."""
    from tests.tui.journals import applied_store

    store = applied_store(tmp_path / "state", "virtualenv")
    app = make_app(store=store)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        applied = text_of(app, "welcome", "#applied")
        assert "You are on approach virtualenv" in applied and "since" in applied
        await pilot.click("#switch")
        await settle(app, pilot)
        assert app.current_mode == "approaches"


async def test_unfinished_apply_leads_to_recover(make_app: AppFactory, tmp_path: Path) -> None:
    from tests.tui.journals import unfinished_store

    store = unfinished_store(tmp_path / "state")
    app = make_app(store=store)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RecoverScreen"
        await pilot.click("#recover")
        await settle(app, pilot)
        assert store.unfinished() is None
        assert type(app.screen).__name__ != "RecoverScreen"
