"""What the new-interview form says about the transcription model: its speed on this
computer, whether it keeps up live, and which model to choose (`audio.calibrate`).

Only speeds measured earlier are used (`kvale models list` measures them): the form
never runs a model itself.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kvale_errors import KvaleError
from tui.i18n import N_, _

if TYPE_CHECKING:
    from audio.calibrate import Recommendation

_ONE_AT_A_TIME = threading.Lock()  # the form may ask again before an answer came

LANGUAGE_NAMES = {
    "nb": N_("Norwegian bokmål"),
    "no": N_("Norwegian (Whisper's code; written as bokmål)"),
    "nn": N_("Norwegian nynorsk"),
    "en": N_("English"),
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
        return ModelAdvice(_("Models: {sentence}").format(sentence=exc.sentence), False)
    except OSError as exc:
        return ModelAdvice(
            _("Models: kvale could not look at its model cache ({problem}).").format(problem=exc),
            False,
        )
    speeds = {}
    for m in models:
        found = cached_speed(m.name, m.size_bytes)
        if found is not None:
            speeds[m.name] = found
    chosen = speeds.get(model)
    if chosen is None:
        head = _(
            "Transcription model: {model} (its speed on this computer is not measured yet; "
            "`kvale models list` measures it)."
        ).format(model=model)
    elif chosen.keeps_up_live:
        head = _(
            "Transcription model: {model}, {rtf} s per second of speech here: keeps up live."
        ).format(model=model, rtf=f"{chosen.rtf:.2f}")
    else:
        head = _(
            "Transcription model: {model}, {rtf} s per second of speech here: too slow to "
            "keep up live (needs at most {limit})."
        ).format(model=model, rtf=f"{chosen.rtf:.2f}", limit=LIVE_RTF)
    rec = recommend(models, speeds, language or None)
    lang = _(LANGUAGE_NAMES[language]) if language in LANGUAGE_NAMES else _("any language")
    text = (
        head
        + "\n"
        + _("Recommended for {language}: {advice}").format(
            language=lang, advice=_recommendation(rec)
        )
    )
    if chosen is not None and not chosen.keeps_up_live:
        warning = _(
            "{model} cannot keep up with the interview live on this computer: the live "
            "transcript will fall behind, and the rest is transcribed after you stop "
            "(about {minutes} min per hour of recording)."
        ).format(model=model, minutes=f"{chosen.minutes_per_hour():.0f}")
        return ModelAdvice(text, True, warning)
    return ModelAdvice(text, False)


def _recommendation(rec: Recommendation) -> str:
    """`audio.calibrate.Recommendation.sentence` in the researcher's language."""
    if rec.live is None and rec.after is None:
        return _("No model on this computer transcribes this language; fetch one first.")
    if rec.live is not None:
        parts = [
            _("Live: {model} keeps up with the interview on this computer.").format(model=rec.live)
        ]
    else:
        parts = [_("No model here keeps up live: the transcript is made after you stop.")]
    if rec.after is not None and rec.after_minutes_per_hour is not None:
        parts.append(
            _(
                "More accurate if you can wait: {model} (about {minutes} min per hour of "
                "recording)."
            ).format(model=rec.after, minutes=f"{rec.after_minutes_per_hour:.0f}")
        )
    elif rec.after is not None:
        parts.append(
            _("More accurate if you can wait: {model} (speed not measured yet).").format(
                model=rec.after
            )
        )
    return " ".join(parts)
