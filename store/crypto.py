"""Encryption at rest: the project key, sealed files and lines, per-recording keys.

Keys (see docs/privacy.md for the threat model)::

    passphrase --scrypt(salt, n, r, p)--> key-encryption key (never stored)
        wraps the project key (32 random bytes) in <project>/kvale-keys.json
    project key  seals every document, marker log, journal, the codebook and the
        exports written inside the project (AES-256-GCM, a random 96-bit nonce each time)
        and wraps each recording's key
    recording key (32 random bytes, one per interview) seals that interview's audio
        chunks; wrapped by the project key in recordings/<id>/recording.key, which is
        overwritten with random bytes and unlinked when the recording is deleted
        (crypto-shredding)

Formats:

* a sealed file: ``KVSEAL1\\0`` + 12-byte nonce + AES-GCM ciphertext and tag; the
  associated data is the 8-byte magic, so a sealed file cannot pass for another kind.
* a sealed line (append-only logs): ``~`` + URL-safe base64 of nonce + ciphertext.

Unlocking: `unlock` derives the key once per process and keeps the project key in
memory (the keyring below), keyed by the project folder; `cipher_for` finds it.
``KVALE_PASSPHRASE`` in the environment unlocks without a prompt (scripts). A wrong
passphrase or a changed byte is a `StoreError` sentence, never a traceback.

Uses `cryptography` (AESGCM, Scrypt): no home-made primitives here.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kvale_errors import StoreError
from kvale_i18n import N_

KEYS_FILE = "kvale-keys.json"
RECORDING_KEY_FILE = "recording.key"
MAGIC = b"KVSEAL1\0"
LINE_MARK = "~"
NONCE = 12
KEY_BYTES = 32
#: scrypt cost: n=2**17, r=8 (128 MiB, about half a second), OWASP's recommendation.
DEFAULT_N = 2**17
PASSPHRASE_ENV = "KVALE_PASSPHRASE"
MIN_PASSPHRASE = 8


class ProjectLocked(StoreError):
    """The project is encrypted and this process has not been given its passphrase."""

    title = N_("Project locked")


class WrongPassphrase(StoreError):
    """The passphrase does not open the project's key."""

    title = N_("Wrong passphrase")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


