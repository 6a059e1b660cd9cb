"""Where the project's documents live: atomic JSON files on disk, or memory in tests.

A document is a TinyDB database (tables of JSON objects). On disk each one is
one JSON file written atomically: the new text goes to a temporary file in the
same folder, is flushed and fsynced, replaces the old file with `os.replace`,
and the folder is fsynced so the rename itself survives a power cut. A reader
therefore sees the old document or the new one, never half of one.

Every document carries its schema version in a ``meta`` table; `MIGRATIONS`
maps a version to the function that upgrades a document from it to the next
one, applied on read. A document newer than this kvale is refused with a
sentence, never guessed at.

Marker logs (one per interview) are append-only JSON-lines files: appending a
line and fsyncing is far cheaper than rewriting the interview document on
every key press. A torn last line (the writer died mid-append) was never
committed and is dropped on read.

The `Backend` is the seam tests inject: `DiskBackend` for real projects;
`store.backends` has the in-memory one for fast repository tests and the
read-only view.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from tinydb import TinyDB
from tinydb.storages import Storage

from kvale_errors import N_, StoreError
from store import crypto

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
META = "meta"

Data = dict[str, dict[str, Any]]
Migration = Callable[[Data], Data]

#: version -> function upgrading a document from that version to version + 1.
MIGRATIONS: dict[int, Migration] = {}

TEMP_MARK = ".tmp-"  # a temporary file is ".<name>.tmp-<pid of its writer>-<random>"


def temp_owner(name: str) -> int | None:
    """The pid of the process writing a temporary file (None: not one, or no pid in it)."""
    _, mark, rest = name.partition(TEMP_MARK)
    pid = rest.split("-", 1)[0] if mark else ""
    return int(pid) if pid.isdigit() else None


_DISK_FULL = N_(
    "The disk is full: kvale could not save {path}. The previous version is intact. Free some "
    "space and try again."
)
_NO_PERMISSION = {
    "save": N_(
        "kvale has no permission to save {path}. Check that the project folder is yours and "
        "writable (not read-only), then try again."
    ),
    "read": N_(
        "kvale has no permission to read {path}. Check that the project folder is yours, then "
        "try again."
    ),
    "delete": N_(
        "kvale has no permission to delete {path}. Check that the project folder is yours and "
        "writable (not read-only), then try again."
    ),
}
_COULD_NOT = {
    "save": N_("kvale could not save {path} ({reason}). Nothing was changed."),
    "read": N_("kvale could not read {path} ({reason}). Nothing was changed."),
    "delete": N_("kvale could not delete {path} ({reason}). Nothing was changed."),
}


def os_error(exc: OSError, path: Path, doing: str) -> StoreError:
    """The error for an OSError while kvale was ``doing`` ("save", "read", "delete") ``path``:
    a full disk, no permission, or the system's reason."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError.said(_DISK_FULL, path=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError.said(_NO_PERMISSION[doing], path=path)
    return StoreError.said(_COULD_NOT[doing], path=path, reason=exc.strerror or exc)


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (one implementation,
    `store.crypto.fsync_folder`, which the key file below this module needs too)."""
    crypto.fsync_folder(folder)


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (and missing parents) and make it 0700, whatever the umask.

    Folders that already existed above ``folder`` (the researcher's own) keep their mode;
    the ones created here are 0700.
    """
    missing = []
    p = Path(folder)
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(exist_ok=True, mode=0o700)
        os.chmod(d, 0o700)  # mkdir's mode is masked by the umask
    if folder.stat().st_mode & 0o777 != 0o700:
        os.chmod(folder, 0o700)
    return folder


def atomic_write(path: Path, text: str | bytes) -> None:
    """Replace ``path`` with ``text`` atomically (temp file, fsync, rename, fsync folder).

    The file is created 0600 (mkstemp), whatever the umask.

    Raises:
        StoreError: the folder is not writable or the disk is full; the old file is intact.
    """
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{TEMP_MARK}{os.getpid()}-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
        fsync_dir(path.parent)
    except OSError as exc:
        raise os_error(exc, path, "save") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


DAMAGED = N_(
    "The project document {where} is damaged ({why}). Restore it from your backup; the other "
    "interviews are unaffected."
)


def damaged_document(where: str, why: str) -> StoreError:
    """The error for a damaged project document ``where``; ``why`` is what is wrong with it
    (a short technical phrase, shown as it is: "invalid JSON at 120")."""
    return StoreError.said(DAMAGED, where=where, why=why)


def upgrade(data: Any, where: str) -> Data:
    """Check a document's shape and schema version, applying `MIGRATIONS` if it is older.

    Raises:
        StoreError: not a kvale document, or written by a newer kvale.
    """
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise damaged_document(where, "it is not a kvale document")
    meta = data.get(META, {}).get("1")
    if not isinstance(meta, dict) or not isinstance(meta.get("schema_version"), int):
        raise damaged_document(where, "it has no schema version")
    version = int(meta["schema_version"])
    if version > SCHEMA_VERSION:
        raise StoreError.said(
            N_(
                "{where} was written by a newer kvale (document version {version}, this kvale "
                "reads up to {known}). Update kvale to open it; nothing was changed."
            ),
            where=where,
            version=version,
            known=SCHEMA_VERSION,
        )
    while version < SCHEMA_VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            raise StoreError.said(
                N_(
                    "{where} uses document version {version}, which this kvale cannot upgrade. "
                    "Open it with the kvale version that wrote it and export it."
                ),
                where=where,
                version=version,
            )
        data = migrate(data)
        version += 1
        data[META] = {"1": {**meta, "schema_version": version}}
    checked: Data = data
    return checked


