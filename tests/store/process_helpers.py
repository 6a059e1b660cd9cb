"""Real processes on one project: a writer that holds it, and the `kvale` command itself."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

HOLDER = r"""
import sys
from tui.launch import open_project  # what the app does when it starts

project = open_project(__import__("pathlib").Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()  # hold the project until the test says so
"""


@contextlib.contextmanager
def writer_process(project: Path) -> Iterator[subprocess.Popen[str]]:
    """A real process that opens the project as the app does and keeps it open."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project)],
        cwd=ROOT,
        env=ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("ready"), (line, proc.stderr.read() if proc.stderr else "")
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def kvale(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the `kvale` command in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def folder_state(
    root: Path, ignore: tuple[str, ...] = (".kvale.lock", ".kvale-exports.lock")
) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), to compare before and after."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in ignore
    }
