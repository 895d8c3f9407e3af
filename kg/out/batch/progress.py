"""Progress of a build: one self-updating line on a terminal, a plain line now and then elsewhere (CI, logs)."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Counts articles and characters; shows the rate and, when the input size is known, the time left."""

    def __init__(self, total_bytes: int = 0, stream: TextIO | None = None, interactive: bool | None = None,
                 every_s: float | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.interactive = (self.stream.isatty() and not os.environ.get("CI")) if interactive is None else interactive
        self.every_s = every_s if every_s is not None else (0.2 if self.interactive else 10.0)
        self.enabled = enabled
        self.total_bytes = total_bytes
        self.started = time.monotonic()
        self.last_shown = self.started
        self.articles = self.skipped = self.chars = self.bytes_done = 0

    def line(self) -> str:
        """The current state in one line."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        parts = [f"{self.articles:,} articles", f"{self.chars / elapsed:,.0f} chars/s"]
        if self.skipped:
            parts.insert(1, f"{self.skipped:,} unchanged")
        if self.total_bytes and self.bytes_done:
            share = min(self.bytes_done / self.total_bytes, 1.0)
            parts.append(f"{share:.0%}")
            if 0 < share < 1:
                parts.append(f"{_duration(elapsed * (1 - share) / share)} left")
        return "kg: " + " · ".join(parts)

    def advance(self, articles: int = 0, chars: int = 0, input_bytes: int = 0, skipped: int = 0) -> None:
        """Count work done and show it when it is time to."""
        self.articles += articles
        self.skipped += skipped
        self.chars += chars
        self.bytes_done += input_bytes
        now = time.monotonic()
        if self.enabled and now - self.last_shown >= self.every_s:
            self.last_shown = now
            self._show()

    def _show(self) -> None:
        if self.interactive:
            self.stream.write("\r\033[K" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self, finished: bool = True) -> None:
        """Show the final state and end the line; after a failure only end the line, for the error."""
        if not self.enabled:
            return
        if finished:
            self._show()
        if self.interactive and (finished or self.last_shown > self.started):
            self.stream.write("\n")
        self.stream.flush()
