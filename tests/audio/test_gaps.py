"""Speech the engine skipped is transcribed again (real base weights, real speech)."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import soundfile as sf
from speech_helpers import FIXTURES, JFK_WORDS, words_of

from audio.files import load_audio
from audio.gaps import speech_spans, uncovered
from audio.transcribe import transcribe_file
from audio.types import Segment


def test_uncovered_lists_speech_no_segment_covers() -> None:
    spans = [(0.0, 10.0), (12.0, 20.0)]
    segments = [Segment(0, 0.0, 4.0, "a"), Segment(1, 5.5, 10.0, "b"), Segment(2, 12.0, 14.0, "c")]
    # 4.0–5.5 is a segment ending early, not a skip; 14–20 is speech nothing covers
    assert uncovered(spans, segments) == [(14.0, 20.0)]
    assert uncovered(spans, segments, min_speech_s=1.0) == [(4.0, 5.5), (14.0, 20.0)]
    assert uncovered(spans, []) == [(0.0, 10.0), (12.0, 20.0)]


def test_speech_spans_find_speech_not_silence() -> None:
    jfk = load_audio(FIXTURES / "jfk.flac")
    audio = np.concatenate([np.zeros(16000 * 3, np.float32), jfk])
    spans = speech_spans(audio)
    assert spans and spans[0][0] >= 2.5 and spans[-1][1] <= len(audio) / 16000 + 0.1
    assert speech_spans(np.zeros(16000 * 2, np.float32)) == []


def test_base_skips_jfk_at_the_end_and_the_gap_filler_brings_it_back(tmp_path: Path) -> None:
    """LJ001-0001…0006 then JFK, 55 s: with beam 5, base ends its last window early and
    drops the whole JFK clip (both engines, with or without VAD); the transcript must
    still hold it. Without the gap filler this test fails."""
    parts = []
    for name in [f"LJ001-000{n}.wav" for n in range(1, 7)]:
        parts += [load_audio(FIXTURES / name), np.zeros(8000, np.float32)]
    parts.append(load_audio(FIXTURES / "jfk.flac"))
    wav = tmp_path / "long.wav"
    sf.write(wav, np.concatenate(parts), 16000)
    segments, _info = transcribe_file(wav, model="base", language="en")
    assert words_of(segments).endswith(JFK_WORDS)
    starts = [s.start for s in segments]
    assert starts == sorted(starts) and [s.id for s in segments] == list(range(len(segments)))


def test_gaps_of_a_stretch_land_on_the_recording_timeline() -> None:
    """The live child fills gaps stretch by stretch: ``offset`` says where the stretch lies
    in the recording, and the new segments carry recording times."""
    from audio.engines import get_engine
    from audio.gaps import fill_gaps

    jfk = load_audio(FIXTURES / "jfk.flac")
    stretch = np.concatenate([np.zeros(16000 * 2, np.float32), jfk])
    engine = get_engine("faster-whisper", "tiny.en", cpu_threads=2)
    before = Segment(0, 99.0, 100.5, "earlier words")  # covers nothing of this stretch
    segments = fill_gaps(lambda: engine, stretch, [before], language="en", offset=100.0)
    assert segments[0] is before
    new = segments[1:]
    assert words_of(new) == JFK_WORDS
    assert 101.5 <= new[0].start <= 102.6
    assert new[-1].end <= 100.0 + len(stretch) / 16000 + 0.1


def test_a_long_segment_with_few_words_covers_only_its_words() -> None:
    from audio.types import Word

    few = (Word(0.5, 1.0, " I", 0.9), Word(1.0, 1.6, " forhold", 0.9), Word(1.6, 2.0, " til", 0.9))
    sparse = Segment(0, 0.0, 19.0, "I forhold til", few)
    assert uncovered([(0.0, 19.0)], [sparse]) == [(2.05, 19.0)]
    # a normal segment (2.5 words/s) still covers its whole span, pauses included
    many = tuple(Word(i * 0.4, i * 0.4 + 0.3, " w", 0.9) for i in range(10))
    dense = Segment(0, 0.0, 4.0, "w " * 10, many)
    assert uncovered([(0.0, 4.0)], [dense], min_speech_s=0.5) == []


def test_speech_skipped_inside_a_sparse_segment_comes_back() -> None:
    """A stand-in for Whisper's failure (the engine cannot be made to produce it on demand):
    one 11 s segment over the JFK clip holding only its first five words (the phrase before
    its first pause). The gap filler
    transcribes the rest with real weights; the sparse segment is cut to its words."""
    from audio.engines import get_engine
    from audio.gaps import fill_gaps

    jfk = load_audio(FIXTURES / "jfk.flac")
    engine = get_engine("faster-whisper", "tiny.en", cpu_threads=2)
    real = [w for s in engine.transcribe(jfk, language="en")[0] for w in s.words]
    head = tuple(real[:5])  # "And so my fellow Americans"
    sparse = Segment(0, 0.0, 11.0, "And so my fellow Americans", head)
    segments = fill_gaps(lambda: engine, jfk, [sparse], language="en")
    assert segments[0].end == head[-1].end
    assert words_of(segments) == JFK_WORDS
    starts = [w.start for s in segments for w in s.words]
    assert starts == sorted(starts)


def test_speech_nothing_can_be_made_of_is_marked_in_the_transcript() -> None:
    """Whisper transcribes the gap again and still gives nothing (on garbled Norwegian
    espeak a loop guard dropped 23 s this way): the transcript says so where it was.
    The engine here is a stand-in that hears nothing, since real weights cannot be made
    to fail on demand; the speech and the voice activity detection are real."""
    from collections.abc import Iterator

    from audio.gaps import fill_gaps, unheard
    from audio.types import TranscriptionInfo

    class HearsNothing:
        calls = 0

        def transcribe(self, audio, **kwargs):  # type: ignore[no-untyped-def]
            HearsNothing.calls += 1
            empty: Iterator[Segment] = iter(())
            return empty, TranscriptionInfo("en", 1.0, len(audio) / 16000, "none", "none")

    jfk = load_audio(FIXTURES / "jfk.flac")
    audio = np.concatenate([np.zeros(16000 * 2, np.float32), jfk])
    segments = fill_gaps(lambda: HearsNothing(), audio, [], language="en")  # type: ignore[arg-type,return-value]
    assert HearsNothing.calls == 1
    [note] = segments
    assert note.text == unheard(note.end - note.start) and note.words == ()
    assert note.text.startswith("[inaudible, ") and 1.5 <= note.start <= 2.6
    assert note.end >= 12.0  # to the end of the speech


def test_a_gap_heard_again_as_words_the_transcript_has_is_no_gap() -> None:
    """Whisper put JFK's sentence 6 s early; the speech under its real time is a "gap"
    that, heard again, gives the same words: nothing is written twice and no
    "[inaudible]" note is made. The engine's transcription is a stand-in giving that
    answer (a real one cannot be made to misplace times on demand); the scoring that
    decides the words are there already is the real model's (tiny.en), and speech and
    voice activity are real."""
    from audio.engines import get_engine

    real = get_engine("faster-whisper", "tiny.en", cpu_threads=2)
    from collections.abc import Iterator

    from audio.gaps import fill_gaps
    from audio.types import Removal, TranscriptionInfo, Word

    said = "and so my fellow americans ask not what your country can do for you"

    def at(start: float) -> Segment:
        words = tuple(
            Word(start + 0.4 * i, start + 0.4 * i + 0.3, " " + w, 0.9)
            for i, w in enumerate(said.split())
        )
        return Segment(0, start, words[-1].end, said, words)

    class HearsItAgain:
        def transcribe(self, audio, offset=0.0, **kwargs):  # type: ignore[no-untyped-def]
            again: Iterator[Segment] = iter([at(offset + 0.5)])
            return again, TranscriptionInfo("en", 1.0, len(audio) / 16000, "none", "none")

        def score(self, audio, texts, **kwargs):  # type: ignore[no-untyped-def]
            return real.score(audio, texts, **kwargs)

    jfk = load_audio(FIXTURES / "jfk.flac")
    audio = np.concatenate([np.zeros(16000 * 8, np.float32), jfk])
    early = at(0.5)  # written over the silence before the speech
    removed: list[Removal] = []
    segments = fill_gaps(lambda: HearsItAgain(), audio, [early], language="en", removed=removed)  # type: ignore[arg-type,return-value]
    assert [s.text for s in segments] == [said]
    assert removed and {r.reason for r in removed} == {"duplicate"}


def test_a_drawn_out_word_is_not_inaudible_speech() -> None:
    """Real MFA clip: "Montreal forced um aligner", the "um" drawn out. base writes
    " ummmmmmmmmmmmmmm" over several seconds; a word that long covers nothing for the
    gap filler (it may hide skipped speech), so the stretch is heard again, and alone it
    gives no words. The engine's words are the transcript, with no "[inaudible]" note
    (there was one before). The clip's decoding falls back to sampling, seeded as the
    floor bench seeds it; what it samples differs with the CPU's kernels (on one
    machine "Montreal forced ummmmmmmmmmmmmmm a liner.", on one with AVX-512 VNNI the
    "umm…" as a segment of its own), so the engine alone is the reference."""
    from audio.engines import get_engine
    from audio.guards import guard_segments

    seed = zlib.crc32(b"mfa_um")  # the floor bench's seed for this clip
    audio = load_audio(FIXTURES / "mfa_um.flac")
    spans = speech_spans(audio)
    eng = get_engine("faster-whisper", "base", compute_type="int8", seed=seed)
    alone = list(guard_segments(eng.transcribe(audio, language="en", speech=spans)[0], spans=spans))
    segments, _ = transcribe_file(FIXTURES / "mfa_um.flac", model="base", language="en", seed=seed)
    assert words_of(segments) == words_of(alone)
    assert words_of(segments).startswith("montreal")
    assert any(w.startswith("umm") for w in words_of(segments).split())
    assert not any("inaudible" in s.text for s in segments)
