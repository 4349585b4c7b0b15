"""Provides the blast-radius demo screen, opened from The four approaches: the demo runs in a worker with progress,
then shows the matrix (what the canary saw under each approach, against the prediction) as `demo` prints it."""

from __future__ import annotations

import threading

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.demo.model import DemoResult
    from wizard.session import Session

INTRO = (
    "[b]The blast-radius demo.[/b] A harmless source package, the canary, is installed with pip under each approach "
    "this machine can run. Its build step — where a real package's setup.py runs — only looks around, then stops "
    "its own build: nothing gets installed and nothing outside the demo's temporary folders changes."
)


class DemoScreen(Screen[None]):
    """The demo with its progress, then its matrix; Escape goes back to the table (stopping a run under way)."""

    DEFAULT_CSS = """
    DemoScreen #demo-body { padding: 0 1; }
    DemoScreen #demo-progress { margin: 1 0 0 0; }
    DemoScreen #demo-step { color: $text-muted; margin-bottom: 1; }
    """
    BINDINGS = [("escape", "close", "Back to the table"), ("r", "again", "Run it again")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.result: DemoResult | None = None
        self.problem: str | None = None
        self.running = False
        self._stop = threading.Event()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="demo-body"):
            yield Static(INTRO, id="demo-intro")
            yield ProgressBar(id="demo-progress", show_eta=False)
            yield Static("Starting…", id="demo-step")
            yield Static("", id="demo-matrix")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "the blast-radius demo"
        self.action_again()

    def action_again(self) -> None:
        if self.running:
            self.notify("The demo is running: wait for it (Escape stops it).")
            return
        self.running, self.result, self.problem = True, None, None
        self._stop.clear()
        self.query_one("#demo-progress", ProgressBar).display = True
        self.query_one("#demo-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#demo-step", Static).update("Starting…")
        self.query_one("#demo-matrix", Static).update("")
        self.run_demo()

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def run_demo(self) -> None:
        """Runs the demo in a thread; the screen hears of each stage and of the end."""
        from wizard.errors import WizardError

        def progressed(done: int, total: int, text: str) -> None:
            if not self._stop.is_set():
                self.app.call_from_thread(self.progressed, done, total, text)

        try:
            result = self.session.demo(progressed, self._stop.is_set)
        except WizardError as err:
            if not self._stop.is_set():
                self.app.call_from_thread(self.finished, None, " ".join(err.lines()))
            return
        if not self._stop.is_set():
            self.app.call_from_thread(self.finished, result, None)

    def progressed(self, done: int, total: int, text: str) -> None:
        self.query_one("#demo-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#demo-step", Static).update(f"[{done}/{total}] {escape(text)}")

    def finished(self, result: DemoResult | None, problem: str | None) -> None:
        from wizard.render.demo import demo
        from wizard.render.lines import Rich

        self.running, self.result, self.problem = False, result, problem
        self.query_one("#demo-progress", ProgressBar).display = False
        step = self.query_one("#demo-step", Static)
        if result is None:
            step.update(f"[b red]The demo could not run:[/] {escape(problem or '')}")
            return
        step.update(f"Done in {result.seconds:.1f} s. r runs it again; Escape goes back to the table.")
        width = self.size.width - 4  # the padding and the scroll bar
        self.query_one("#demo-matrix", Static).update(Rich(demo(result, intro=False, width=width)))

    def action_close(self) -> None:
        self._stop.set()
        self.app.pop_screen()
