"""Folder snapshots for the app's all-or-nothing tests."""

from __future__ import annotations

from pathlib import Path


def folder_state(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), lock files aside."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".kvale")
    }
