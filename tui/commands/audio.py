"""The commands on audio: devices, record, transcribe, import, models."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvale_errors import KvaleError
from tui.commands.common import ProgressBar, clock, status_line
from tui.i18n import N_, _, ngettext, removal_reason

if TYPE_CHECKING:
    from audio.capture import RecorderStatus
    from audio.recording import RecordingInfo

log = logging.getLogger(__name__)


def cmd_devices(args: argparse.Namespace) -> int:
    from audio.capture import list_input_devices

    devices = list_input_devices()
    if not devices:
        print(_("No microphone was found."))
        return 1
    for d in devices:
        mark = "*" if d.is_default else " "
        print(f"{mark} {d.index:>3}  {d.name}  ({d.channels} ch, {d.default_samplerate:.0f} Hz)")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    def progress(status: RecorderStatus) -> None:
        if args.quiet:
            return
        db = f"{status.level.rms_dbfs:6.1f} dBFS"
        warn = ""
        if status.silence_warning:
            warn = "  no sound: is the microphone muted?"
        elif status.clipping_warning:
            warn = "  too loud: clipping"
        status_line(f"● REC {clock(status.elapsed)}  {db}{warn}")

    info = record_until(
        Path(args.out),
        device=_device_arg(args.device),
        samplerate=args.samplerate,
        seconds=args.seconds,
        source_file=Path(args.from_file) if args.from_file else None,
        on_status=progress,
    )
    status_line("")
    print(_("Recorded {duration} to {path}").format(duration=clock(info.duration), path=info.path))
    return 0


def _device_arg(value: str | None) -> int | str | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else value


def cmd_transcribe(args: argparse.Namespace) -> int:
    from audio.transcribe import transcribe_file

    cancel = threading.Event()
    bar = ProgressBar(sys.stderr, _("Transcribing"))
    removed: list[Any] = []
    try:
        segments, info = transcribe_file(
            Path(args.audio),
            engine=args.engine,
            model=args.model,
            language=args.language,
            on_progress=bar.update,
            cancel=cancel,
            removed=removed,
        )
    except KeyboardInterrupt:
        cancel.set()
        raise
    finally:
        bar.close()
    out = Path(args.out) if args.out else None
    _write_segments(segments, info, out)
    if removed:
        print(f"kvale: {removed_summary(removed)}.", file=sys.stderr)
    return 0


def removed_summary(removed: Sequence[Any]) -> str:
    """'removed 2 stretches (7 words) as not speech: 1 loop, 1 no speech'."""
    words = sum(len(r.text.split()) for r in removed)
    reasons: dict[str, int] = {}
    for r in removed:
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    why = ", ".join(f"{n} {removal_reason(reason)}" for reason, n in sorted(reasons.items()))
    said = ngettext(
        "removed {n} stretch ({words}) as not speech: {why}",
        "removed {n} stretches ({words}) as not speech: {why}",
        len(removed),
    )
    return said.format(n=len(removed), words=count_words(words), why=why)


def count_words(n: int) -> str:
    """'1 word', '7 words' (in the language the command speaks: '7 ord')."""
    return ngettext("{n} word", "{n} words", n).format(n=n)


def _write_segments(segments, info, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    import audio.subtitles as subtitles

    if out is None:
        for s in segments:
            print(f"[{clock(s.start)} → {clock(s.end)}] {s.text.strip()}")
        return
    suffix = out.suffix.lower()
    writers: dict[str, Callable[..., str]] = {
        ".json": subtitles.segments_to_json,
        ".vtt": subtitles.segments_to_vtt,
        ".srt": subtitles.segments_to_srt,
    }
    if suffix not in writers:
        raise KvaleError.said(
            N_("kvale cannot write '{name}': use a name ending in .json, .vtt or .srt."),
            name=out.name,
        )
    text = writers[suffix](segments, info) if suffix == ".json" else writers[suffix](segments)
    out.write_text(text, encoding="utf-8")
    print(
        ngettext(
            "Wrote {n} segment to {path}", "Wrote {n} segments to {path}", len(segments)
        ).format(n=len(segments), path=out)
    )


def cmd_models_get(args: argparse.Namespace) -> int:
    from audio.fetch import get_model

    path = get_model(args.name)
    print(_("The model '{name}' is ready in {path}.").format(name=args.name, path=path))
    return 0


def record_until(
    out: Path,
    *,
    device: int | str | None = None,
    samplerate: int = 16000,
    seconds: float | None = None,
    source_file: Path | None = None,
    on_status: Callable[[RecorderStatus], None] | None = None,
    realtime: bool = True,
    interval: float = 0.1,
) -> RecordingInfo:
    """Headless recording for `kvale record OUT`: record until ``seconds``, the end of
    ``source_file``, Ctrl-C or a failure; print nothing (``on_status`` gets the
    `audio.capture.RecorderStatus` every ``interval`` seconds).

    Returns:
        The `audio.recording.RecordingInfo` of the folder written.

    Raises:
        AudioError: the recording could not start, or failed (what was recorded is kept).
    """
    from audio.capture import FileSource, Recorder

    source = FileSource(source_file, realtime=realtime) if source_file is not None else None
    recorder = Recorder(Path(out), device=device, samplerate=samplerate, source=source)
    recorder.start()
    try:
        while recorder.state in ("recording", "paused"):
            if seconds is not None and recorder.elapsed >= seconds:
                break
            if recorder.finished:
                break
            if on_status is not None:
                on_status(recorder.status())
            time.sleep(interval)
    except KeyboardInterrupt:
        log.info("recording interrupted by the user")
    return recorder.stop()
