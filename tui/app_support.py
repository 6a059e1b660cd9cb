"""Process-level helpers of the app: a log kept in memory while the app owns the terminal,
and multiprocessing's resource tracker started before it does."""

from __future__ import annotations

import logging


class MemoryLog(logging.Handler):
    """Keeps the last 200 log lines in a list (the app's, while it owns the terminal)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")
        del self.lines[:-200]


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker while stderr is still the real one.

    The live transcriber's child process needs it; started later, from inside the running
    app (whose stderr is not a real file), spawning it fails with "bad value(s) in
    fds_to_keep".
    """
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
