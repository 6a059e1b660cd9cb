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
        super().__init__(self.where(str) + sentence, title=title)
        self.detail = sentence

    def where(self, gettext: Any) -> str:
        """'guide.md, line 4: ' (or the file, or the line alone), through ``gettext``."""
        if self.path is not None and self.line is not None:
            return str(gettext(N_("{path}, line {line}: ")).format(path=self.path, line=self.line))
        if self.path is not None:
            return f"{self.path}: "
        if self.line is not None:
            return str(gettext(N_("line {line}: ")).format(line=self.line))
        return ""

    @classmethod
    def said(
        cls,
        template: str,
        *,
        path: str | None = None,
        line: int | None = None,
        title: str | None = None,
        **params: Any,
    ) -> Self:
        """A guide error whose sentence is ``template`` (English, marked ``N_``) with
        ``params`` filled in, at ``path`` and ``line``; `in_language` translates it.

        Raises:
            KeyError: ``template`` names a value that ``params`` does not give.
        """
        error = cls(template.format(**params), path=path, line=line, title=title)
        error.template, error.params = template, params
        return error

    def in_language(self, gettext: Any) -> str:
        """The sentence with where it is, through ``gettext`` (a translation's ``gettext``).

        Raises:
            KeyError, IndexError, ValueError: a translation that does not fit its template.
        """
        detail = str(gettext(self.template).format(**self.params)) if self.template else self.detail
        return self.where(gettext) + detail


class StoreError(KvaleError):
    """The project folder or one of its documents cannot be read or written."""

    title = N_("Project problem")


class AudioError(KvaleError):
    """Recording, playing or reading audio failed."""

    title = N_("Audio problem")


class TranscriptionError(KvaleError):
    """A transcription engine or model is missing or failed."""

    title = N_("Transcription problem")
