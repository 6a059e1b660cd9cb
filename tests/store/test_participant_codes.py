"""Participant codes in any alphabet: 'Ø2' is a code; the refusal never says 'use letters'."""

from __future__ import annotations

from pathlib import Path

import pytest

from kvale_errors import StoreError
from store import Project


# a lower-case word such as "informant-7" is refused as name-like (issue 15, test_privacy)
@pytest.mark.parametrize("code", ["Ø2", "Å1", "I3", "INF-7", "Æ_2"])
def test_letters_of_any_alphabet_are_accepted(tmp_path: Path, code: str) -> None:
    project = Project.init(tmp_path / "p")
    try:
        project.add_participant(code)
        assert code in {p.code for p in project.participants()}
    finally:
        project.close()


def test_a_refused_code_says_what_a_code_is(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    try:
        with pytest.raises(StoreError) as caught:
            project.add_participant("Kari Nordmann")
        assert "use letters" not in caught.value.sentence
        assert "Ø2" in caught.value.sentence
    finally:
        project.close()
