"""What the new-interview form says about the transcription model: its speed on this
computer, whether it keeps up live, and which model to choose (`audio.calibrate`).

Only speeds measured earlier are used (`kvale models list` measures them): the form
never runs a model itself.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kvale_errors import KvaleError

_ONE_AT_A_TIME = threading.Lock()  # the form may ask again before an answer came

LANGUAGE_NAMES = {
    "nb": "Norwegian bokmål",
    "no": "Norwegian (Whisper's code; written as bokmål)",
    "nn": "Norwegian nynorsk",
    "en": "English",
}


@dataclass(frozen=True)
class ModelAdvice:
    """The form's model line.

    Attributes:
        text: what the form shows.
        too_slow: the chosen model was measured too slow for live transcription here.
        warning: the sentence shown before recording when ``too_slow``.
    """

    text: str
    too_slow: bool
    warning: str | None = None


def model_advice(model: str, language: str | None) -> ModelAdvice:
    """The advice for ``model`` and the interview's ``language`` (``nb``, ``nn``, ``en``, None)."""
    from audio.calibrate import LIVE_RTF, cached_speed, recommend
    from audio.models import list_models

    try:
        with _ONE_AT_A_TIME:
            models = list_models()
    except KvaleError as exc:
        return ModelAdvice(f"Models: {exc.sentence}", False)
    except OSError as exc:
        return ModelAdvice(f"Models: kvale could not look at its model cache ({exc}).", False)
    speeds = {}
    for m in models:
        found = cached_speed(m.name, m.size_bytes)
        if found is not None:
            speeds[m.name] = found
    chosen = speeds.get(model)
    if chosen is None:
        head = (
            f"Transcription model: {model} (its speed on this computer is not measured yet; "
            "`kvale models list` measures it)."
        )
    elif chosen.keeps_up_live:
        head = (
            f"Transcription model: {model}, {chosen.rtf:.2f} s per second of speech here: "
            "keeps up live."
        )
    else:
        head = (
            f"Transcription model: {model}, {chosen.rtf:.2f} s per second of speech here: too "
            f"slow to keep up live (needs at most {LIVE_RTF})."
        )
    rec = recommend(models, speeds, language or None)
    lang = LANGUAGE_NAMES.get(language or "", language or "any language")
    text = f"{head}\nRecommended for {lang}: {rec.sentence()}"
    if chosen is not None and not chosen.keeps_up_live:
        warning = (
            f"{model} cannot keep up with the interview live on this computer: the live "
            "transcript will fall behind, and the rest is transcribed after you stop "
            f"(about {chosen.minutes_per_hour():.0f} min per hour of recording)."
        )
        return ModelAdvice(text, True, warning)
    return ModelAdvice(text, False)
