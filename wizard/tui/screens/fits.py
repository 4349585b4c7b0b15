"""Provides the Which fits you step: the questionnaire (defaults from this machine), the recommendation with its
reasons, and the choice of approach (the recommended one preselected)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet, Static

from wizard.recommend import QUESTIONS
from wizard.tui.screens.base import StepScreen

ORDER = ("virtualenv", "pip-user", "sudo-pip", "own-site")


def _value(v: object) -> str:
    return ("yes" if v else "no") if isinstance(v, bool) else str(v)


class FitsScreen(StepScreen):
    STEP = "fits"
    HELP = (
        "Answer five questions (arrow keys move, space or enter picks, tab goes to the next question). The "
        "recommendation updates as you answer, with its reasons and a runner-up. Pick the approach to set up at "
        "the bottom: the recommended one is preselected, any other is allowed."
    )
    NOT_READY = "Pick an approach at the bottom of this step first."

    def __init__(self) -> None:
        super().__init__()
        self.picked: str | None = None

    def body(self) -> ComposeResult:
        for q in QUESTIONS:
            yield Static(f"[b]{q.prompt}[/b]\n[dim]{q.help}[/dim]", classes="question")
            with RadioSet(id=f"q-{q.id}", classes="answers"):
                for value, label in q.choices:
                    yield RadioButton(label, name=value)
        yield Static("", id="recommendation")
        yield Static("[b]Set up which approach?[/b]", classes="question")
        with RadioSet(id="approach", classes="answers"):
            for ident in ORDER:
                yield RadioButton(ident, name=ident)

    def on_mount(self) -> None:
        self.machine_changed()

    def machine_changed(self) -> None:
        if self.session.report is None:
            self._show("[dim]Waiting for the look at your machine (step 2)…[/dim]")
            return
        defaults = self.session.facts().default_answers()
        for q in QUESTIONS:
            given = self.session.answers.get(q.id, defaults.get(q.id))
            self._select(f"#q-{q.id}", _value(given))
        self.update_recommendation()

    def _select(self, selector: str, value: str) -> None:
        try:
            radios = self.query_one(selector, RadioSet)
        except Exception:
            return
        with radios.prevent(RadioSet.Changed):
            for button in radios.query(RadioButton):
                if button.name == value:
                    button.value = True

    def _show(self, content: object) -> None:
        try:
            self.query_one("#recommendation", Static).update(content)  # type: ignore[arg-type]
        except Exception:
            pass

    def answers(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for q in QUESTIONS:
            button = self.query_one(f"#q-{q.id}", RadioSet).pressed_button
            if button is not None and button.name:
                out[q.id] = button.name
        return out

    def update_recommendation(self) -> None:
        from wizard.render.recommend import recommendation

        rec = self.session.recommend(self.answers())
        if self.picked:
            self.session.choose(self.picked)
        self._show(recommendation(rec))
        if self.picked is None:
            self._select("#approach", rec.approach)
            self.session.choose(rec.approach)
        self.refresh_nav()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if event.radio_set.id == "approach":
            self.picked = event.pressed.name
            if self.picked:
                self.session.choose(self.picked)
            self.refresh_nav()
        elif self.session.report is not None:
            self.update_recommendation()

    def next_ready(self) -> bool:
        return self.session.approach is not None
