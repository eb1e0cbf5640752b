"""A plain progress bar on stderr for long commands (no dependency).

On a terminal it redraws one line; in a log (not a TTY) it prints a line at
each tenth of the way, so CI logs stay short.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, *, stream=None, width: int = 30, delay: float = 1.0):
        self.total = max(int(total), 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self._last_tenth = -1
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        # Like tqdm's delay: short runs print nothing at all.
        self.delay = delay
        self._shown = False

    def update(self, done: int, note: str = "") -> None:
        self.done = min(int(done), self.total)
        fraction = self.done / self.total
        elapsed = time.monotonic() - self.started
        if elapsed < self.delay and not self._shown:
            return
        self._shown = True
        tenth = int(fraction * 10)
        if not self._tty and tenth == self._last_tenth and self.done < self.total:
            return
        self._last_tenth = tenth
        filled = int(fraction * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        line = f"{self.label} [{bar}] {fraction:4.0%} {self.done}/{self.total} {elapsed:5.1f}s"
        if note:
            line += f" {note}"
        if self._tty:
            self.stream.write("\r" + line.ljust(100))
            if self.done >= self.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def step(self, note: str = "", count: int = 1) -> None:
        self.update(self.done + count, note)
