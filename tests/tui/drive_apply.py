"""Drives the full-screen app (``WizardApp``, through Textual's Pilot) to a real apply, or to an undo, on this machine.

tests/system/test_tui_apply.py runs it inside the namespace sandbox as `sudo pip-setup-wizard` by alice (root,
SUDO_USER=alice): Pilot runs in-process, so the whole app has to run where the changes may be made.

    python drive_apply.py apply APPROACH   Welcome → Your machine → approaches → Which fits you (picks APPROACH)
                                           → Customize (sets CUSTOMIZE[APPROACH]) → Preview → Proceed
                                           → the confirmation (own-site: the risk typed) → Apply → Done
    python drive_apply.py undo             Welcome's undo offer → the undo dialog's preview → Undo it → Close

Everything is done with keys and mouse clicks, as a person would. It prints one JSON object: what each screen
showed on the way, for the test to check. A step that does not go as it should stops the walk with exit status 1,
naming the step.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path
from typing import Any

# The wizard of this checkout, as the test that runs this imports it (whatever the venv has installed).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Checkbox, Input, RadioButton, RichLog, Select, Static

from wizard.session import RISK_WORDS, Session
from wizard.tui.app import WizardApp
from wizard.tui.screens.customize import SHELL_RC

SIZE = (120, 40)
APPLY_TIMEOUT = 240.0  # seconds; a venv made without uv takes a few
# What the walk sets at Customize (the rest keep their defaults): the options tests/system/engine.py's
# APPROACH_FLAGS give the command line, so the two applies can be compared.
CUSTOMIZE: dict[str, dict[str, object]] = {
    "sudo-pip": {"only_binary": True},
    "pip-user": {"break_system_packages": True},
    "own-site": {},  # the owner left empty: you
    "virtualenv": {"shell_rc": "path", "require_virtualenv": True},
}


class Stuck(Exception):
    """The app did not do what a person would have seen it do."""


def text(widget: Widget) -> str:
    """What a Static shows (or a RichLog holds), as plain text."""
    if isinstance(widget, RichLog):
        return "\n".join("".join(seg.text for seg in line).rstrip() for line in widget.lines)
    console = Console(file=io.StringIO(), width=200, record=True)
    console.print(widget.content if isinstance(widget, Static) else widget.render())
    return console.export_text()


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):  # a finished worker can start the next (a form mounts, its fields report changes)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def click(pilot: Pilot[Any], widget: Widget) -> None:
    """Scrolls the widget into view and clicks it; the click must land on it."""
    widget.scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    region = widget.region
    under, _ = pilot.app.get_widget_at(region.x, region.y)  # where Pilot clicks; a part of the widget counts
    if under is not widget and widget not in under.ancestors:
        raise Stuck(f"{widget!r} is hidden under {under!r}: a click would not reach it")
    await pilot.click(widget)
    await settle(pilot)


async def type_into(pilot: Pilot[Any], field: Input, value: str) -> None:
    await click(pilot, field)
    await pilot.press(*value)
    await settle(pilot)
    if field.value != value:
        raise Stuck(f"typed {value!r} into #{field.id}, it holds {field.value!r}")


async def next_step(pilot: Pilot[Any], expect: str) -> None:
    await pilot.press("n")
    await settle(pilot)
    app: WizardApp = pilot.app  # type: ignore[assignment]
    if app.current_mode != expect:
        raise Stuck(f"n (Next) led to {app.current_mode!r}, not {expect!r}")


async def customize(pilot: Pilot[Any], approach: str) -> None:
    """Sets CUSTOMIZE[approach] through the form: a checkbox is clicked, a choice is picked from its list."""
    screen = pilot.app.screen
    for name, value in CUSTOMIZE[approach].items():
        field = screen.query_one(f"#{name}")
        if isinstance(field, Checkbox):
            if field.value != value:
                await click(pilot, field)
        elif isinstance(field, Select):
            values = [v for _label, v in SHELL_RC]
            await click(pilot, field)  # opens the list, highlighting the current choice
            moves = values.index(str(value)) - values.index(str(field.value))
            await pilot.press(*(["down"] * moves if moves > 0 else ["up"] * -moves), "enter")
            await settle(pilot)
        elif isinstance(field, Input):
            await type_into(pilot, field, str(value))
        if getattr(field, "value", None) != value:
            raise Stuck(f"#{name} at Customize holds {getattr(field, 'value', None)!r}, not {value!r}")


async def walk_apply(pilot: Pilot[Any], approach: str, seen: dict[str, Any]) -> None:
    app: WizardApp = pilot.app  # type: ignore[assignment]
    await settle(pilot)
    if app.current_mode != "welcome":
        raise Stuck(f"the app opened on {app.current_mode!r}, not the welcome step")
    seen["welcome"] = text(app.screen.query_one("#intro", Static))
    seen["welcome_applied"] = bool(app.screen.query("#applied"))
    await next_step(pilot, "machine")
    seen["machine"] = text(app.screen.query_one("#report", Static))
    await next_step(pilot, "approaches")
    await next_step(pilot, "fits")
    seen["recommendation"] = text(app.screen.query_one("#recommendation", Static))
    for button in app.screen.query_one("#approach").query(RadioButton):
        if button.name == approach:
            await click(pilot, button)
    if app.session.approach != approach:
        raise Stuck(f"clicking {approach} at Which fits you chose {app.session.approach!r}")
    await next_step(pilot, "customize")
    await customize(pilot, approach)
    seen["verdict"] = text(app.screen.query_one("#verdict", Static))
    options = app.session.options
    seen["options"] = options.to_dict() if options is not None else None
    await next_step(pilot, "preview")
    seen["plan"] = text(app.screen.query_one("#plan", Static))
    await pilot.press("p")
    await settle(pilot)
    dialog = app.screen
    if type(dialog).__name__ != "ConfirmScreen":
        raise Stuck(f"p (Proceed) opened {type(dialog).__name__}, not the confirmation")
    seen["confirm"] = "\n".join(text(s) for s in dialog.query(Static))
    if dialog.query("#words"):
        await click(pilot, dialog.query_one("#yes"))  # without the words: refused, the dialog stays
        seen["refused_without_words"] = app.screen is dialog and app.current_mode == "preview"
        await type_into(pilot, dialog.query_one("#words", Input), RISK_WORDS)
    await click(pilot, dialog.query_one("#yes"))
    if app.current_mode != "apply":
        raise Stuck(f"confirming led to {app.current_mode!r}, not the apply step")
    screen = app.screen_for("apply")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + APPLY_TIMEOUT
    while not (screen.finished or screen.failed) and loop.time() < deadline:  # type: ignore[attr-defined]
        await pilot.pause(0.1)
    await settle(pilot)
    seen["apply_status"] = text(screen.query_one("#status", Static))
    seen["apply_log"] = text(screen.query_one("#log", RichLog))
    if not screen.finished:  # type: ignore[attr-defined]
        raise Stuck(f"the apply did not finish: {seen['apply_status']}\n{seen['apply_log']}")
    await next_step(pilot, "done")
    seen["done"] = text(app.screen.query_one("#summary", Static))


async def walk_undo(pilot: Pilot[Any], seen: dict[str, Any]) -> None:
    app: WizardApp = pilot.app  # type: ignore[assignment]
    await settle(pilot)
    if app.current_mode != "welcome" or not app.screen.query("#applied"):
        raise Stuck("the welcome step does not offer what is applied")
    seen["welcome_applied"] = text(app.screen.query_one("#applied", Static))
    await click(pilot, app.screen.query_one("#undo"))
    dialog = app.screen
    if type(dialog).__name__ != "UndoScreen":
        raise Stuck(f"Undo it opened {type(dialog).__name__}, not the undo dialog")
    seen["undo_what"] = text(dialog.query_one("#what", Static))
    seen["undo_plan"] = text(dialog.query_one("#undo-lines", Static))
    await click(pilot, dialog.query_one("#yes"))
    seen["undo_result"] = text(dialog.query_one("#what", Static))
    await click(pilot, dialog.query_one("#no"))
    await settle(pilot)
    seen["welcome_after"] = bool(app.screen.query("#applied")) or app.session.applied() is not None


async def main(argv: list[str]) -> int:
    app = WizardApp(Session())
    seen: dict[str, Any] = {}
    try:
        async with app.run_test(size=SIZE) as pilot:
            if argv[0] == "apply":
                await walk_apply(pilot, argv[1], seen)
            else:
                await walk_undo(pilot, seen)
            seen["ended_on"] = app.current_mode
            await pilot.press("q")
    except Stuck as err:
        seen["stuck"] = str(err)
    print(json.dumps(seen, indent=1))
    return 1 if "stuck" in seen else 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("apply", "undo") or (sys.argv[1] == "apply") != (len(sys.argv) == 3):
        sys.exit("usage: drive_apply.py apply APPROACH | undo")
    sys.exit(asyncio.run(main(sys.argv[1:])))
