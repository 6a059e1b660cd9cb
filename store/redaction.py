"""Third-party names: replace them with a placeholder in everything exported.

The project keeps a list of names to redact (``ProjectSettings.redaction_names``);
an entry is a name ("Kari"), or a name with its placeholder
("Kari=[colleague]", or a mapping ``{"name": ..., "placeholder": ...}``).
A name matches as a whole word, as written or capitalised, with an optional
possessive "s" ("Karis" → "[colleague]s"). Multi-word names match across any
whitespace, and their first word alone matches too ("Kari" of "Kari Nordmann").
Offsets can be mapped through a redaction, so coded selections stay on the same
words in exported text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from kvale_i18n import translator

DEFAULT_PLACEHOLDER = "[name]"


@dataclass(frozen=True)
class Redaction:
    """One name to redact and what to write instead."""

    name: str
    placeholder: str = DEFAULT_PLACEHOLDER


def redactions_from_setting(value: object) -> list[Redaction]:
    """Read the project's ``redaction_names`` setting, whatever shape it was saved in."""
    entries: list[Redaction] = []
    items: Iterable[object]
    if isinstance(value, Mapping):
        items = [{"name": k, "placeholder": v} for k, v in value.items()]
    elif isinstance(value, str):
        items = [value]
    elif isinstance(value, Iterable):
        items = value
    else:
        items = []
    for item in items:
        if isinstance(item, Redaction):
            entries.append(item)
        elif isinstance(item, Mapping):
            name = str(item.get("name", "")).strip()
            placeholder = str(item.get("placeholder") or DEFAULT_PLACEHOLDER)
            if name:
                entries.append(Redaction(name, placeholder))
        elif isinstance(item, str):
            name, sep, placeholder = item.partition("=")
            if name.strip():
                entries.append(Redaction(name.strip(), placeholder.strip() if sep else ""))
    return [Redaction(r.name, r.placeholder or DEFAULT_PLACEHOLDER) for r in entries]


def default_placeholder(language: str | None) -> str:
    """What a name without a placeholder of its own is written as, in ``language`` (the
    export's: "[navn]" in nb, "[namn]" in nn, "[name]" otherwise)."""
    return translator(language).gettext(DEFAULT_PLACEHOLDER)


class Redactor:
    """Replaces every listed name in a text; callable, and can map offsets.

    ``language``: the export's language, for the default placeholder
    (`default_placeholder`); a placeholder given with the name is written as given.
    """

    def __init__(self, redactions: Iterable[Redaction], language: str | None = None) -> None:
        self.default = default_placeholder(language)
        self.redactions = sorted(
            {r.name: r for r in redactions if r.name.strip()}.values(),
            key=lambda r: -len(r.name),
        )

    @cached_property
    def _forms(self) -> dict[str, Redaction]:
        """Every written form that is redacted (casefolded) → its entry. A name of several
        words is also matched by its first word alone ("Kari" of "Kari Nordmann"): people
        say first names."""
        forms: dict[str, Redaction] = {}
        for r in self.redactions:  # longest first: a full name wins over a first name
            forms.setdefault(" ".join(r.name.split()).casefold(), r)
        for r in self.redactions:
            parts = r.name.split()
            if len(parts) > 1 and len(parts[0]) > 1:
                forms.setdefault(parts[0].casefold(), r)
        return forms

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.redactions:
            return None
        alternatives = []
        written = {r.name: r for r in self.redactions}
        for r in self.redactions:
            parts = r.name.split()
            if len(parts) > 1 and len(parts[0]) > 1:
                written.setdefault(parts[0], r)
        for name in sorted(written, key=len, reverse=True):
            for form in sorted({name, name[:1].upper() + name[1:]}, key=len, reverse=True):
                alternatives.append(r"\s+".join(re.escape(part) for part in form.split()))
        # a possessive stays after the placeholder: "Karis" → "[name]s", "Kari's" → "[name]'s"
        return re.compile(r"(?<!\w)(" + "|".join(alternatives) + r")(?=s?(?!\w))")

    def _placeholder(self, matched: str) -> str:
        found = self._forms.get(" ".join(matched.split()).casefold())
        given = found.placeholder if found is not None else DEFAULT_PLACEHOLDER
        return self.default if given == DEFAULT_PLACEHOLDER else given

    def __call__(self, text: str) -> str:
        return self.redact(text)[0]

    def redact(self, text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
        """The redacted text and the replaced spans (old start, old end, new start, new end)."""
        pattern = self._pattern
        if pattern is None or not text:
            return text, []
        out: list[str] = []
        spans: list[tuple[int, int, int, int]] = []
        last = 0
        new_len = 0
        for m in pattern.finditer(text):
            out.append(text[last : m.start()])
            new_len += m.start() - last
            repl = self._placeholder(m.group(1))
            spans.append((m.start(), m.end(), new_len, new_len + len(repl)))
            out.append(repl)
            new_len += len(repl)
            last = m.end()
        out.append(text[last:])
        return "".join(out), spans

    @staticmethod
    def map_offset(offset: int, spans: list[tuple[int, int, int, int]], *, end: bool) -> int:
        """Where a character offset of the original text lands in the redacted text.

        An offset inside a replaced name moves to the placeholder's start (for a
        selection's start) or end (for a selection's end), so a selection never
        reveals part of a name.
        """
        shift = 0
        for old_start, old_end, new_start, new_end in spans:
            if offset <= old_start:
                break
            if offset < old_end:
                return new_end if end else new_start
            shift = new_end - old_end
        return offset + shift
