"""Small bridges between the app and `store.Project` for calls whose shape varies.

Kept here so the screens call one function, and a change in the store's API is
fixed in one place.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from tui.pipeline import _attr

log = logging.getLogger(__name__)


def participant_codes(project: Any) -> list[str]:
    """Codes already used in the project (participants and interviews)."""
    codes: set[str] = set()
    lister = getattr(project, "participants", None)
    if callable(lister):
        for p in lister():
            codes.add(str(_attr(p, "code", p)))
    for row in project.interviews():
        codes.add(str(_attr(row, "participant", "")))
    return sorted(c for c in codes if c)


def record_consent(
    project: Any, code: str, *, takes_part: bool, audio: bool, date: dt.date
) -> None:
    """Store the participant's consent (from the signed form) before recording."""
    from kvale_errors import StoreError
    from store.model import Consent

    consent = Consent(interview=takes_part, audio=audio, date=date.isoformat())
    try:
        project.participant(code)
    except StoreError:
        project.add_participant(code, consent)
    else:
        project.record_consent(code, consent)


def add_redaction_name(project: Any, name: str) -> None:
    """Append a name to the project's ``redaction_names`` setting."""
    names = list(project.settings.redaction_names)
    if name not in names:
        names.append(name)
    project.update_settings(redaction_names=names)
