"""SRT and WebVTT of tagged passages (one file per interview, on the recording's timeline)."""

from __future__ import annotations

from pathlib import Path

from guide.transcript import Speaker
from store.corpus import Corpus, ReviewInterview
from store.exports.common import (
    export_passages,
    safe_name,
    speaker_label,
    target_dir,
    write_atomic,
)
from store.storage import private_dir


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, m, s = ms // 3_600_000, ms % 3_600_000 // 60_000, ms % 60_000 // 1000
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms % 1000:03d}"


def srt(corpus: Corpus, interview: ReviewInterview) -> str:
    """SubRip: numbered cues, one per passage."""
    blocks = []
    language = corpus.language_of(interview)
    for n, item in enumerate(export_passages(corpus, interview), start=1):
        p = item.passage
        # the interviewer's cues say who speaks, and in a couple or group interview
        # every participant's cue says which participant (their code alone where the
        # voices did not tell)
        group = bool(interview.participant_numbers) and p.speaker == Speaker.PARTICIPANT
        who = (
            speaker_label(p, interview.participant_label(p), language) + ": "
            if p.speaker == Speaker.INTERVIEWER or group
            else ""
        )
        span = f"{_stamp(p.start, ',')} --> {_stamp(max(p.end, p.start), ',')}"
        blocks.append(f"{n}\n{span}\n{who}{item.text}\n")
    return "\n".join(blocks)


def vtt(corpus: Corpus, interview: ReviewInterview) -> str:
    """WebVTT: one cue per passage, with a voice tag for the speaker."""
    lines = ["WEBVTT", ""]
    language = corpus.language_of(interview)
    for item in export_passages(corpus, interview):
        p = item.passage
        voice = (
            speaker_label(p, interview.participant, language)
            if p.speaker == Speaker.INTERVIEWER
            else interview.participant_label(p)
        )
        text = item.text.replace("-->", "->")
        lines += [
            f"{_stamp(p.start, '.')} --> {_stamp(max(p.end, p.start), '.')}",
            f"<v {voice}>{text}",
            "",
        ]
    return "\n".join(lines)


def export_subtitles(corpus: Corpus, out: Path | None, default_dir: Path, fmt: str) -> list[Path]:
    writer = srt if fmt == "srt" else vtt
    if len(corpus.interviews) == 1 and out is not None and out.suffix:
        private_dir(out.parent)
        return [write_atomic(out, writer(corpus, corpus.interviews[0]))]
    folder = target_dir(out, default_dir)
    return [
        write_atomic(
            folder / f"{safe_name(i.participant)}-{safe_name(i.id)}.{fmt}", writer(corpus, i)
        )
        for i in corpus.interviews
    ]
