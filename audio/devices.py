"""Capture devices as PortAudio (through sounddevice) lists them.

Faults are `AudioError` sentences: PortAudio missing, no microphone, a device name or
number not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kvale_errors import AudioError
from kvale_i18n import N_

NO_MICROPHONE = N_(
    "No microphone was found. Plug one in or check the system sound settings, "
    "then press r to try again."
)


@dataclass(frozen=True)
class InputDevice:
    """A capture device as PortAudio lists it."""

    index: int
    name: str
    channels: int
    default_samplerate: float
    is_default: bool


def portaudio() -> Any:
    """The sounddevice module (PortAudio's binding), loaded on first use."""
    try:
        import sounddevice
    except OSError as exc:  # libportaudio2 missing
        raise AudioError.said(
            N_(
                "The sound system library PortAudio is missing, so kvale cannot use a "
                "microphone. Install it (Debian/Ubuntu: sudo apt install libportaudio2)."
            )
        ) from exc
    return sounddevice


def list_input_devices() -> list[InputDevice]:
    """Every device with input channels; empty when there is none."""
    sd = portaudio()
    try:
        default_in = int(sd.default.device[0])
        if default_in < 0:
            default_in = int(sd.query_hostapis(0)["default_input_device"])
    except Exception:  # no host API at all
        default_in = -1
    out = []
    for d in sd.query_devices():
        if int(d["max_input_channels"]) > 0:
            out.append(
                InputDevice(
                    index=int(d["index"]),
                    name=str(d["name"]),
                    channels=int(d["max_input_channels"]),
                    default_samplerate=float(d["default_samplerate"]),
                    is_default=int(d["index"]) == default_in,
                )
            )
    return out


def resolve_device(device: int | str | None) -> InputDevice:
    """The input device for ``device`` (None = the system default, a name part or an index).

    Raises:
        AudioError: there is no input device, or none matching ``device``.
    """
    devices = list_input_devices()
    if not devices:
        raise AudioError.said(NO_MICROPHONE)
    if device is None:
        for d in devices:
            if d.is_default:
                return d
        return devices[0]
    if isinstance(device, int):
        for d in devices:
            if d.index == device:
                return d
    else:
        matches = [d for d in devices if device.lower() in d.name.lower()]
        if matches:
            return matches[0]
    names = ", ".join(f"{d.index}: {d.name}" for d in devices)
    raise AudioError.said(
        N_(
            "No microphone called {device} was found. Choose one of these ({names}), or "
            "leave the choice empty for the system default."
        ),
        device=repr(device),
        names=names,
    )
