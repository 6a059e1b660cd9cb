"""How many people take part in an interview, as the researcher writes it (the
new-interview form's field, `kvale import --people`).

The number counts the interviewer: 2 for an individual interview (the default), 3 for a
couple, 4-6 for a small group. It is kept with the interview and the voices are found
with it (`audio.voices.find_voices`: 2 means at most two voices, 3 or more exactly that
many unless one of them says nothing).
"""

from __future__ import annotations

from kvale_errors import KvaleError
from kvale_i18n import N_

DEFAULT_PEOPLE = 2  # an individual interview: the interviewer and one participant

BAD_PEOPLE = N_(
    "'{text}' is not a number of people. Write how many take part, the interviewer "
    "included: 2 for an individual interview, 3 for a couple, up to {most} for a group."
)


def parse_people(text: object) -> int:
    """The whole number in ``text`` (surrounding spaces allowed), 1 … `MAX_PEOPLE`.

    Raises:
        KvaleError: anything else, with a sentence that says what to write (translated
            by `tui.i18n.error_text`).
    """
    from audio.voices import MAX_PEOPLE

    raw = str(text).strip()
    number = int(raw) if raw.isascii() and raw.isdigit() else 0
    if not 1 <= number <= MAX_PEOPLE:
        raise KvaleError.said(BAD_PEOPLE, title=N_("Number of people"), text=raw, most=MAX_PEOPLE)
    return number
