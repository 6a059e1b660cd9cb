"""Speed on this machine (RTF), cached per machine and weights, and the recommendation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from audio import calibrate as cal
from audio.calibrate import LIVE_RTF, Speed, cached_speed, calibrate, recommend, speed_of
from audio.models import ModelInfo, list_models

ROOT = Path(__file__).parents[2]


def _info(name: str, codes: tuple[str, ...]) -> ModelInfo:
    return ModelInfo(name, Path("/x") / name, "ct2", "", 1, "cache", codes)


ALL = ("en", "no", "nn", "de")
HERE = [
    _info("tiny.en", ("en",)),
    _info("base", ALL),
    _info("nb-whisper-base", ALL),
    _info("nb-whisper-small", ALL),
    _info("small", ALL),
]


def _speeds(**rtf: float) -> dict[str, Speed]:
    return {name.replace("_", "-"): Speed(name, r, 11.0, "t") for name, r in rtf.items()}


def test_calibration_measures_caches_and_is_per_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cal, "model_cache_dir", lambda: tmp_path)
    tiny = next(m for m in list_models() if m.name == "tiny.en")
    assert cached_speed("tiny.en", tiny.size_bytes) is None
    speed = calibrate("tiny.en", runs=1)
    assert 0 < speed.rtf < 5 and speed.audio_s == pytest.approx(11.0, abs=0.1)
    again = speed_of(tiny)  # from the cache: not measured again
    assert again == speed
    assert (tmp_path / "calibration.json").is_file()
    # other weights of the same name, or another machine: not this measurement
    assert cached_speed("tiny.en", tiny.size_bytes + 1) is None
    monkeypatch.setattr(cal, "machine_id", lambda: "another-machine")
    assert speed_of(tiny, measure=False) is None


def test_recommends_the_most_accurate_model_that_keeps_up_live() -> None:
    speeds = _speeds(tiny_en=0.05, base=0.1, nb_whisper_base=0.12, nb_whisper_small=0.9, small=0.4)
    rec = recommend(HERE, speeds, "nb")
    # small (244M) keeps up and outranks nb-whisper-base (74M); nb-whisper-small is better
    # still, but too slow live: offered for after the interview
    assert rec.live == "small"
    assert rec.after == "nb-whisper-small"
    assert rec.after_minutes_per_hour == pytest.approx(54.0)
    assert "about 54 min per hour" in rec.sentence()


def test_nb_whisper_wins_a_tie_in_size_for_norwegian_only() -> None:
    speeds = _speeds(base=0.1, nb_whisper_base=0.1)
    two = [_info("base", ALL), _info("nb-whisper-base", ALL)]
    assert recommend(two, speeds, "nn").live == "nb-whisper-base"
    assert recommend(two, speeds, "nb").live == "nb-whisper-base"
    assert recommend(two, speeds, "en").live == "base"


def test_english_only_models_are_not_offered_for_norwegian() -> None:
    only = [_info("tiny.en", ("en",))]
    rec = recommend(only, _speeds(tiny_en=0.05), "nb")
    assert (rec.live, rec.after) == (None, None)
    assert rec.sentence() == "No model on this computer transcribes this language; fetch one first."


def test_nothing_keeps_up_live_is_said() -> None:
    rec = recommend([_info("base", ALL)], _speeds(base=LIVE_RTF * 3), "nb")
    assert rec.live is None and rec.after == "base"
    assert rec.sentence().startswith("No model here keeps up live")


def test_models_list_prints_rtf_and_a_recommendation(tmp_path: Path, model_cache: Path) -> None:
    env = {**os.environ, "KVALE_MODEL_CACHE": str(model_cache)}
    kvale = Path(sys.executable).parent / "kvale"
    out = subprocess.run(
        [str(kvale), "models", "list"], capture_output=True, text=True, env=env, timeout=600
    )
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0]: line.split() for line in out.stdout.splitlines() if line.strip()}
    for name in ("tiny.en", "base"):
        assert re.fullmatch(r"\d+\.\d{3}", rows[name][4]), rows[name]  # the RTF column
    # which model keeps up depends on this machine's load: either sentence is right
    for language in ("Norwegian bokmål", "Norwegian nynorsk", "English"):
        line = next(
            x for x in out.stdout.splitlines() if x.startswith(f"Recommended for {language}")
        )
        assert re.search(r": (Live: \S+ keeps up|No model here keeps up live)", line), line
    # measured once: the second listing measures nothing
    again = subprocess.run(
        [str(kvale), "models", "list"], capture_output=True, text=True, env=env, timeout=600
    )
    assert "measuring" not in again.stderr
    rows_again = {x.split()[0]: x.split() for x in again.stdout.splitlines() if x.strip()}
    assert all(rows_again[name][4] == rows[name][4] for name in ("tiny.en", "base"))


def test_whisper_code_no_is_norwegian_like_nb() -> None:
    speeds = _speeds(base=0.1, nb_whisper_base=0.1, tiny_en=0.05)
    models = [_info("base", ALL), _info("nb-whisper-base", ALL), _info("tiny.en", ("en",))]
    as_no, as_nb = recommend(models, speeds, "no"), recommend(models, speeds, "nb")
    assert (as_no.live, as_no.after) == (as_nb.live, as_nb.after) == ("nb-whisper-base", None)