class Cipher:
    """AES-256-GCM under one key: seals and opens files, lines and small blobs."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("a kvale key is 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, data: bytes, aad: bytes = MAGIC) -> bytes:
        """``MAGIC`` + nonce + ciphertext (the file format)."""
        nonce = os.urandom(NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, aad)

    def open(self, blob: bytes, where: str, aad: bytes = MAGIC) -> bytes:
        """The plaintext of a sealed file.

        Raises:
            StoreError: not sealed, or sealed under another key, or changed.
        """
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + NONCE + 16:
            raise StoreError.said(
                N_(
                    "{where} is not encrypted although the project is: it was not written by "
                    "kvale, or was replaced. Restore it from your backup."
                ),
                where=where,
            )
        nonce = blob[len(MAGIC) : len(MAGIC) + NONCE]
        try:
            return self._aead.decrypt(nonce, blob[len(MAGIC) + NONCE :], aad)
        except InvalidTag as exc:
            raise tampered(where) from exc

    def seal_line(self, text: str) -> str:
        nonce = os.urandom(NONCE)
        ct = self._aead.encrypt(nonce, text.encode("utf-8"), b"kvale-line")
        return LINE_MARK + base64.urlsafe_b64encode(nonce + ct).decode("ascii")

    def open_line(self, line: str, where: str) -> str:
        if not line.startswith(LINE_MARK):
            raise StoreError.said(
                N_(
                    "{where} holds a line that is not encrypted although the project is. "
                    "Restore it from your backup."
                ),
                where=where,
            )
        try:
            raw = base64.urlsafe_b64decode(line[1:].encode("ascii"))
            return self._aead.decrypt(raw[:NONCE], raw[NONCE:], b"kvale-line").decode("utf-8")
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise tampered(where) from exc


def tampered(where: str) -> StoreError:
    """The error for an encrypted file that does not decrypt (changed or damaged)."""
    return StoreError.said(
        N_(
            "{where} cannot be decrypted: it was changed or damaged after kvale wrote it. "
            "Restore it from your backup; nothing was changed."
        ),
        where=where,
    )


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


# --- the project key ----------------------------------------------------------------


@dataclass(frozen=True)
class KeyFile:
    salt: bytes
    n: int
    r: int
    p: int
    wrapped: bytes  # nonce + AES-GCM(kek, project key)
    converting: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": "kvale-keys",
                "version": 1,
                "kdf": {
                    "name": "scrypt",
                    "salt": _b64(self.salt),
                    "n": self.n,
                    "r": self.r,
                    "p": self.p,
                },
                "project_key": _b64(self.wrapped),
                "converting": self.converting,
            },
            indent=1,
        )

    @classmethod
    def parse(cls, text: str, where: str) -> KeyFile:
        try:
            raw = json.loads(text)
            kdf = raw["kdf"]
            if raw.get("format") != "kvale-keys" or kdf.get("name") != "scrypt":
                raise ValueError("not a kvale key file")
            return cls(
                _unb64(kdf["salt"]),
                int(kdf["n"]),
                int(kdf["r"]),
                int(kdf["p"]),
                _unb64(raw["project_key"]),
                bool(raw.get("converting", False)),
            )
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise StoreError.said(
                N_(
                    "The project's key file {where} is damaged ({problem}). Restore it from "
                    "your backup: without it the project cannot be opened."
                ),
                where=where,
                problem=exc,
            ) from exc


def _kek(passphrase: str, keys: KeyFile) -> bytes:
    kdf = Scrypt(salt=keys.salt, length=KEY_BYTES, n=keys.n, r=keys.r, p=keys.p)
    return kdf.derive(passphrase.encode("utf-8"))


_LOCK = threading.Lock()
_KEYRING: dict[Path, bytes] = {}  # project folder -> project key (this process only)


def _root(path: Path | str) -> Path:
    return Path(path).expanduser().absolute()


def keys_path(root: Path | str) -> Path:
    return _root(root) / KEYS_FILE


def is_encrypted(root: Path | str) -> bool:
    """Whether the project in ``root`` keeps its data encrypted (has a key file)."""
    return keys_path(root).exists()


def read_keys(root: Path | str) -> KeyFile:
    path = keys_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreError.said(
            N_("kvale cannot read the project's key file {path} ({reason})."),
            path=path,
            reason=exc.strerror or exc,
        ) from exc
    return KeyFile.parse(text, str(path))


def fsync_folder(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (`store.storage.fsync_dir` calls this)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some file systems cannot open a folder; nothing more to do
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_keys(root: Path | str, keys: KeyFile) -> None:
    """Replace the key file atomically (0600 temporary file, fsync, rename, fsync folder).

    (Not `store.storage.atomic_write`: storage imports this module.)
    """
    path = keys_path(root)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(keys.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_folder(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"kvale could not write the project's key file {path} ({exc.strerror}); "
            "nothing was changed."
        ) from exc


def check_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise StoreError.said(
            N_(
                "A passphrase needs at least {n} characters (a few words are best); nothing "
                "was changed."
            ),
            title=N_("Passphrase too short"),
            n=MIN_PASSPHRASE,
        )
    return passphrase


def new_keys(passphrase: str, *, n: int = DEFAULT_N) -> tuple[KeyFile, bytes]:
    """A fresh project key wrapped under ``passphrase``: (key file, project key)."""
    check_passphrase(passphrase)
    project_key = AESGCM.generate_key(bit_length=256)
    salt = os.urandom(16)
    keys = KeyFile(salt, n, 8, 1, b"")
    nonce = os.urandom(NONCE)
    wrapped = nonce + AESGCM(_kek(passphrase, keys)).encrypt(nonce, project_key, b"kvale-project")
    return KeyFile(salt, n, 8, 1, wrapped), project_key


def remember(root: Path | str, project_key: bytes) -> None:
    with _LOCK:
        _KEYRING[_root(root)] = project_key


def forget(root: Path | str | None = None) -> None:
    """Drop a project's key from memory (None: every project's)."""
    with _LOCK:
        if root is None:
            _KEYRING.clear()
        else:
            _KEYRING.pop(_root(root), None)


def unlock(root: Path | str, passphrase: str, *, converting_ok: bool = False) -> None:
    """Check the passphrase and keep the project key in memory for this process.

    Raises:
        WrongPassphrase: the passphrase does not open the key.
        StoreError: the key file is missing or damaged, or `kvale encrypt` was
            interrupted (``converting_ok``: the command itself, finishing it).
    """
    keys = read_keys(root)
    kek = _kek(passphrase, keys)
    try:
        key = AESGCM(kek).decrypt(keys.wrapped[:NONCE], keys.wrapped[NONCE:], b"kvale-project")
    except InvalidTag as exc:
        raise WrongPassphrase.said(
            N_(
                "That passphrase does not open this project. Check it (capitals, keyboard "
                "layout) and try again; nothing was changed."
            )
        ) from exc
    if keys.converting and not converting_ok:
        raise StoreError(
            f"Encrypting the project {_root(root)} was interrupted. Run `kvale encrypt "
            f"--project {_root(root)}` again to finish it; nothing is lost.",
            title="Encryption unfinished",
        )
    remember(root, key)


def is_unlocked(root: Path | str) -> bool:
    with _LOCK:
        return _root(root) in _KEYRING


def project_key(root: Path | str) -> bytes | None:
    """The project key if the project is encrypted (unlocking from KVALE_PASSPHRASE).

    Raises:
        ProjectLocked: encrypted, and neither unlocked nor given KVALE_PASSPHRASE.
    """
    root = _root(root)
    with _LOCK:
        key = _KEYRING.get(root)
    if key is not None:
        return key
    if not is_encrypted(root):
        return None
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        unlock(root, env)
        with _LOCK:
            return _KEYRING[root]
    raise ProjectLocked.said(
        N_(
            "The project {root} is encrypted. Enter its passphrase (or set {variable} for "
            "scripts) to open it."
        ),
        root=root,
        variable=PASSPHRASE_ENV,
    )


def cipher_for(root: Path | str) -> Cipher | None:
    """The project's cipher, or None for a project kept in plain files."""
    key = project_key(root)
    return None if key is None else Cipher(key)


def cipher_for_path(path: Path | str) -> Cipher | None:
    """The cipher of the encrypted project a file lies in (None: in no encrypted project)."""
    p = _root(path)
    for folder in [p, *p.parents]:
        if (folder / KEYS_FILE).exists():
            return cipher_for(folder)
    return None
