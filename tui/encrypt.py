"""`kvale encrypt`: convert a project kept in plain files into an encrypted one.

It lives in tui/ because it touches both the store's documents (`store.crypto`) and the
recordings' chunks (`audio.sealed`), and only tui may import both.

Order, so that a kill at any moment is finished by running the command again:

1. the key file is written with ``"converting": true`` (the project refuses to open
   until the conversion ends: its files are a mix);
2. every document, log, codebook and export inside the project is sealed in place
   (each file replaced atomically; a file already sealed is left as it is);
3. every recording's WAV chunks are sealed under a new recording key;
4. the key file is rewritten with ``"converting": false``.

The plain copies the files had before may stay in the disk's free space: the command
says so (docs/privacy.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path

from kvale_errors import N_, StoreError
from store import crypto, recording_keys
from store.lock import acquire_writer
from store.storage import atomic_write
from tui.import_queue import QUEUE_FILE

#: the import queue holds the imported files' paths (a name can be in one) and codes
SEALED_FILES = ("kvale-project.json", "codebook.json", QUEUE_FILE)
LINE_FILES = ("exports-outside.jsonl", ".kvale-journal.json")


@dataclasses.dataclass
class Converted:
    files: int = 0
    lines_files: int = 0
    chunks: int = 0


def _seal_file(path: Path, cipher: crypto.Cipher) -> bool:
    raw = path.read_bytes()
    if crypto.is_sealed(raw):
        return False
    atomic_write(path, cipher.seal(raw))
    return True


def _seal_lines(path: Path, cipher: crypto.Cipher) -> bool:
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if line]
    if all(line.startswith(crypto.LINE_MARK) for line in lines):
        return False
    sealed = [
        line if line.startswith(crypto.LINE_MARK) else cipher.seal_line(line) for line in lines
    ]
    atomic_write(path, "".join(line + "\n" for line in sealed))
    return True


def _seal_recordings(root: Path, done: Converted) -> None:
    from audio import sealed
    from audio.recording import SAMPLE_BYTES, is_locked, read_manifest, write_manifest

    recordings = root / "recordings"
    if not recordings.is_dir():
        return
    for rec in sorted(p for p in recordings.iterdir() if p.is_dir()):
        parts = [rec, *sorted(p for p in rec.rglob("*") if p.is_dir())]
        folders = [p for p in parts if any(p.glob("chunk-*.wav"))]
        if not folders:
            continue
        key = recording_keys.recording_key(root, rec)
        assert key is not None
        for folder in folders:
            if is_locked(folder):
                raise StoreError.said(
                    N_(
                        "A kvale is recording into {folder}. Stop that recording, then run "
                        "`kvale encrypt` again."
                    ),
                    folder=folder,
                )
            manifest = read_manifest(folder) or {}
            rate = int(manifest.get("samplerate", 16000))
            frame_bytes = int(manifest.get("channels", 1)) * SAMPLE_BYTES
            for wav in sorted(folder.glob("chunk-*.wav")):
                target, frames = sealed.seal_wav_chunk(wav, key, rate, frame_bytes)
                for c in manifest.get("chunks", []):
                    if c.get("file") == wav.name:
                        c["file"], c["frames"] = target.name, frames
                done.chunks += 1
            if manifest:
                manifest["sealed"] = True
                write_manifest(folder, manifest)


def encrypt_project(root: Path | str, passphrase: str, *, kdf_n: int | None = None) -> Converted:
    """Encrypt a plain project in place (or finish an interrupted conversion).

    Raises:
        StoreError: not a project, already encrypted, the passphrase is too short or
            wrong (a finished key file), another kvale writes the project, or a file
            cannot be written.
        ProjectBusy: another kvale has the project open.
    """
    root = Path(root).expanduser().absolute()
    if not (root / "kvale-project.json").exists():
        raise StoreError.said(N_("{root} has no kvale project; nothing was encrypted."), root=root)
    lock = acquire_writer(root)
    try:
        if crypto.is_encrypted(root):
            keys = crypto.read_keys(root)
            if not keys.converting:
                raise StoreError.said(
                    N_("The project {root} is encrypted already; nothing was changed."),
                    title=N_("Already encrypted"),
                    root=root,
                )
            crypto.unlock(
                root, passphrase, converting_ok=True
            )  # finish what was started, with its key
        else:
            keys, key = crypto.new_keys(passphrase, n=kdf_n or crypto.DEFAULT_N)
            crypto.write_keys(root, dataclasses.replace(keys, converting=True))
            crypto.remember(root, key)
        cipher = crypto.cipher_for(root)
        assert cipher is not None
        done = Converted()
        for name in SEALED_FILES:
            if (root / name).exists():
                done.files += _seal_file(root / name, cipher)
        for name in LINE_FILES:
            if (root / name).exists():
                done.lines_files += _seal_lines(root / name, cipher)
        interviews = root / "interviews"
        for p in sorted(interviews.glob("*.json")) if interviews.is_dir() else []:
            if not p.name.startswith("."):
                done.files += _seal_file(p, cipher)
        for p in sorted(interviews.glob("*.markers.jsonl")) if interviews.is_dir() else []:
            if not p.name.startswith("."):
                done.lines_files += _seal_lines(p, cipher)
        exports = root / "exports"
        if exports.is_dir():
            for p in sorted(exports.rglob("*")):
                hidden = any(part.startswith(".") for part in p.relative_to(exports).parts)
                if p.is_file() and not p.is_symlink() and not hidden:
                    done.files += _seal_file(p, cipher)
        _seal_recordings(root, done)
        keys = crypto.read_keys(root)
        crypto.write_keys(root, dataclasses.replace(keys, converting=False))
    finally:
        with contextlib.suppress(Exception):
            lock.release()
    return done
