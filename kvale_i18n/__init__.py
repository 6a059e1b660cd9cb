"""kvale's message catalogues: Python's `gettext` over the ``.po``/``.mo`` files here.

The bottom of kvale's package graph: every package (tui, store, audio, guide) may
import it, and it imports none of them (an import-linter contract says so). The UI's
current language lives in `tui.i18n`; participant-facing text (the member-check
letter, export titles, speaker labels, "[inaudible, N s]") asks for the interview's
own language here, through `translator`.

English is the source language: the msgids are the English text, so "en" (and any
language without a catalogue) gives the msgids back. Nynorsk falls back to bokmål
for a message it lacks, then to English.

Catalogues: ``kvale_i18n/locale/<lang>/LC_MESSAGES/kvale.po``, compiled to ``.mo``
by ``make i18n`` (Babel) and committed, so a fresh ``pip install -e .`` needs no
build step; a test checks each ``.mo`` matches its ``.po``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from pathlib import Path

DOMAIN = "kvale"
LOCALE_DIR = Path(__file__).parent / "locale"
#: languages with a catalogue of their own, in the order the app offers them
LANGUAGES = ("en", "nb", "nn")
#: what a language tag may be written as (Whisper says "no" for Norwegian)
_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "eng": "en", "norsk": "nb", "bokmål": "nb"}
#: which catalogues to look in, best first
_CHAINS = {"nb": ["nb"], "nn": ["nn", "nb"]}


def normalise(language: str | None) -> str:
    """A language tag as kvale's catalogues name it: "no", "nb-NO", "nb_NO" -> "nb";
    None, "" or an unknown tag -> "en"."""
    if not language:
        return "en"
    tag = language.strip().lower().replace("_", "-").split("-")[0]
    tag = _ALIASES.get(tag, tag)
    return tag if tag in LANGUAGES else "en"


def is_norwegian(language: str | None) -> bool:
    """Bokmål or nynorsk (Norwegian conventions in exports: A4, dd.mm.yyyy, 1 234)."""
    return normalise(language) in ("nb", "nn")


@functools.cache
def translator(language: str | None) -> gettext.NullTranslations:
    """The catalogue for a language (cached); English and unknown tags give the msgids.

    Returns:
        A `gettext.NullTranslations` whose ``gettext``/``ngettext``/``pgettext`` translate.
    """
    lang = normalise(language)
    chain = _CHAINS.get(lang)
    if not chain:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=chain, fallback=True)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (translated where it is used:
    class-level constants are built before the language is known)."""
    return message


def format_date(iso: str, language: str | None) -> str:
    """An ISO date as the language writes it: "2023-03-13" -> "13.03.2023" in Norwegian,
    unchanged in English (ISO is what English-language theses print too). Anything that is
    not an ISO date comes back as it was."""
    if not iso or not is_norwegian(language):
        return iso
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def format_int(number: int, language: str | None) -> str:
    """A whole number with thousands grouped by a space: "17 585" (as Norwegian writes
    it; kvale's English tables have always grouped the same way)."""
    return f"{number:,}".replace(",", " ")


def format_decimal(number: float, language: str | None, digits: int = 1) -> str:
    """A decimal number with the language's decimal sign: 3.5 -> "3,5" in Norwegian."""
    text = f"{number:.{digits}f}"
    return text.replace(".", ",") if is_norwegian(language) else text
