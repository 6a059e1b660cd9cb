"""Write segments as JSON, WebVTT or SRT."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from audio.types import Segment, TranscriptionInfo


def segments_to_json(segments: Sequence[Segment], info: TranscriptionInfo | None = None) -> str:
    """Segments (with words) and the info record as a JSON document."""
    doc: dict[str, object] = {"segments": [_public(s) for s in segments]}
    if info is not None:
        doc["info"] = asdict(info)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _public(segment: Segment) -> dict[str, object]:
    """A segment as JSON, without the decoder's token ids (`Segment.tokens`)."""
    out = asdict(segment)
    del out["tokens"]
    return out


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def segments_to_vtt(segments: Sequence[Segment]) -> str:
    """WebVTT subtitles, one cue per segment."""
    cues = [
        f"{_stamp(s.start, '.')} --> {_stamp(s.end, '.')}\n{s.text.strip()}\n" for s in segments
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def segments_to_srt(segments: Sequence[Segment]) -> str:
    """SRT subtitles, one numbered cue per segment."""
    cues = [
        f"{i}\n{_stamp(s.start, ',')} --> {_stamp(s.end, ',')}\n{s.text.strip()}\n"
        for i, s in enumerate(segments, 1)
    ]
    return "\n".join(cues)
