"""The one sentence splitter (guide.sentences), shared by tagging and store.analysis."""

from __future__ import annotations

import pytest

from guide.sentences import ends_sentence, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hva styrker trivselen? Gi gjerne eksempler.",
            ["Hva styrker trivselen?", "Gi gjerne eksempler."],
        ),
        ("Han sa «bra.» Så gikk han", ["Han sa «bra.»", "Så gikk han"]),
        ('She asked "why?" and left.', ['She asked "why?"', "and left."]),  # cannot tell
        ("Vent … hva nå?", ["Vent …", "hva nå?"]),
        ("2.1 has a number", ["2.1 has a number"]),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_semicolons_split_only_when_asked() -> None:
    question = "NAV is much discussed in social media and debates; how does that affect you?"
    assert split_sentences(question) == [question]
    assert split_sentences(question, at_semicolons=True) == [
        "NAV is much discussed in social media and debates;",
        "how does that affect you?",
    ]


@pytest.mark.parametrize(
    ("text", "ends"),
    [("Hva?", True), ("bra.» ", True), ("Why?)", True), ("ja…", True), ("og", False),
     ('"quoted"', False), ("3,5", False), ("", False)],
)  # fmt: skip
def test_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends
