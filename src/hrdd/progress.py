"""A progress bar for long runs, on stderr, only when stderr is a terminal.

Checking a few thousand files takes tens of seconds; a bar tells the person at the terminal
that hrdd is working and how far it got. It stays quiet everywhere else (CI logs, pipes, tests),
and for short runs: nothing is drawn before ``delay`` seconds have passed. No dependency: one
line, rewritten in place with a carriage return, and erased when the work is done so that the
output that follows starts on a clean line.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

WIDTH = 30
"""Characters of the bar itself."""


class Progress:
    """Counts finished items out of ``total``; draws ``label [#####     ] 120/300`` when useful."""

    def __init__(
        self,
        label: str,
        total: int,
        *,
        stream: TextIO | None = None,
        delay: float = 0.5,
        interval: float = 0.1,
        enabled: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        # Only a terminal gets a bar; anything else would fill logs with carriage returns.
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self._started = time.monotonic()
        self._delay = delay
        self._interval = interval
        self._last_drawn = 0.0
        self._drawn = False

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._started < self._delay or now - self._last_drawn < self._interval:
            return
        self._last_drawn = now
        self._draw()

    def line(self) -> str:
        """The bar as text (without the carriage return)."""
        total = max(self.total, 1)
        filled = min(WIDTH, WIDTH * self.done // total)
        return f"{self.label} [{'#' * filled}{' ' * (WIDTH - filled)}] {self.done}/{self.total}"

    def _draw(self) -> None:
        self.stream.write("\r" + self.line())
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Erase the bar, if one was drawn."""
        if self._drawn:
            self.stream.write("\r" + " " * len(self.line()) + "\r")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False
