"""A stretch ASR did not hear ("[inaudible, 30 s]", a segment without words) that
holds more than one key press: each press may mark a question asked in it."""

from __future__ import annotations

from dataclasses import replace

from guide.tagging import tag_transcript
from guide.tagging.options import TaggingOptions
from guide.tagging.units import make_units
from guide.transcript import Marker, MarkerKind, Segment
from tests.guide.test_tagging_model import EN, check, own_words_interview, seg


def shifted(segs: list[Segment], by: float) -> list[Segment]:
    return [
        Segment(
            s.start + by,
            s.end + by,
            s.text,
            tuple(replace(w, start=w.start + by, end=w.end + by) for w in s.words),
        )
        for s in segs
    ]


def with_gap(
    first: int, last: int, pause: float = 0.0
) -> tuple[list[Segment], dict[float, str], float, float]:
    """The own-words interview (voices known) with segments ``first``..``last`` heard as
    one wordless stretch, and the talk after it ``pause`` seconds later; returns the
    segments, the truth outside the stretch, and the stretch's start and end (s)."""
    segs, truth, _ = own_words_interview(voices=True)
    # the answer after the stretch wanders back to the topic of the question before
    # (1.2: the department): only the presses tell which question it answers
    after = segs[last + 1]
    segs[last + 1] = seg(
        after.start, "No. Social services, the same department, the whole time, really.", 1
    )
    start, end = segs[first].start, segs[last].end
    gap = Segment(start, end, f"[inaudible, {end - start:.0f} s]", ())
    kept = [*segs[:first], gap, *shifted(segs[last + 1 :], pause)]
    outside = {t + (pause if t > end else 0.0): q for t, q in truth.items()}
    return kept, {t: q for t, q in outside.items() if not start <= t <= end}, start, end


def test_presses_inside_an_unheard_stretch_bring_each_question_into_force() -> None:
    # segments: 0 welcome, 1/2 asking and answer of 1.1, 3/4 of 1.2, 5/6 of 1.3, ...:
    # 1.1 asked and heard; its answer, 1.2 asked and answered and 1.3 asked, all
    # unheard; a pause, and 1.3's answer heard; each asking pressed 1.5 s after it
    segs, _truth, _ = own_words_interview(voices=True)
    kept, truth, start, end = with_gap(2, 5, pause=8.0)
    presses = [
        Marker(segs[i].end + 1.5 + (8.0 if i > 5 else 0.0), MarkerKind.ASKED, q)
        for i, q in ((1, "1.1"), (3, "1.2"), (7, "1.4"), (9, "2"))
    ]
    presses.append(Marker(end - 0.5, MarkerKind.ASKED, "1.3"))
    assert start < presses[0].time < presses[1].time < presses[-1].time < end
    assert "1.3" in truth.values()
    check(tag_transcript(EN, kept, presses, language="en"), truth)


def test_an_unheard_stretch_is_cut_only_at_the_presses_inside_it() -> None:
    kept, _truth, start, end = with_gap(2, 5)
    inside = [start + 2.0, start + 6.0, end - 1.0]
    units = make_units(kept, "en", TaggingOptions(), [start - 5.0, *inside, end + 5.0])
    pieces = [(u.start, u.end) for u in units if u.word_end == 0]
    # halfway between two presses: each press inside a piece of its own
    cuts = [start + 4.0, (start + 6.0 + end - 1.0) / 2]
    assert pieces == [(start, cuts[0]), (cuts[0], cuts[1]), (cuts[1], end)]
    # no presses: one unit, as before
    units = make_units(kept, "en", TaggingOptions())
    assert [(u.start, u.end) for u in units if u.word_end == 0] == [(start, end)]
