"""What the commands share: opening the project, asking, and progress on a terminal."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kvale_errors import KvaleError

if TYPE_CHECKING:
    from store import Project

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def project_dir(args: argparse.Namespace) -> Path:
    """The folder of ``--project``, else the current folder."""
    return Path(args.project) if args.project else Path.cwd()


def open_for_command(
    args: argparse.Namespace, *, allow_expired: bool = False, read_only: bool = False
) -> Project:
    """Open the project: to write it (the lock) or read-only (exports, listings).

    Work an earlier, interrupted kvale left (a purge completed, an import undone) is
    reported on stderr: the researcher must know the project changed.
    """
    from store import Project
    from tui.privacy_cli import print_reminder, unlocked

    path = project_dir(args)
    project = unlocked(
        path, lambda: Project.open(path, allow_expired=allow_expired, read_only=read_only)
    )
    speak_project_language(project)
    for sentence in project.recovered:
        print(f"kvale: {sentence}", file=sys.stderr)
    print_reminder(project)
    return project


def researcher_language() -> str | None:
    """The researcher's own language setting (None when unset or the settings file is
    unreadable: a command never fails over the language it speaks)."""
    from tui.settings import Settings

    try:
        return Settings.load().language
    except KvaleError:
        return None


def speak_project_language(project: Project) -> None:
    """The command speaks the project's language from here on (as the app does)."""
    from tui.i18n import use_project_language

    use_project_language(project, researcher_language())


def confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal (no terminal: a sentence saying to add --yes)."""
    from tui.i18n import _

    if not sys.stdin.isatty():
        raise KvaleError(question + " " + _("Add --yes to confirm when not running in a terminal."))
    return input(f"{question} [y/N] ").strip().lower() in {"y", "yes", "j", "ja"}


def clock(seconds: float) -> str:
    """``HH:MM:SS``."""
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def status_line(text: str) -> None:
    """Rewrite the terminal's last line with ``text`` (nothing when stderr is a file)."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[2K" + text)
        sys.stderr.flush()


class ProgressBar:
    """A one-line progress bar with ETA on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.started = time.monotonic()
        self.tty = stream.isatty()
        self.last_percent = -1

    def update(self, fraction: float, eta: float | None = None) -> None:
        percent = int(max(0.0, min(1.0, fraction)) * 100)
        if percent == self.last_percent:
            return
        self.last_percent = percent
        filled = percent * 30 // 100
        eta_text = f"ETA {clock(eta)[3:]}" if eta is not None else ""
        line = f"{self.label}  {'█' * filled}{'░' * (30 - filled)} {percent:3d} %  {eta_text}"
        if self.tty:
            self.stream.write("\r\x1b[2K" + line)
            self.stream.flush()
        elif percent % 10 == 0:
            self.stream.write(line + "\n")

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
