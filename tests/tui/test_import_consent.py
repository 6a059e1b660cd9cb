"""`kvale import` records the consent it relies on, or imports nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kvale_errors import KvaleError, StoreError
from store import Consent, Project
from tui.import_consent import ensure_import_consent

ROOT = Path(__file__).parents[2]
AUDIO = ROOT / "tests" / "fixtures" / "LJ001-0001.wav"


def test_without_consent_and_without_a_terminal_nothing_is_imported(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.close()
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--project", str(tmp_path / "p"), "import",
         str(AUDIO), "--guide", "nav-trivsel-en", "--participant", "I3", "--model", "tiny.en"],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
        env={**os.environ},
    )  # fmt: skip
    assert done.returncode == 2
    assert "no recorded consent of participant I3" in done.stderr
    assert "--consent" in done.stderr and "Traceback" not in done.stderr
    again = Project.open(tmp_path / "p")
    assert again.interviews() == [] and again.participants() == []


def test_consent_is_asked_for_and_recorded(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    assert ensure_import_consent(project, "I3", False, "2026-11-20", ask=lambda q: "ja")
    consent = project.participant("I3").consent
    assert consent == Consent(True, True, date="2026-11-20", recorded_at=consent.recorded_at)
    assert consent.recorded_at
    # stored: not asked again
    assert not ensure_import_consent(project, "I3", False, ask=lambda q: pytest.fail(q))
    with pytest.raises(KvaleError, match="does not import"):
        ensure_import_consent(project, "I4", False, ask=lambda q: "n")
    assert not project.has_audio_consent("I4")
    assert ensure_import_consent(project, "I5", True)  # --consent
    assert project.has_audio_consent("I5")


def test_a_name_as_participant_code_is_refused_before_anything(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    with pytest.raises(StoreError, match="looks like a name"):
        ensure_import_consent(project, "Kari_Nordmann", True)
    assert project.participants() == []
