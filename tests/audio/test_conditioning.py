"""The engine's output is the floor: kvale decodes a recording as plain faster-whisper does
(its defaults, conditioning on the previous window's text), and the live transcriber,
which decodes in several calls, passes each call the text of the windows before it."""

from __future__ import annotations

from pathlib import Path

import jiwer
import numpy as np
import numpy.typing as npt
from speech_helpers import normalise

from audio.engine_base import context_of
from audio.types import Segment

FIXTURES = Path(__file__).parents[1] / "fixtures"


def joined() -> npt.NDArray[np.float32]:
    """69 s of real speech from tests/fixtures (MFA clips with repeated words, JFK twice,
    LJSpeech), 1 s of silence after each: three 30 s windows, boundaries inside speech."""
    from audio.files import load_audio

    names = ("mfa_surround.flac", "jfk.flac", "mfa_cutoff.flac", "LJ001-0001.wav", "jfk.flac")
    gap = np.zeros(16_000, np.float32)
    return np.concatenate([part for n in names for part in (load_audio(FIXTURES / n), gap)])


def plain_words(audio: npt.NDArray[np.float32], model: str) -> list[str]:
    """faster-whisper as its README runs it (defaults), beam 5, English."""
    from faster_whisper import WhisperModel

    from audio.models import resolve_model

    fw = WhisperModel(str(resolve_model(model, "faster-whisper").path), "cpu", compute_type="int8")
    segments, _ = fw.transcribe(audio, language="en", beam_size=5, word_timestamps=True)
    return [w.word for s in segments for w in (s.words or ())]


def test_batch_transcript_has_every_word_of_the_plain_engine() -> None:
    """On real speech over three windows, kvale's engine writes plain faster-whisper's
    words exactly, and kvale's batch transcript (guards, gap filler) keeps every one of
    them in order. Decoding each window without the previous text (kvale before this)
    wrote "Forced a line, a liner, a liner a liner." where the plain engine has "Fours?
    Orst? Align a liner. Align a liner."."""
    from audio.engines import get_engine
    from audio.transcribe import transcribe_audio

    audio = joined()
    plain = plain_words(audio, "base")
    engine = get_engine("faster-whisper", "base")
    decoded = [w.word for s in engine.transcribe(audio, language="en")[0] for w in s.words]
    assert decoded == plain
    segments, _info = transcribe_audio(engine, audio, language="en")
    kept = iter(w.word for s in segments for w in s.words)
    missing = [w for w in plain if not any(k == w for k in kept)]
    assert not missing, (missing, " ".join(s.text for s in segments))


def seg(tokens: tuple[int, ...], temperature: float) -> Segment:
    return Segment(0, 0.0, 1.0, "x", tokens=tokens, temperature=temperature)


def test_context_is_the_tokens_since_the_last_hot_window() -> None:
    """As faster-whisper's ``transcribe``: every segment's tokens, but a window decoded
    above temperature 0.5 (a sampled guess) and everything before it are no context."""
    assert context_of([]) == []
    assert context_of([seg((1, 2), 0.0), seg((3,), 0.2)]) == [1, 2, 3]
    assert context_of([seg((1, 2), 0.0), seg((3,), 0.6), seg((4, 5), 0.0)]) == [4, 5]
    assert context_of([seg((1,), 0.0), seg((2,), 1.0)]) == []


def test_a_recording_decoded_in_calls_with_context_is_the_batch_transcript() -> None:
    """The live transcriber's way: the recording decoded in two calls, the second from
    where the batch run's second window starts and given the tokens of the first, writes
    the batch run's words to within 10 % (measured 5.5 %, 3 words of 55; tiny.en: the
    log-mel of a stretch is not exactly the whole recording's, and half a 16-bit step in
    the input turned "concerned" into "concern" on one side), and at most half as far as
    without the context (measured 18.2 %), where the second call wrote "Montréal. Montréal,
    force, or line-liner, a line-liner." where the batch run has "Montreal, Montreal, for
    force, or line aligner."."""
    from audio.engines import get_engine

    audio = joined()
    engine = get_engine("faster-whisper", "tiny.en", cpu_threads=2)
    batch = list(engine.transcribe(audio, language="en")[0])
    split = next(s.window for s in batch if s.window > 0)  # the second window's start
    first = [s for s in batch if s.window < split]
    want = normalise(" ".join(s.text for s in batch if s.window >= split))

    def later(context: list[int] | None) -> str:
        rest, _ = engine.transcribe(
            audio[int(split * 16_000) :], language="en", offset=split, context=context
        )
        return normalise(" ".join(s.text for s in rest))

    with_context = jiwer.wer(want, later(context_of(first)))
    without = jiwer.wer(want, later(None))
    assert with_context <= 0.1, with_context
    assert with_context <= without / 2, (with_context, without)


def test_openai_whisper_takes_the_context_as_text() -> None:
    """openai-whisper's prompt is text: the context (the tokens of LJSpeech's first
    sentence) is given decoded, without its timestamp tokens. On JFK it then writes what
    faster-whisper (float32, the same weights) writes with those text tokens, word for
    word; both add "Thank you." after JFK's sentence, which neither writes without the
    context and faster-whisper with the timestamps in its context does not write."""
    from speech_helpers import JFK

    from audio.engines import get_engine
    from audio.files import load_audio

    fw = get_engine("faster-whisper", "tiny.en", compute_type="float32", cpu_threads=2)
    before = list(fw.transcribe(load_audio(FIXTURES / "LJ001-0001.wav"), language="en")[0])
    context = context_of(before)
    text_only = [t for t in context if t < 50257]  # tiny.en: <|endoftext|> and above are special
    assert len(text_only) < len(context)
    ow = get_engine("openai-whisper", "tiny.en", cpu_threads=2)
    got = list(ow.transcribe(JFK, language="en", context=context)[0])
    want = list(fw.transcribe(JFK, language="en", context=text_only)[0])
    assert [w.word for s in got for w in s.words] == [w.word for s in want for w in s.words]
    assert all(s.tokens for s in got)
