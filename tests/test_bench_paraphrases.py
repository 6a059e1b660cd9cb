"""The tagging bench's own-words data (bench/data/paraphrases_<lang>.json) and the rows
the conditions table reports from it: wordings tuned on, held out, and fresh (written
later, never used for tuning)."""

from __future__ import annotations

import pytest

from bench.tagging_conditions import CONDITIONS, OWN_WORDINGS, PARAPHRASES, own_words
from guide.bundled import load_bundled


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_asked_question_has_tuned_held_out_and_fresh_wordings(lang: str) -> None:
    guide = load_bundled(f"nav-trivsel-{lang}")
    entries = PARAPHRASES[lang]
    asked = {q.id for q in guide.questions() if q.id != "1"}  # "1" is the section's heading
    assert set(entries) == asked
    for qid, entry in entries.items():
        assert list(entry) == OWN_WORDINGS, qid
        for key in OWN_WORDINGS:
            assert entry[key] and all(isinstance(w, str) and w.strip() for w in entry[key])
        tuned = {w.casefold() for w in entry["tune"]}
        # a fresh wording that is also a tuning wording would not measure anything new
        assert not tuned & {w.casefold() for w in entry["fresh"]}, qid


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_fresh_interviews_ask_every_question_in_a_fresh_wording(lang: str) -> None:
    turns = own_words(lang, 1, "fresh")
    askings = [u for u in turns if u.role == "interviewer" and u.question_id is not None]
    assert askings
    for u in askings:
        fresh = PARAPHRASES[lang][u.question_id]["fresh"]
        assert any(u.text.endswith(w) for w in fresh), u.text


def test_conditions_table_reports_fresh_rows_beside_tuned_and_held_out() -> None:
    from bench.tagging_conditions import conditions_table

    rows = [r for r in conditions_table([1]).splitlines() if r.startswith("| ") and "%" in r]
    labels: dict[str, list[str]] = {}
    for r in rows:
        cells = [c.strip() for c in r.strip("|").split("|")]
        labels.setdefault(cells[0], []).append(cells[1])
        assert all(c.endswith("%") for c in cells[2:6]), r
    for name, wording, _how, _extra in CONDITIONS:
        expected = (
            ["guide's"] if wording == "verbatim" else ["tuned on", "**held out**", "**fresh**"]
        )
        assert labels[name] == expected


@pytest.mark.parametrize("held_out", [False, True])
def test_the_probes_condition_splits_answers_with_the_interviewers_own_probes(
    held_out: bool,
) -> None:
    from bench.tagging_probes import HELD_OUT_PROBES, PROBES, own_probes

    for lang in ("en", "nb"):
        turns = own_words(lang, 1, "fresh")
        probed = own_probes(turns, lang, 1, held_out=held_out)
        listed = (HELD_OUT_PROBES if held_out else PROBES)[lang]
        added = [u for u in probed if u.role == "interviewer" and u.text in listed]
        assert len(probed) == len(turns) + 2 * len(added) and added
        for i, u in enumerate(probed):
            if u in added:  # between two halves of one answer, with its question
                before, after = probed[i - 1], probed[i + 1]
                assert before.role == after.role == "participant"
                assert before.question_id == u.question_id == after.question_id
