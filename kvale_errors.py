"""The one error hierarchy of kvale.

Every error a researcher can meet is a `KvaleError`: a short title and a
sentence that says what happened and what to do. The CLI prints the sentence
and exits non-zero; the app shows it in a notification or dialog. This module
depends on nothing, so every kvale package may import it.
"""

from __future__ import annotations

from typing import Any, Self


def N_(message: str) -> str:  # the same mark as kvale_i18n.N_ (this module imports nothing)
    return message


class KvaleError(Exception):
    """An error with a title and a sentence for the researcher.

    An error made with `said` also keeps its sentence's English template and the values
    filled into it, so that the app can show it in the researcher's language
    (`tui.i18n.error_text`); the others are shown as they are.
    """

    title: str = N_("Something went wrong")
    #: the sentence's template (an English msgid) and its values, when made with `said`
    template: str | None = None
    params: dict[str, Any]

    def __init__(self, sentence: str, *, title: str | None = None) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.params = {}
        if title is not None:
            self.title = title

    @classmethod
    def said(cls, template: str, *, title: str | None = None, **params: Any) -> Self:
        """An error whose sentence is ``template`` (English, marked ``N_`` where it is
        written) with ``params`` filled in: ``AudioError.said(N_("… {name} …"), name=x)``."""
        error = cls(template.format(**params), title=title)
        error.template, error.params = template, params
        return error

    def __str__(self) -> str:
        return self.sentence


class GuideError(KvaleError):
    """An interview guide file cannot be read or is malformed."""

    title = N_("Interview guide problem")

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

    title = N_("Project problem")


class AudioError(KvaleError):
    """Recording, playing or reading audio failed."""

    title = N_("Audio problem")


class TranscriptionError(KvaleError):
    """A transcription engine or model is missing or failed."""

    title = N_("Transcription problem")
