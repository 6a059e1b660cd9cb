"""The key presses as evidence: which presses mark an asking, and how likely each
question comes into force at each unit, given them.

The interviewer presses a key as they ask a question (`MarkerKind.ASKED`, or
`MarkerKind.RETURNED` for one pressed before), early or late or not at all. A press is
evidence on the model's transitions into the pressed question's asking
(`InterviewModel`), within a window around it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from guide.tagging.edges import Floats
from guide.tagging.options import TaggingOptions
from guide.tagging.units import Unit
from guide.transcript import Marker, MarkerKind

PRESSES = (MarkerKind.ASKED, MarkerKind.RETURNED)


def kept_presses(markers: Sequence[Marker]) -> list[Marker]:
    """The key presses that say a question was asked (`PRESSES`), in time order, less
    those the interviewer took back.

    The app's skip key marks the question on screen skipped and moves on to the next
    (`MarkerKind.SKIPPED`, then an asked press for the next): the press that brought
    the skipped question up (its latest press, with no other question's press between
    it and the skip) marks no asking.
    """
    ordered = sorted(markers, key=lambda m: m.time)
    out: list[Marker] = []
    for m in ordered:
        if m.kind in PRESSES:
            out.append(m)
        elif m.kind is MarkerKind.SKIPPED and m.question_id is not None:
            # the last press before the skip (one at the same instant may be the next
            # question's, recorded with it)
            for i in range(len(out) - 1, -1, -1):
                if out[i].question_id == m.question_id:
                    del out[i]
                    break
                if out[i].time < m.time:
                    break
    return out


def press_evidence(
    units: Sequence[Unit],
    markers: Sequence[Marker],
    index: dict[str, int],
    options: TaggingOptions,
) -> Floats:
    """Log-likelihood (T, N) of each question coming into force at each unit, from the
    key presses.

    A press for question q at time m is most likely while q is being asked or just
    around it (from 1 s before the unit's start to 2 s after its end: closeness 1);
    later it fades as exp(-(delay / ``press_late``)²) (a press 10 s late still counts for
    a third); earlier it counts for half up to ``press_early`` s more, then fades over
    ``press_fade`` s. The likelihood ratio is ``1 + press_strength × closeness /
    press_missed``, the closest press counting, against a question coming into force
    with no press of it near, which the model weighs ``press_missed`` on its own
    (`InterviewModel`, ``unpressed``): in an interview with presses, an asking with no
    press is as likely for every question, pressed elsewhere or never (presses get
    forgotten, at a return as at a first asking), and less likely than one with a press.
    An interview with no presses at all (an import) says nothing this way (0).

    A press marks one asking, so its weight is shared among the units it could mark, in
    proportion to closeness times 1 for a unit phrased as a question and
    ``press_unformed`` for one that is not: of two askings in a press's window, the
    nearer one takes most of it.
    """
    o = options
    out = np.zeros((len(units), len(index)))
    presses = [m for m in markers if m.kind in PRESSES and m.question_id in index]
    if not presses or not units:
        return out
    starts = np.array([u.start for u in units])[:, None]
    ends = np.array([u.end for u in units])[:, None]
    form = np.array([u.question for u in units])[:, None]
    by_q: dict[int, list[float]] = {}
    for m in presses:
        by_q.setdefault(index[str(m.question_id)], []).append(m.time)
    for q, times in by_q.items():
        ts = np.array(times)[None, :]
        early = starts - 1.0 - ts  # > 0: the press came more than 1 s before the unit
        late = ts - (ends + 2.0)  # > 0: the press came more than 2 s after it
        close = np.where(
            early > 0,
            0.5 * np.exp(-np.maximum(early - o.press_early, 0.0) / o.press_fade),
            np.exp(-((np.maximum(late, 0.0) / o.press_late) ** 2)),
        )
        # a press marks one asking: it is shared among the units that could be it, by
        # closeness and question form (so a later asking nearer the press takes it)
        weight = close * np.where(form, 1.0, o.press_unformed)
        share = weight / np.maximum(weight.max(axis=0, keepdims=True), 1e-12)
        best = (close * share).max(axis=1)
        out[:, q] = np.log1p(o.press_strength * best / o.press_missed)
    return out
