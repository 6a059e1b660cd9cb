"""Fixtures for the app and pipeline tests: a real project on disk, a short synthetic interview."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.demo.synth import SHORT, synth_interview

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


@pytest.fixture(autouse=True)
def english_ui_after():  # type: ignore[no-untyped-def]
    """The UI's language is process-wide (`tui.i18n`): a test that switches it (a Norwegian
    project) leaves English behind for the next."""
    yield
    from tui.i18n import set_language

    set_language(None)


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh kvale project in a temp folder (the real store, on disk)."""
    from store import Project

    return Project.init(tmp_path / "project", name="test project")


@pytest.fixture(scope="session")
def short_interview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A ~25 s English interview (three questions) and its marker track."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng to synthesise the interview")
    folder = tmp_path_factory.mktemp("interview")
    audio, track = folder / "short.flac", folder / "short.json"
    synth_interview(SHORT, audio, track)
    return audio, track
