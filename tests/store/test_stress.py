"""Real processes on one project at once: the interview pipeline, kvale import, kvale
purge, an open review, export and list (issue 14, "Done when": the stress test).

Two rounds here (the purge runs from the second); ``python -m bench stress`` runs 50.
"""

from __future__ import annotations

import logging

import pytest

from bench.stress import stress_rounds


@pytest.mark.slow
def test_two_rounds_lose_no_write_and_resurrect_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    counts = stress_rounds(2)
    print(counts)
    assert counts["rounds checked"] == 2
    assert counts["purge: done"] == 1 and counts["import: done"] == 2
