"""The recording level meter: polls the recorder at 10 Hz, shows level and warnings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from tui.i18n import _, ngettext

BAR_CELLS = 9
FLOOR_DB = -60.0


@dataclass(frozen=True)
class MeterReading:
    """What the meter shows, taken from `audio.capture.Recorder.status()`."""

    level_db: float = FLOOR_DB
    silence: bool = False
    clipping: bool = False
    overflows: int = 0
    minutes_left: float | None = None
    error: str | None = None


def reading_from_status(status: Any) -> MeterReading:
    """Turn a recorder status (object or dict) into a reading; unknown fields are skipped."""
    if status is None:
        return MeterReading()

    def get(name: str, default: Any = None) -> Any:
        if isinstance(status, dict):
            return status.get(name, default)
        return getattr(status, name, default)

    level = get("level_dbfs", get("level_db", get("level", FLOOR_DB)))
    return MeterReading(
        level_db=float(level if level is not None else FLOOR_DB),
        silence=bool(get("silence_warning", get("silence", False))),
        clipping=bool(get("clipping_warning", get("clipping", False))),
        overflows=int(get("overflows", 0) or 0),
        minutes_left=get("minutes_left"),
        error=str(get("error")) if get("error") else None,
    )


def bar(level_db: float, cells: int = BAR_CELLS) -> str:
    """``▮▮▮▮▯▯▯`` for a level in dBFS (−60 dB empty, 0 dB full)."""
    frac = min(1.0, max(0.0, (level_db - FLOOR_DB) / -FLOOR_DB))
    full = round(frac * cells)
    return "▮" * full + "▯" * (cells - full)


class LevelMeter(Static):
    """A one-line level meter with silence, clipping and disk warnings.

    Args:
        poll: returns the recorder's status (or None); called 10 times a second.
    """

    DEFAULT_CSS = """
    LevelMeter { width: auto; height: 1; padding: 0 1; }
    LevelMeter.-silence { background: $error; color: $text; }
    LevelMeter.-clipping, LevelMeter.-disk { background: $warning; color: $text; }
    """

    class LevelChanged(Message):
        """A new reading arrived (high rate: a newer one replaces an unhandled older one)."""

        def __init__(self, reading: MeterReading) -> None:
            super().__init__()
            self.reading = reading

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, LevelMeter.LevelChanged)

    reading: reactive[MeterReading] = reactive(MeterReading)

    def __init__(
        self, poll: Callable[[], Any] | None = None, *, rate_hz: float = 10.0, **kw: Any
    ) -> None:
        super().__init__(**kw)
        self._poll = poll
        self._rate = rate_hz

    def on_mount(self) -> None:
        if self._poll is not None and self._rate > 0:
            self.set_interval(1 / self._rate, self._tick)
        self._show(self.reading)

    def _tick(self) -> None:
        if self._poll is None:
            return
        self.post_message(self.LevelChanged(reading_from_status(self._poll())))

    def on_level_meter_level_changed(self, message: LevelChanged) -> None:
        self.reading = message.reading

    def watch_reading(self, reading: MeterReading) -> None:
        self._show(reading)

    def _show(self, r: MeterReading) -> None:
        self.set_class(r.silence, "-silence")
        self.set_class(r.clipping and not r.silence, "-clipping")
        low_disk = r.minutes_left is not None and r.minutes_left < 30
        self.set_class(low_disk and not (r.silence or r.clipping), "-disk")
        text = f"{bar(r.level_db)} {r.level_db:4.0f} dB"
        if r.error:
            text += f"  {r.error}"
        elif r.silence:
            text += "  " + _("no sound — is the microphone muted?")
        elif r.clipping:
            text += "  " + _("too loud (clipping)")
        elif low_disk:
            text += "  " + _("disk: {minutes} min left").format(minutes=f"{r.minutes_left:.0f}")
        if r.overflows:
            text += "  " + ngettext("{n} dropout", "{n} dropouts", r.overflows).format(
                n=r.overflows
            )
        self.update(text)
