"""In bokmål and nynorsk, as in English, every essential key is in the footer at 80×24 (a
laptop terminal split in two): the translations are short enough for the footers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pilot_wait import footer_laid_out
from test_snapshots import _session
from test_snapshots_screens import ESSENTIAL, StandIn, _same, make

from store.model import ProjectSettings
from tui.app import KvaleApp
from tui.screens.conduct import ConductScreen

#: the conduct screen's keys (all ten: the interviewer must not have to look for one)
CONDUCT = {"n", "p", "j", "k", "s", "b", "m", "r", "x", "q"}


class Norwegian(StandIn):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    @property
    def settings(self) -> ProjectSettings:
        return ProjectSettings(name="NAV-trivsel", language=self.language)


class ScreenApp(KvaleApp):
    def __init__(self, project: Any, make_screen: Any) -> None:
        super().__init__(project, check_interrupted=False, mic_check=False)
        self.make_screen = make_screen

    def open_first_screen(self) -> None:
        self.push_screen(self.make_screen())


async def _visible_keys(app: ScreenApp) -> tuple[set[str], list[str]]:
    from textual.widgets._footer import FooterKey

    async with app.run_test(size=(80, 24)) as pilot:
        await footer_laid_out(pilot)
        keys = [k for k in app.screen.query(FooterKey) if k.region.width and k.region.right <= 80]
        return (
            {(k.key_display or k.key).split()[0] for k in keys},
            [k.description for k in keys],
        )


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("kind", sorted(ESSENTIAL))
async def test_essential_keys_fit_80x24(kind: str, language: str, tmp_path: Path) -> None:
    app = ScreenApp(Norwegian(language), lambda: make(kind, tmp_path))
    keys, labels = await _visible_keys(app)
    missing = {e for e in ESSENTIAL[kind] if not any(_same(e, k) for k in keys)}
    assert not missing, f"{kind} ({language}): not visible at 80×24: {missing} ({labels})"
    assert "back" not in labels and "help" not in labels  # translated, not English


@pytest.mark.parametrize("language", ["nb", "nn"])
async def test_conduct_keys_fit_80x24(language: str, tmp_path: Path) -> None:
    from store import Project

    project = Project.init(tmp_path / "p", name="p")
    project.update_settings(language=language)
    app = ScreenApp(
        project,
        lambda: ConductScreen(_session(project), participant="I3", refresh_hz=0, meter_hz=0),
    )
    keys, labels = await _visible_keys(app)
    assert keys >= CONDUCT, f"conduct ({language}): {sorted(CONDUCT - keys)} hidden ({labels})"
    assert "neste" in labels and "stopp" in labels
