"""Who speaks, said by the researcher: how far one choice in review mends the speakers.

The interviews are those with recorded answers, through kvale's transcription with the
voices found (`bench.tagging_real`), where the voices are least clean: in nb the
answers are broadcast clips with several voices, and the voices found mix them with the
interviewer's. The researcher is simulated: reading from the start, at the first
passage whose words are mostly the interviewer's (the truth) but shown with another
speaker, they say "the interviewer, in every passage in this voice" (review's w key:
`store.editing.set_interviewer_voice`, then `guide.tagging.follow_manual` from the
start, as `store.review.ReviewSession.set_interviewer_voice` does). Where no such
passage is, they do nothing. Speakers: words whose passage shows the true speaker
(`bench.tagging_conditions.speaker_roles`); tags: answer words with the right primary
question (`score`). Nothing here was tuned: the choice has no parameter.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

from bench.synth import Interview
from bench.tagging_conditions import _truth, score, speaker_roles
from guide.tagging import follow_manual, tag_transcript
from guide.transcript import Passage, Speaker, voice_of
from store.editing import set_interviewer_voice


def misheard(iv: Interview, passages: Sequence[Passage]) -> int | None:
    """The first passage with a voice whose words are mostly the interviewer's but which
    is shown with another speaker; None when there is none."""
    for i, p in enumerate(passages):
        roles = Counter(_truth(iv, (w.start + w.end) / 2)[1] for w in p.words)
        if not roles or voice_of(p) is None:
            continue
        if roles.most_common(1)[0][0] == "interviewer" and p.speaker is not Speaker.INTERVIEWER:
            return i
    return None


def run(quick: bool) -> str:
    """The table: per interview, speakers and tags before and after the one choice."""
    from bench.tagging import transcribe, with_voices
    from bench.tagging_real import build_real

    rows = [
        "The interviewer's voice named once in review (module docstring): words with the "
        "right speaker and answer words with the right question, before and after; "
        "recorded answers through transcription with the voices found.\n",
        "| interview | speakers before | speakers after | tags before | tags after "
        "| passage named | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for lang in ("nb",) if quick else ("en", "nb"):
        for seed in (1, 2, 3):
            iv = build_real(lang, seed)
            if iv is None:
                continue
            segs = with_voices(iv, transcribe(iv), [])[0]
            passages = tag_transcript(iv.guide, segs, [], language=lang)
            before = f"{speaker_roles(iv, passages):.1%} | "
            tags = f"{score(iv, passages)['acc']:.1%}"
            k = misheard(iv, passages)
            if k is None:
                rows.append(f"| {lang}-{seed} | {before}– | {tags} | – | none shown wrong | – |")
                continue
            t0 = time.perf_counter()
            named = set_interviewer_voice(passages, k)
            after = follow_manual(iv.guide, segs, [], named, language=lang, start=0)
            took = time.perf_counter() - t0
            rows.append(
                f"| {lang}-{seed} | {before}{speaker_roles(iv, after):.1%} | {tags} | "
                f"{score(iv, after)['acc']:.1%} | {k + 1} of {len(passages)} | {took:.2f} |"
            )
    return "\n".join(rows)
