"""Builders for store tests: a guide, a transcript of a given size."""

from __future__ import annotations

from guide.model import Guide, Question, Section
from guide.transcript import Passage, Segment, Tag, TagSource, Word


def small_guide(title: str = "Trivsel") -> Guide:
    q = Question("1", "How do you like your work?", 3, "1", is_section=True)
    q11 = Question("1.1", "What gives you energy?", 4, "1")
    return Guide(title, (Section("1", q, (q11,)),), source=f"# {title}\n\n## 1 How?\n")


def transcript(words: int, marker: str = "word") -> list[Segment]:
    """``words`` words in segments of 20, each word timed, text ``marker<n>``; the
    first half's words carry a voice (segments alternate 0 and 1), the rest none."""
    segments = []
    t = 0.0
    n = 0
    while n < words:
        ws = []
        for _ in range(min(20, words - n)):
            voice = (n // 20) % 2 if n < words // 2 else None
            ws.append(Word(t, t + 0.3, f"{marker}{n}", 0.9, voice))
            t += 0.4
            n += 1
        segments.append(Segment(ws[0].start, ws[-1].end, " ".join(w.text for w in ws), tuple(ws)))
    return segments


def passages_of(segments: list[Segment]) -> list[Passage]:
    return [
        Passage(s.start, s.end, s.text, s.words, Tag("1", TagSource.MARKER, 0.8)) for s in segments
    ]
