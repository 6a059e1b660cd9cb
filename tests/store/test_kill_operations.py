"""Kill -9 at random moments of the real `kvale import`, `kvale purge`, `kvale export docx`:
afterwards (once the project is opened again) the folder is exactly as before or exactly
as after, compared file by file (issue 14, cases 4-6).

A few rounds each here; ``python -m bench faults`` runs 20 of each (bench/faults.py).
"""

from __future__ import annotations

import logging

import pytest

from bench.faults import kill_rounds


@pytest.fixture(autouse=True)
def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)


@pytest.mark.slow
def test_kill_import_at_random_moments() -> None:
    counts = kill_rounds("import", 2, seed=3)
    print(counts)
    assert counts["before"] + counts["before (journal)"] + counts["after"] == 2


def test_kill_purge_at_random_moments() -> None:
    counts = kill_rounds("purge", 4, seed=5)
    print(counts)
    assert sum(v for k, v in counts.items() if not k.startswith("_")) == 4


def test_kill_export_at_random_moments() -> None:
    counts = kill_rounds("export", 3, seed=7, size=12)
    print(counts)
    assert sum(v for k, v in counts.items() if not k.startswith("_")) == 3
