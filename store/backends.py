"""Backends besides the disk: documents in memory (tests), and a read-only view.

`MemoryBackend` follows TinyDB's `MemoryStorage` idea with a JSON round trip, so memory
behaves like disk. `ReadOnlyBackend` wraps another backend and refuses every write with a
sentence (a project opened for an export or a listing while another process writes it).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage

from kvale_errors import N_, StoreError
from store.storage import (
    Backend,
    Data,
    complete_lines,
    damaged_document,
    new_db,
    stamp_data,
    upgrade,
)


class _SharedMemoryStorage(MemoryStorage):
    """TinyDB's MemoryStorage over a dict shared with a `MemoryBackend` (JSON round trip)."""

    def __init__(self, backend: MemoryBackend, name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.backend = backend
        self.name = name

    def read(self) -> Data | None:
        text = self.backend.docs.get(self.name)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise damaged_document(self.name, f"invalid JSON at {exc.pos}") from exc
        return upgrade(data, self.name)

    def write(self, data: Data) -> None:
        self.backend.docs[self.name] = json.dumps(stamp_data(data), ensure_ascii=False)
        self.backend.tick(self.name)


class MemoryBackend:
    """Documents in memory (tests): same JSON round trip as disk, no files."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.docs: dict[str, str] = {}
        self.logs: dict[str, bytes] = {}
        self._ticks: dict[str, int] = {}

    def tick(self, name: str) -> None:
        self._ticks[name] = self._ticks.get(name, 0) + 1

    def db(self, name: str) -> TinyDB:
        return new_db(_SharedMemoryStorage(self, name))

    def exists(self, name: str) -> bool:
        return name in self.docs or name in self.logs

    def remove(self, name: str) -> bool:
        found = self.docs.pop(name, None) is not None
        found = self.logs.pop(name, None) is not None or found
        self._ticks.pop(name, None)
        return found

    def names(self, folder: str, suffix: str) -> list[str]:
        every = set(self.docs) | set(self.logs)
        return sorted(
            n
            for n in every
            if n.startswith(folder + "/") and n.endswith(suffix) and "/" not in n[len(folder) + 1 :]
        )

    def stamp(self, name: str) -> str | None:
        return f"{self._ticks[name]}" if name in self.docs else None

    def append_line(self, name: str, line: str) -> None:
        self.logs[name] = self.logs.get(name, b"") + (line + "\n").encode("utf-8")

    def read_lines(self, name: str) -> list[str]:
        return complete_lines(self.logs.get(name, b""), name)

    def write_lines(self, name: str, lines: list[str]) -> None:
        self.logs[name] = "".join(line + "\n" for line in lines).encode("utf-8")

    def snapshot(self) -> dict[str, Any]:
        """Everything stored (tests scan it for personal data)."""
        return copy.deepcopy({"docs": self.docs, "logs": self.logs})


def read_only(root: Path) -> StoreError:
    """The error for a change asked of a project this kvale opened read-only."""
    return StoreError.said(
        N_(
            "The project {root} is open read-only in this kvale (another kvale window writes "
            "it): nothing can be changed here. Close the other window to make changes."
        ),
        title=N_("Project open read-only"),
        root=root,
    )


class _ReadOnlyStorage(Storage):
    def __init__(self, inner: Storage, root: Path) -> None:
        self.inner = inner
        self.root = root

    def read(self) -> Data | None:
        data: Data | None = self.inner.read()
        return data

    def write(self, data: Data) -> None:
        raise read_only(self.root)

    def close(self) -> None:
        self.inner.close()


class ReadOnlyBackend:
    """Another backend seen read-only: every write is refused with a sentence.

    A project opened for an export or a listing while another process writes it
    reads through this, so it can never write a document behind the writer's back.
    """

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.root = inner.root

    def db(self, name: str) -> TinyDB:
        db = self.inner.db(name)
        return new_db(_ReadOnlyStorage(db.storage, self.root))

    def exists(self, name: str) -> bool:
        return self.inner.exists(name)

    def remove(self, name: str) -> bool:
        raise read_only(self.root)

    def names(self, folder: str, suffix: str) -> list[str]:
        return self.inner.names(folder, suffix)

    def stamp(self, name: str) -> str | None:
        return self.inner.stamp(name)

    def append_line(self, name: str, line: str) -> None:
        raise read_only(self.root)

    def read_lines(self, name: str) -> list[str]:
        return self.inner.read_lines(name)

    def write_lines(self, name: str, lines: list[str]) -> None:
        raise read_only(self.root)
