"""The app's bridges to the real store."""

from __future__ import annotations

import datetime as dt

from tui.project_adapter import add_redaction_name, participant_codes, record_consent


def test_add_redaction_name_appends_once(project) -> None:  # type: ignore[no-untyped-def]
    add_redaction_name(project, "Kari")
    add_redaction_name(project, "Ola")
    add_redaction_name(project, "Kari")
    assert project.settings.redaction_names == ["Kari", "Ola"]


def test_record_consent_then_codes(project) -> None:  # type: ignore[no-untyped-def]
    record_consent(project, "I1", takes_part=True, audio=True, date=dt.date(2023, 3, 13))
    assert project.has_audio_consent("I1")
    record_consent(project, "I1", takes_part=True, audio=False, date=dt.date(2023, 3, 13))
    assert not project.has_audio_consent("I1")
    assert participant_codes(project) == ["I1"]
