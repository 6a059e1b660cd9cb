"""`kvale import` records the consent it relies on.

A recording made elsewhere is personal data the project takes in: the participant
must have consented to the interview and to its audio recording. If the project has
that consent stored already, import goes on. Otherwise ``--consent`` (the researcher
states it, for scripts) or a yes to the question in a terminal records it, with the
date the form was signed when given and the time it was entered; without either the
import stops with a sentence before anything is written.
"""

from __future__ import annotations

import sys
from typing import Any

from kvale_errors import KvaleError
from tui.i18n import N_, _


def ensure_import_consent(
    project: Any, code: str, stated: bool, signed: str | None = None, *, ask: Any = None
) -> bool:
    """Make sure ``code``'s consent to interview and audio is recorded; True if recorded now.

    Call it inside the import's `store.Project.operation`, so that an import that fails or
    is killed takes the consent record back with it (the project is as before).

    Raises:
        KvaleError: no consent stored, none stated, and no terminal to ask in (or a no).
        StoreError: the code is not a pseudonym, or the date is not a date.
    """
    from store import Consent
    from store.privacy import check_pseudonym, parse_date

    check_pseudonym(code)
    if project.has_audio_consent(code):
        return False
    if signed is not None:
        signed = parse_date(signed).isoformat()  # YYYY-MM-DD or DD.MM.YYYY, stored ISO
    if not stated:
        question = _(
            "Did participant {code} sign consent to the interview and to its audio "
            "recording? [y/N] "
        ).format(code=code)
        if ask is None and not sys.stdin.isatty():
            raise KvaleError.said(
                N_(
                    "The project has no recorded consent of participant {code} to the "
                    "interview and its audio recording. Check the signed form, then add "
                    "--consent (and --consent-date DD.MM.YYYY) to record it; nothing was "
                    "imported."
                ),
                title=N_("Consent needed"),
                code=code,
            )
        answer = (ask or input)(question)
        if str(answer).strip().lower() not in {"y", "yes", "j", "ja"}:
            raise KvaleError.said(
                N_(
                    "Without consent of participant {code} kvale does not import the "
                    "recording; nothing was imported."
                ),
                title=N_("Consent needed"),
                code=code,
            )
    project.record_consent(code, Consent(interview=True, audio=True, date=signed or ""))
    return True
