"""Progress of a build: a tqdm bar on a terminal, a plain line now and then elsewhere (CI, logs)."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from tqdm import tqdm


class _Bar(tqdm):
    """tqdm without its monitor thread: a build forks to write its page, which only a process with no
    other thread may do."""

    monitor_interval = 0


class Progress:
    """Counts articles and characters; shows the rate and, when the input size is known, the time left.

    On a terminal tqdm draws and refreshes the bar (input bytes done of the
    total, articles and characters per second beside it); in a log, where a
    bar's carriage returns would pile up, one plain line is written every
    ``every_s`` seconds instead.
    """

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
        self._bar: _Bar | None = None
        if enabled and self.interactive:
            self._bar = _Bar(total=total_bytes or None, file=self.stream, mininterval=self.every_s, miniters=1,
                             unit="B", unit_scale=True, dynamic_ncols=True, leave=True,
                             bar_format="kg: {desc} · {percentage:3.0f}%|{bar:20}| {remaining} left")

    def counts(self) -> str:
        """Articles done (and unchanged) and the rate in characters per second."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        parts = [f"{self.articles:,} articles", f"{self.chars / elapsed:,.0f} chars/s"]
        if self.skipped:
            parts.insert(1, f"{self.skipped:,} unchanged")
        return " · ".join(parts)

    def line(self) -> str:
        """The current state in one plain line."""
        parts = [self.counts()]
        if self.total_bytes and self.bytes_done:
            share = min(self.bytes_done / self.total_bytes, 1.0)
            parts.append(f"{share:.0%}")
            if 0 < share < 1:
                elapsed = time.monotonic() - self.started
                parts.append(f"{tqdm.format_interval(elapsed * (1 - share) / share)} left")
        return "kg: " + " · ".join(parts)

    def advance(self, articles: int = 0, chars: int = 0, input_bytes: int = 0, skipped: int = 0) -> None:
        """Count work done and show it when it is time to."""
        self.articles += articles
        self.skipped += skipped
        self.chars += chars
        self.bytes_done += input_bytes
        if self._bar is not None:
            self._bar.set_description_str(self.counts(), refresh=False)
            self._bar.update(input_bytes)  # tqdm redraws at most every ``every_s`` seconds
            return
        now = time.monotonic()
        if self.enabled and now - self.last_shown >= self.every_s:
            self.last_shown = now
            self._write_line()

    def _write_line(self) -> None:
        self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self, finished: bool = True) -> None:
        """Show the final state and end the line; after a failure only end the line, for the error."""
        if not self.enabled:
            return
        if self._bar is not None:
            if finished:
                self._bar.set_description_str(self.counts(), refresh=False)
            self._bar.close()
        elif finished:
            self._write_line()
        self.stream.flush()
