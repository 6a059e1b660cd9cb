"""Exports that finish or never happened: a staging folder swapped into place.

An export into the project (``<project>/exports/<format>/``) is written into a
hidden staging folder beside it (``.<format>.staging-<pid>``) that starts as a
hard-linked copy of the current folder (so a one-participant export keeps the
others' files), and is swapped in at the end by two renames: the old folder to
``.<format>.old-<pid>``, the staging folder to ``<format>``. A kill before the
swap leaves the old folder untouched; a kill between the two renames leaves the
old folder under its hidden name, which `recover` renames back. Either way the
folder is as before the export or as after it, never half of it.

`recover` runs under the project's export lock (`store.lock.exports_lock`) at
the start of every export and when a writer opens the project; it touches only
folders whose process is gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from store.lock import pid_alive
from store.storage import fsync_dir, private_dir

log = logging.getLogger(__name__)

_LEFT = re.compile(r"^\.(?P<key>[\w-]+)\.(?P<kind>staging|old)-(?P<pid>\d+)$")


def recover(exports: Path) -> list[str]:
    """Undo what a killed export left in ``exports``; returns what was done (for the log)."""
    done: list[str] = []
    if not exports.is_dir():
        return done
    for p in sorted(exports.iterdir()):
        mt = _LEFT.match(p.name)
        if mt is None or pid_alive(int(mt["pid"])):
            continue
        final = exports / mt["key"]
        if mt["kind"] == "old" and not final.exists():
            os.replace(p, final)  # killed between the two renames: back as before
            done.append(f"restored {final.name}")
        else:
            shutil.rmtree(p, ignore_errors=True)
            done.append(f"removed {p.name}")
    if done:
        fsync_dir(exports)
        log.warning("an interrupted export was undone in %s: %s", exports, ", ".join(done))
    return done


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link (instant, no space); a copy where the file system has none (exFAT)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@contextlib.contextmanager
def staged(exports: Path, key: str) -> Iterator[Path]:
    """A staging folder for ``exports/<key>``, swapped into place when the block ends well."""
    private_dir(exports)
    final = exports / key
    pid = os.getpid()
    staging = exports / f".{key}.staging-{pid}"
    old = exports / f".{key}.old-{pid}"
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    if final.is_dir():
        shutil.copytree(final, staging, copy_function=_link_or_copy)
    else:
        staging.mkdir(mode=0o700)
        os.chmod(staging, 0o700)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_dir(staging)
    if final.exists():
        os.replace(final, old)
        os.replace(staging, final)
        fsync_dir(exports)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, final)
        fsync_dir(exports)