class AtomicJSONStorage(Storage):
    """A TinyDB storage: one JSON file, replaced atomically on every write."""

    def __init__(self, path: str | Path, cipher: crypto.Cipher | None = None) -> None:
        self.path = Path(path)
        self.cipher = cipher

    def read(self) -> Data | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise os_error(exc, self.path, "read") from exc
        if self.cipher is not None:
            raw = self.cipher.open(raw, str(self.path))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise damaged_document(str(self.path), "not text") from exc
        if not text.strip():
            raise damaged_document(str(self.path), "it is empty")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise damaged_document(str(self.path), f"invalid JSON at {exc.pos}") from exc
        return upgrade(data, str(self.path))

    def write(self, data: Data) -> None:
        text = json.dumps(stamp_data(data), ensure_ascii=False, separators=(",", ":"))
        if self.cipher is not None:
            atomic_write(self.path, self.cipher.seal(text.encode("utf-8")))
        else:
            atomic_write(self.path, text)

    def close(self) -> None:
        pass


class Backend(Protocol):
    """Where documents and logs live; names are relative paths ("interviews/I1-….json")."""

    root: Path

    def db(self, name: str) -> TinyDB: ...
    def exists(self, name: str) -> bool: ...
    def remove(self, name: str) -> bool: ...
    def names(self, folder: str, suffix: str) -> list[str]: ...
    def stamp(self, name: str) -> str | None: ...
    def append_line(self, name: str, line: str) -> None: ...
    def read_lines(self, name: str) -> list[str]: ...
    def write_lines(self, name: str, lines: list[str]) -> None: ...


def stamp_data(data: Data) -> Data:
    data.setdefault(META, {})["1"] = {"schema_version": SCHEMA_VERSION}
    return data


def new_db(storage: Storage) -> TinyDB:
    """A TinyDB over this storage instance (TinyDB calls ``storage=`` to build it)."""
    return TinyDB(storage=lambda: storage)


class DiskBackend:
    """Documents as atomic JSON files under the project folder.

    In an encrypted project (`store.crypto`) every document is a sealed file and every
    log line a sealed line; the cipher is looked up once, at the first read or write
    (`store.crypto.ProjectLocked` if the passphrase was not given).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._cipher: crypto.Cipher | None = None
        self._resolved = False

    @property
    def cipher(self) -> crypto.Cipher | None:
        if not self._resolved:
            self._cipher = crypto.cipher_for(self.root)
            self._resolved = True
        return self._cipher

    def path(self, name: str) -> Path:
        return self.root / name

    def db(self, name: str) -> TinyDB:
        return new_db(AtomicJSONStorage(self.path(name), self.cipher))

    def exists(self, name: str) -> bool:
        path = self.path(name)
        try:
            return path.exists()
        except OSError as exc:  # e.g. a folder the user may not enter
            raise os_error(exc, path, "read") from exc

    def remove(self, name: str) -> bool:
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise os_error(exc, path, "delete") from exc
        fsync_dir(path.parent)
        return True

    def names(self, folder: str, suffix: str) -> list[str]:
        base = self.root / folder
        if not base.is_dir():
            return []
        return sorted(
            f"{folder}/{p.name}"
            for p in base.iterdir()
            if p.name.endswith(suffix) and not p.name.startswith(".")
        )

    def stamp(self, name: str) -> str | None:
        try:
            st = self.path(name).stat()
        except FileNotFoundError:
            return None
        return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"

    def append_line(self, name: str, line: str) -> None:
        path = self.path(name)
        try:
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                size = _drop_torn_tail(fd)
                if self.cipher is not None:
                    line = self.cipher.seal_line(line)
                data = (line + "\n").encode("utf-8")
                try:
                    written = os.write(fd, data)
                    if written != len(data):
                        raise OSError(errno.ENOSPC, "No space left on device")
                    os.fsync(fd)
                except OSError:
                    os.ftruncate(fd, size)  # never leave half a line for the next append
                    raise
            finally:
                os.close(fd)
        except OSError as exc:
            raise os_error(exc, path, "save") from exc

    def read_lines(self, name: str) -> list[str]:
        path = self.path(name)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise os_error(exc, path, "read") from exc
        lines = complete_lines(raw, str(path))
        cipher = self.cipher
        if cipher is None:
            return lines
        return [cipher.open_line(line, str(path)) for line in lines]

    def write_lines(self, name: str, lines: list[str]) -> None:
        cipher = self.cipher
        if cipher is not None:
            lines = [cipher.seal_line(line) for line in lines]
        atomic_write(self.path(name), "".join(line + "\n" for line in lines))


def _drop_torn_tail(fd: int) -> int:
    """Cut a torn last line (a writer died mid-append) so the next line starts clean."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    keep = os.pread(fd, size, 0).rfind(b"\n") + 1  # logs are small: a line per key press
    log.warning("cutting a torn last line (%d bytes) from a marker log", size - keep)
    os.ftruncate(fd, keep)
    return keep


def complete_lines(raw: bytes, where: str) -> list[str]:
    """The committed lines of a log; a torn last line (no newline) was never committed."""
    lines = raw.split(b"\n")
    if lines and lines[-1]:
        log.warning("dropping a torn last line in %s (the writer stopped mid-write)", where)
    try:
        return [line.decode("utf-8") for line in lines[:-1] if line]
    except UnicodeDecodeError as exc:
        raise damaged_document(where, "not text") from exc
