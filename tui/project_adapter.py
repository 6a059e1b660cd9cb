"""Small steps the screens take on `store.Project` that need more than one call."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store import Project

log = logging.getLogger(__name__)


def participant_codes(project: Project) -> list[str]:
    """Codes already used in the project (participants and interviews)."""
    codes = {p.code for p in project.participants()}
    codes.update(row.participant for row in project.interviews())
    return sorted(c for c in codes if c)


def record_consent(
    project: Project, code: str, *, takes_part: bool, audio: bool, date: dt.date
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


def add_redaction_name(project: Project, name: str) -> None:
    """Append a name to the project's ``redaction_names`` setting."""
    names = list(project.settings.redaction_names)
    if name not in names:
        names.append(name)
    project.update_settings(redaction_names=names)
