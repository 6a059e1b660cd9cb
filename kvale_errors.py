"""The one error hierarchy of kvale.

Every error a researcher can meet is a `KvaleError`: a short title and a
sentence that says what happened and what to do. The CLI prints the sentence
and exits non-zero; the app shows it in a notification or dialog. This module
depends on nothing, so every kvale package may import it.
"""

from __future__ import annotations


class KvaleError(Exception):
    """An error with a title and a sentence for the researcher."""

    title: str = "Something went wrong"

    def __init__(self, sentence: str, *, title: str | None = None) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.sentence


class GuideError(KvaleError):
    """An interview guide file cannot be read or is malformed."""

    title = "Interview guide problem"

    def __init__(
        self,
        sentence: str,
        *,
        path: str | None = None,
        line: int | None = None,
        title: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None and line is not None:
            where = f"{path}, line {line}: "
        elif path is not None:
            where = f"{path}: "
        elif line is not None:
            where = f"line {line}: "
        super().__init__(where + sentence, title=title)
        self.detail = sentence


class StoreError(KvaleError):
    """The project folder or one of its documents cannot be read or written."""

    title = "Project problem"


class AudioError(KvaleError):
    """Recording, playing or reading audio failed."""

    title = "Audio problem"


class TranscriptionError(KvaleError):
    """A transcription engine or model is missing or failed."""

    title = "Transcription problem"
