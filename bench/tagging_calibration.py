"""Does a passage's confidence mean what it says? (issue 13: "the passage confidence shown
on the review screen is the posterior, so 'low confidence' means what it says".)

Every answer word with a primary tag counts once: its passage's confidence and whether
the tag is right. Reported per group of interviews: the share right, the mean confidence,
the expected calibration error (ECE: over the bins 0–0.3–0.5–0.7–0.8–0.9–0.95–1, the
word-weighted gap between the bin's mean confidence and its share right; 0 = a
confidence of 0.8 is right 80 % of the time), and what the researcher is shown: the share
of words in passages below the review screen's "low confidence" mark
(`store.analysis.LOW_CONFIDENCE`) and the share of the wrong words among them.

Each cell: at temperature 1 (the model's raw posterior, as before) → as kvale computes
it (`TaggingOptions.confidence_temperature` over the transcript's mean word probability).
The temperature was fitted on the text-level "tuned on" rows without presses with voices
known (0.5 of 1, 0.5 and 0.3); the dependence on the word probabilities was added after
seeing that 0.5 alone made the garbled Norwegian transcripts (mean word probability
0.4) over-confident. Every other row is measured, not fitted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from bench.synth import Interview
from bench.tagging_conditions import OWN_WORDINGS, _truth, known_voices, text_interview
from guide.tagging import TaggingOptions, tag_transcript
from guide.tagging.tagger import mean_word_probability
from guide.transcript import Passage, Segment
from store.analysis import LOW_CONFIDENCE

BINS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0 + 1e-9)


@dataclass
class Tally:
    """Per answer word with a primary tag: its confidence and whether the tag is right."""

    confidence: list[float] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)

    def add(self, iv: Interview, passages: Iterable[Passage]) -> None:
        for p in passages:
            if p.primary is None:
                continue
            for w in p.words:
                qid, role, _ui = _truth(iv, (w.start + w.end) / 2)
                if role == "participant":
                    self.confidence.append(p.primary.confidence)
                    self.right.append(p.primary.question_id == qid)

    def summary(self) -> dict[str, float]:
        c = np.asarray(self.confidence)
        ok = np.asarray(self.right, dtype=float)
        if not len(c):
            return {"words": 0}
        ece = 0.0
        for a, b in pairwise(BINS):
            inside = (c >= a) & (c < b)
            if inside.any():
                ece += inside.mean() * abs(ok[inside].mean() - c[inside].mean())
        low = c < LOW_CONFIDENCE
        wrong = ok == 0
        return {
            "words": len(c),
            "right": float(ok.mean()),
            "confidence": float(c.mean()),
            "ece": ece,
            "flagged": float(low.mean()),
            "wrong_flagged": float(low[wrong].mean()) if wrong.any() else float("nan"),
        }


Transcribed = tuple[str, Interview, Sequence[Segment], Sequence[Segment]]


def _both(
    iv: Interview, segs: Sequence[Segment], with_presses: bool, raw: Tally, now: Tally
) -> None:
    """Tag at temperature 1 (into ``raw``) and as kvale does (into ``now``)."""
    markers = iv.markers if with_presses else []
    one = TaggingOptions(confidence_temperature=mean_word_probability(segs))
    raw.add(iv, tag_transcript(iv.guide, segs, markers, language=iv.language, options=one))
    now.add(iv, tag_transcript(iv.guide, segs, markers, language=iv.language))


def _cell(a: dict[str, float], b: dict[str, float], key: str) -> str:
    return f"{a[key]:.1%} → {b[key]:.1%}" if key != "ece" else f"{a[key]:.3f} → {b[key]:.3f}"


def calibration_table(seeds: Sequence[int], transcribed: Sequence[Transcribed]) -> str:
    """The table: text-level groups (``seeds`` per language and wording set; no presses,
    and 25 % of presses missing; voices known and not), and ``transcribed`` (kind,
    interview, transcript tagged with its presses, transcript tagged without) grouped by
    kind and language."""
    groups: dict[str, tuple[Tally, Tally]] = {}
    for wordings in OWN_WORDINGS:
        for how, label in (("none", "no presses"), ("missing", "25 % of presses missing")):
            for voiced in (True, False):
                name = (
                    f"text, own words ({wordings.replace('_', ' ')}), {label}, "
                    f"{'voices known' if voiced else 'no voices'}"
                )
                raw, now = groups.setdefault(name, (Tally(), Tally()))
                for lang in ("en", "nb"):
                    for seed in seeds:
                        iv = text_interview(lang, seed, wordings, how, "")
                        segs = iv.oracle_segments()
                        if voiced:
                            segs = known_voices(iv, segs)
                        _both(iv, segs, how != "none", raw, now)
    for kind, iv, with_segs, without_segs in transcribed:
        raw, now = groups.setdefault(f"{kind}, {iv.language}", (Tally(), Tally()))
        _both(iv, with_segs, True, raw, now)
        _both(iv, without_segs, False, raw, now)
    lines = [
        "\nIs the confidence right? (`bench/tagging_calibration.py`; answer words with a "
        "primary tag; each cell: the model's raw posterior → kvale's confidence; "
        f"flagged = in a passage below {LOW_CONFIDENCE} on the review screen)\n",
        "| interviews | words | right | mean confidence | calibration error (ECE) "
        "| words flagged | wrong words flagged |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (raw, now) in groups.items():
        a, b = raw.summary(), now.summary()
        if not a["words"]:
            continue
        lines.append(
            f"| {name} | {int(a['words'])} | {a['right']:.1%} | {_cell(a, b, 'confidence')} "
            f"| {_cell(a, b, 'ece')} | {_cell(a, b, 'flagged')} "
            f"| {_cell(a, b, 'wrong_flagged')} |"
        )
    return "\n".join(lines) + "\n"


__all__ = ["Tally", "Transcribed", "calibration_table"]
