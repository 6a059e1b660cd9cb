"""The recordings `kvale import` is given: files and folders, their length, and each
recording's participant code (from its file name, or from a CSV)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kvale_errors import KvaleError
from kvale_i18n import N_

NO_AUDIO_FILE = N_("There is no audio file at {path}. Check the path and try again.")

AUDIO_SUFFIXES = {
    ".wav",
    ".flac",
    ".mp3",
    ".m4a",
    ".aac",
    ".ogg",
    ".opus",
    ".wma",
    ".mp4",
    ".mkv",
    ".mov",
    ".webm",
    ".aiff",
    ".aif",
}


def probe_duration(path: Path) -> float | None:
    """Length of an audio file in seconds from its container, without decoding; or None."""
    if path.is_dir():
        return None
    try:
        import av

        with av.open(str(path)) as container:
            if container.duration:
                return float(container.duration) / 1_000_000
            stream = container.streams.audio[0]
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except Exception:  # not readable here: the import itself gives the sentence
        return None
    return None


def expand_sources(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given, and the audio files (by extension) inside a folder, sorted by name.

    A kvale recording folder (one with ``part-*.wav`` or ``recording.json``) is one
    recording, not a folder of recordings.

    Raises:
        KvaleError: a path does not exist, or a folder holds no audio.
    """
    out: list[Path] = []
    for given in paths:
        p = Path(given).expanduser()
        if not p.exists():
            raise KvaleError.said(NO_AUDIO_FILE, title=N_("Import problem"), path=p)
        if p.is_dir() and not _is_recording_folder(p):
            found = sorted(
                f for f in p.iterdir() if f.is_file() and f.suffix.lower() in AUDIO_SUFFIXES
            )
            if not found:
                raise KvaleError.said(
                    N_("The folder {folder} holds no audio files (looked for {suffixes})."),
                    title=N_("Import problem"),
                    folder=p,
                    suffixes=", ".join(sorted(AUDIO_SUFFIXES)),
                )
            out.extend(found)
        else:
            out.append(p)
    return [p.resolve() for p in out]


def _is_recording_folder(p: Path) -> bool:
    return any(p.glob("part-*.wav")) or (p / "recording.json").is_file()


def read_participants_csv(path: Path) -> dict[str, str]:
    """``file`` → ``participant`` from a CSV with those two columns (a header row).

    Files are matched by name or by path as written.

    Raises:
        KvaleError: the file cannot be read or lacks the columns.
    """
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            rows = list(csv.DictReader(fh, dialect=dialect))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise KvaleError.said(
            N_("kvale cannot read the participant list {path} ({reason})."),
            title=N_("Import problem"),
            path=path,
            reason=exc,
        ) from exc
    if not rows or not {"file", "participant"} <= {k.strip().lower() for k in rows[0] if k}:
        raise KvaleError.said(
            N_(
                "The participant list {path} needs a header row with the columns 'file' and "
                "'participant' (one recording per row)."
            ),
            title=N_("Import problem"),
            path=path,
        )
    out: dict[str, str] = {}
    for row in rows:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if clean.get("file") and clean.get("participant"):
            out[clean["file"]] = clean["participant"]
    return out


def code_from_name(path: Path) -> str:
    """The participant code a file name gives: the name without its extension."""
    return path.stem.strip() if path.is_file() else path.name.strip()


def refuse_file_name_codes(paths: Sequence[Path]) -> None:
    """Refuse, in one sentence naming them, the files whose names give no participant
    code (`code_from_name`; `store.privacy.check_code`): nothing is queued then.

    Raises:
        KvaleError: one or more names are no code (a name, a word, "intervju 1").
    """
    from store.privacy import check_code

    named = []
    for path in paths:
        try:
            check_code(code_from_name(path))
        except KvaleError:
            named.append(path.name)
    if named:
        raise KvaleError.said(
            N_(
                "kvale takes the participant code from the file's name when none is given, "
                "and {files} is no code: a code is a pseudonym such as I3, never a name or a "
                "word. Give the code with --participant I3 (one recording), or list each "
                "file's code in a CSV (columns: file, participant) given with "
                "--participants. Nothing was imported."
            ),
            title=N_("Import problem"),
            files=", ".join(named),
        )
