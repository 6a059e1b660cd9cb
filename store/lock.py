"""One writer at a time: the project's lock, an OS file lock held for a process's life.

A process that writes a project (the app, ``kvale import``, ``kvale purge``)
holds an exclusive `fcntl.flock` on ``<project>/.kvale.lock`` from the moment
it opens the project until it closes it or exits; the kernel releases the lock
when the process dies, however it dies (kill -9 included), so a crash never
leaves a project locked. A second writer meets `ProjectBusy`, whose sentence
says which process holds it and that the project can be opened read-only
(exports, listings).

Within one process the lock is shared: opening the same project twice (the
app's screens, tests) counts references and the lock goes when the last one
is closed. `flock` locks belong to an open file description, so a child made
by ``fork`` would share it; kvale's only child process (the live transcriber)
is started with ``spawn`` and never inherits it.

Exports take a second, short lock (``.kvale-exports.lock``) for their duration,
as does a purge: an export can never write a participant's words back into
the project while that participant is being purged.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kvale_errors import N_, StoreError

LOCK_FILE = ".kvale.lock"
EXPORTS_LOCK_FILE = ".kvale-exports.lock"


class ProjectBusy(StoreError):
    """Another process is writing this project."""

    title = "Project in use"


@dataclass
class _Held:
    fd: int
    count: int


_held: dict[Path, _Held] = {}
_mutex = threading.Lock()


def _describe_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    pid, _, command = text.partition(" ")
    if not pid.isdigit():
        return ""
    return f" (process {pid}{', ' + command if command else ''})"


def _open_lock_file(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise StoreError.said(
            N_(
                "kvale cannot open the project's lock file {path} ({reason}). Check that the "
                "project folder is yours and writable."
            ),
            path=path,
            reason=exc.strerror or exc,
        ) from exc


class WriterLock:
    """This process's claim to write a project; `release` once (close the project)."""

    def __init__(self, root: Path, first: bool) -> None:
        self.root = root
        #: True for the process's first claim: only then may it clean up after dead writers.
        self.first = first
        self._released = False

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        with _mutex:
            held = _held.get(self.root)
            if held is None:
                return
            held.count -= 1
            if held.count == 0:
                del _held[self.root]
                with contextlib.suppress(OSError):
                    fcntl.flock(held.fd, fcntl.LOCK_UN)
                os.close(held.fd)


def acquire_writer(root: Path, command: str | None = None) -> WriterLock:
    """Claim the right to write the project in ``root`` for this process.

    Raises:
        ProjectBusy: another process holds it (the sentence names the process).
        StoreError: the lock file cannot be created (a read-only folder).
    """
    root = Path(root).absolute()
    with _mutex:
        held = _held.get(root)
        if held is not None:
            held.count += 1
            return WriterLock(root, first=False)
        fd = _open_lock_file(root / LOCK_FILE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            who = _describe_holder(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise ProjectBusy(
                    f"This project is open in another kvale window{who}; close it or open "
                    "it read-only (exports and listings work while it is open). Nothing "
                    "was changed."
                ) from exc
            raise StoreError.said(
                N_("kvale cannot lock the project {root} ({reason}). Nothing was changed."),
                root=root,
                reason=exc.strerror or exc,
            ) from exc
        name = command or " ".join(Path(a).name for a in sys.argv[:2])
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {name}\n".encode(), 0)
        _held[root] = _Held(fd, 1)
        return WriterLock(root, first=True)


def holds_writer(root: Path) -> bool:
    """Whether this process holds the project's writer lock."""
    with _mutex:
        return Path(root).absolute() in _held


@contextlib.contextmanager
def exports_lock(root: Path) -> Iterator[None]:
    """Hold the project's export lock (waits for a running export or purge to finish)."""
    path = Path(root) / EXPORTS_LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:  # a read-only project folder: nothing can be written there anyway
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextlib.contextmanager
def exports_lock_nowait(root: Path) -> Iterator[bool]:
    """Try the export lock without waiting: yields whether it is held."""
    try:
        fd = os.open(Path(root) / EXPORTS_LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (temporary files name their owner's pid)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
