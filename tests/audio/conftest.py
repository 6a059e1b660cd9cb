"""Fixtures for the capture tests: the fake ALSA microphone and test signals."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakemic import FakeMicrophone, fake_microphone

JFK = Path(__file__).parents[1] / "fixtures" / "jfk.flac"


@pytest.fixture
def portaudio() -> None:
    """Skip when PortAudio (libportaudio2) is not installed."""
    try:
        import sounddevice  # noqa: F401
    except OSError as exc:
        pytest.skip(f"PortAudio missing: {exc}")


@pytest.fixture
def fake_mic(
    portaudio: None,
) -> Callable[[npt.NDArray[np.generic], int], AbstractContextManager[FakeMicrophone]]:
    """``with fake_mic(signal, rate) as mic:`` — the default ALSA capture device plays it."""

    def make(signal: npt.NDArray[np.generic], rate: int) -> AbstractContextManager[FakeMicrophone]:
        return fake_microphone(signal, rate, "int16")

    return make


@pytest.fixture(scope="session")
def speech16k() -> npt.NDArray[np.int16]:
    """11 s of real speech (JFK) at 16 kHz, int16."""
    from audio.files import load_audio

    speech = load_audio(JFK)  # 44.1 kHz file, resampled
    out: npt.NDArray[np.int16] = np.clip(np.rint(speech * 32768), -32768, 32767).astype(np.int16)
    return out


@pytest.fixture
def no_alsa_config(monkeypatch: pytest.MonkeyPatch, portaudio: None) -> Iterator[None]:
    """PortAudio with the machine's own ALSA setup (no sound card here: no device)."""
    from fakemic import reinit_portaudio

    monkeypatch.delenv("ALSA_CONFIG_PATH", raising=False)
    reinit_portaudio()
    yield
    monkeypatch.undo()
    reinit_portaudio()
