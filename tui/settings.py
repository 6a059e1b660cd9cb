"""kvale's user settings: one typed object, read from and written to one file.

Project-specific settings (auto-delete, end date, redaction names) live in
the project (`store`); these are the researcher's own defaults.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from kvale_errors import N_, KvaleError
from tui import locations

log = logging.getLogger(__name__)


@dataclass
class Settings:
    """The researcher's defaults; every field has a safe offline default."""

    engine: str = "auto"  # "auto", "faster-whisper" or "openai-whisper"
    model: str = "base"  # a model name or a model folder
    language: str | None = None  # None: from the guide, else auto-detect
    input_device: str | None = None  # None: the system's default microphone
    live_transcription: bool = True  # transcribe while the interview runs

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read the settings file; a missing file gives the defaults."""
        path = path or locations.config_file()
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KvaleError.said(
                N_(
                    "kvale's settings file {path} cannot be read ({problem}). Delete it to go "
                    "back to the defaults."
                ),
                title=N_("Settings problem"),
                path=path,
                problem=exc,
            ) from exc
        if not isinstance(raw, dict):
            raw = {}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            log.warning("ignoring unknown settings %s in %s", unknown, path)
        return cls(**{k: v for k, v in raw.items() if k in known})

    def save(self, path: Path | None = None) -> None:
        """Write the settings file atomically."""
        path = path or locations.config_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
