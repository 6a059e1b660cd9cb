"""A passage's confidence means what it says: of the words tagged with confidence 0.8,
about 80 % are right; less sure when ASR was less sure of the words; and the labels do
not depend on how the confidence is scaled."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bench.tagging_calibration import Tally
from bench.tagging_conditions import known_voices, text_interview
from guide.tagging import TaggingOptions, tag_transcript
from guide.tagging.model import InterviewModel
from guide.tagging.tagger import analyse, mean_word_probability
from guide.transcript import Segment
from tests.guide.test_tagging_model import EN, own_words_interview


def test_the_labels_are_the_same_at_any_temperature() -> None:
    segs, _truth, _ = own_words_interview(voices=True)
    ids = []
    confidences = []
    for t in (0.2, 0.5, 1.0, 3.0):
        passages = tag_transcript(
            EN, segs, [], language="en", options=TaggingOptions(confidence_temperature=t)
        )
        ids.append([p.primary.question_id if p.primary else None for p in passages])
        confidences.append([p.primary.confidence for p in passages if p.primary])
    assert all(x == ids[0] for x in ids)
    # colder is surer: the mean confidence falls as the temperature rises
    means = [float(np.mean(c)) for c in confidences]
    assert means == sorted(means, reverse=True) and means[0] > means[-1]


def test_a_cold_posterior_is_the_most_likely_path() -> None:
    segs, _truth, _ = own_words_interview()
    a = analyse(EN, segs, [], "en", TaggingOptions())
    model = InterviewModel(len(a.matcher.questions), TaggingOptions())
    from guide.tagging.evidence import emissions

    log_e = model.emissions(*emissions(a.units, a.scores, TaggingOptions()))
    gamma = model.posteriors(log_e, temperature=0.02)
    path = model.viterbi(log_e)
    assert (gamma.argmax(axis=1) == path).all()
    assert gamma.max(axis=1).min() > 0.99


def test_posterior_labels_are_each_units_most_probable_question_and_cold_the_path() -> None:
    from guide.tagging.evidence import emissions

    segs, _truth, _ = own_words_interview()
    a = analyse(EN, segs, [], "en", TaggingOptions())
    model = InterviewModel(len(a.matcher.questions), TaggingOptions())
    log_e = model.emissions(*emissions(a.units, a.scores, TaggingOptions()))
    warm = model.decode(log_e, temperature=0.5, label_temperature=1.0)
    by_q = model._by_question(model.posteriors(log_e, temperature=1.0))
    assert (warm.question == np.where(by_q.sum(axis=1) > 0.5, by_q.argmax(axis=1), -1)).all()
    # the confidence stays the calibrated posterior's
    assert np.allclose(warm.posterior, model.decode(log_e, temperature=0.5).posterior)
    cold = model.decode(log_e, label_temperature=0.02)
    path = model.viterbi(log_e)
    assert (cold.question == model.q[path]).all() and (cold.asking == model.asking[path]).all()


def test_without_presses_posterior_labels_get_more_words_right() -> None:
    # the interviews written by hand that were used for changes (set A): each unit's
    # most probable question against the most likely path's (label_temperature 0)
    from bench.tagging_conditions import score
    from bench.tagging_written import interviews

    path_only = replace(TaggingOptions(), label_temperature=0.0)
    right = {"posterior": 0.0, "path": 0.0}
    for lang in ("en", "nb"):
        for iv in interviews("A", lang, "none"):
            segs = iv.oracle_segments()
            for name, options in (("posterior", TaggingOptions()), ("path", path_only)):
                got = score(iv, tag_transcript(iv.guide, segs, [], language=lang, options=options))
                right[name] += got["words"] * got["acc"]
    assert right["posterior"] > right["path"] * 1.01


def test_with_presses_the_labels_are_the_paths() -> None:
    # an interview a quarter of whose presses are missing, where posterior labels would
    # differ from the path's (held-out nb seed 6)
    iv = text_interview("nb", 6, "held_out", "missing", "")
    segs = iv.oracle_segments()
    path_only = replace(TaggingOptions(), label_temperature=0.0)
    assert iv.markers
    assert tag_transcript(iv.guide, segs, iv.markers, language="nb") == tag_transcript(
        iv.guide, segs, iv.markers, language="nb", options=path_only
    )


def test_a_label_temperature_below_0_is_refused() -> None:
    with pytest.raises(ValueError, match=r"label_temperature -0\.1 must be 0"):
        TaggingOptions(label_temperature=-0.1)


def test_less_sure_words_give_less_sure_tags() -> None:
    segs, _truth, _ = own_words_interview(voices=True)
    unsure = [replace(s, words=tuple(replace(w, probability=0.5) for w in s.words)) for s in segs]
    assert mean_word_probability(unsure) == 0.5
    assert mean_word_probability([Segment(0.0, 1.0, "[inaudible, 1 s]")]) == 1.0
    # text the researcher put back is marked with probability 0: not a measure
    put_back = [replace(s, words=tuple(replace(w, probability=0.0) for w in s.words)) for s in segs]
    assert mean_word_probability([*unsure, *put_back]) == 0.5
    assert mean_word_probability(put_back) == 1.0
    sure = tag_transcript(EN, segs, [], language="en")
    less = tag_transcript(EN, unsure, [], language="en")
    # the same tags (every word half as sure: nothing stands out), held less surely
    assert [p.primary and p.primary.question_id for p in sure] == [
        p.primary and p.primary.question_id for p in less
    ]
    got = [
        (a.primary.confidence, b.primary.confidence)
        for a, b in zip(sure, less, strict=True)
        if a.primary and b.primary
    ]
    assert all(b <= a + 1e-9 for a, b in got) and any(b < a - 0.01 for a, b in got)


def test_the_confidence_is_calibrated_on_interviews_not_tuned_on() -> None:
    # the bench's "fresh" wordings (never used to fit anything), no presses, voices
    # known, two interviews per language: the words' confidence matches their share
    # right within a few points, where the raw posterior was far below it
    now, raw = Tally(), Tally()
    for lang in ("en", "nb"):
        for seed in (3, 4):
            iv = text_interview(lang, seed, "fresh", "none", "")
            segs = known_voices(iv, iv.oracle_segments())
            now.add(iv, tag_transcript(iv.guide, segs, [], language=lang))
            one = TaggingOptions(confidence_temperature=1.0)
            raw.add(iv, tag_transcript(iv.guide, segs, [], language=lang, options=one))
    a, b = raw.summary(), now.summary()
    assert a["right"] == b["right"]
    assert b["ece"] < 0.12 < a["ece"]
    assert abs(b["confidence"] - b["right"]) < 0.1
