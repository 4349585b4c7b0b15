"""Provides the terminal driver: Textual's Linux/macOS driver, with a lone Escape taken as the Escape key in
ESCDELAY (50 ms by default here) rather than after up to 100 ms more.

Textual tells a lone Escape from the first byte of a key's escape sequence by waiting ESCDELAY for more bytes,
but its input thread looks at the clock only when its ``select`` returns, which it does every 100 ms when nothing
arrives, so a lone Escape was always taken after about 100 ms. This input loop is Textual 8.2's own
(``LinuxDriver.run_input_thread``; Textual is pinned exactly) with that wait shortened to a quarter of ESCDELAY.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual import constants
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

POLL = min(0.1, max(0.005, constants.ESCAPE_DELAY / 4))  # seconds between looks at the clock when idle


class Driver(LinuxDriver):
    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (Textual's loop; only the select timeout differs)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process(selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:  # stdin is a pipe that ended
                        break
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(POLL))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
