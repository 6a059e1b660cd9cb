"""The `kvale` command: the app, and headless commands for scripting.

Every command prints a researcher's sentence on error (a `KvaleError`) and
exits non-zero; a traceback is a bug. Heavy modules (Whisper, Textual) are
imported only by the commands that need them, so `kvale guide check` is quick.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from kvale_errors import KvaleError

log = logging.getLogger("kvale")

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def _project_dir(args: argparse.Namespace) -> Path:
    return Path(args.project) if args.project else Path.cwd()


def _open_project(  # type: ignore[no-untyped-def]
    args: argparse.Namespace, *, allow_expired: bool = False, read_only: bool = False
):
    """Open the project: to write it (the lock) or read-only (exports, listings).

    Work an earlier, interrupted kvale left (a purge completed, an import undone) is
    reported on stderr: the researcher must know the project changed.
    """
    from store import Project

    project = Project.open(_project_dir(args), allow_expired=allow_expired, read_only=read_only)
    for sentence in project.recovered:
        print(f"kvale: {sentence}", file=sys.stderr)
    return project


# --- the app ------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    from tui.app import run_app

    project = Path(args.project) if args.project else None
    return run_app(project)


def cmd_demo(args: argparse.Namespace) -> int:
    from tui.app import run_app

    return run_app(None, demo=True)


# --- project ------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from store import Project

    project = Project.init(Path(args.dir), name=args.name)
    print(f"Created a kvale project in {project.path}.")
    print(f"Start the app there with: kvale --project {project.path}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from store import lifecycle

    project = _open_project(args, allow_expired=True)
    if args.all:
        if not args.yes and not _confirm(
            f"Delete EVERY interview, transcript and recording in {project.path}?"
        ):
            print("Nothing was deleted.")
            return 1
        report = lifecycle.purge_all(project)
    else:
        if not args.participant:
            raise KvaleError("Name the participant to purge (for example `kvale purge I3`).")
        if not args.yes and not _confirm(
            f"Delete everything about participant {args.participant} in {project.path}?"
        ):
            print("Nothing was deleted.")
            return 1
        report = lifecycle.purge_participant(project, args.participant)
    print(report.describe() if hasattr(report, "describe") else report)
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise KvaleError(f"{question} Add --yes to confirm when not running in a terminal.")
    return input(f"{question} [y/N] ").strip().lower() in {"y", "yes", "j", "ja"}


# --- guides -------------------------------------------------------------------


def _load_guide_arg(ref: str):  # type: ignore[no-untyped-def]
    """A guide file path, or the name of a bundled guide."""
    from guide.bundled import bundled_guides, load_bundled
    from guide.parser import load_guide

    path = Path(ref)
    if path.exists():
        return load_guide(path)
    names = [g.name for g in bundled_guides()]
    if ref in names:
        return load_bundled(ref)
    raise KvaleError(
        f"There is no guide file '{ref}'. Give the path of a guide file, or one of the "
        f"bundled guides: {', '.join(names)}.",
        title="Interview guide problem",
    )


def cmd_guide_check(args: argparse.Namespace) -> int:
    from guide.parser import check_guide

    failed = 0
    for ref in args.files:
        try:
            guide = check_guide(Path(ref)) if Path(ref).exists() else _load_guide_arg(ref)
        except KvaleError as exc:
            failed += 1
            print(f"✗ {exc.sentence}", file=sys.stderr)
            continue
        n = sum(1 for _ in guide.questions())
        print(f"✓ {ref}: '{guide.title}', {len(guide.sections)} sections, {n} questions")
    return EXIT_ERROR if failed else 0


def cmd_guide_show(args: argparse.Namespace) -> int:
    from guide.parser import format_outline

    print(format_outline(_load_guide_arg(args.file)))
    return 0


def cmd_guide_list(args: argparse.Namespace) -> int:
    from guide.bundled import bundled_guides

    for g in bundled_guides():
        print(f"{g.name:<20} {g.language or '?':<4} {g.title}")
    return 0


# --- audio --------------------------------------------------------------------


def cmd_devices(args: argparse.Namespace) -> int:
    from audio.capture import list_input_devices

    devices = list_input_devices()
    if not devices:
        print("No microphone was found.")
        return 1
    for d in devices:
        mark = "*" if d.is_default else " "
        print(f"{mark} {d.index:>3}  {d.name}  ({d.channels} ch, {d.default_samplerate:.0f} Hz)")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from audio.capture import record_command

    def progress(status) -> None:  # type: ignore[no-untyped-def]
        if args.quiet:
            return
        level = getattr(status, "level", None)
        db = f"{level.rms_dbfs:6.1f} dBFS" if level is not None else "   -- dBFS"
        warn = ""
        if getattr(status, "silence_warning", False):
            warn = "  no sound: is the microphone muted?"
        elif getattr(status, "clipping_warning", False):
            warn = "  too loud: clipping"
        _status_line(f"● REC {_clock(status.elapsed)}  {db}{warn}")

    info = record_command(
        Path(args.out),
        device=_device_arg(args.device),
        samplerate=args.samplerate,
        seconds=args.seconds,
        source_file=Path(args.from_file) if args.from_file else None,
        on_status=progress,
    )
    _status_line("")
    print(f"Recorded {_clock(info.duration)} to {info.path}")
    return 0


def _device_arg(value: str | None) -> int | str | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else value


def cmd_transcribe(args: argparse.Namespace) -> int:
    from audio.engines import transcribe_file

    cancel = threading.Event()
    bar = _ProgressBar(sys.stderr, "Transcribing")
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
        print(f"kvale: {_removed_summary(removed)}.", file=sys.stderr)
    return 0


def _removed_summary(removed: Sequence[Any]) -> str:
    """'removed 2 stretches (7 words) as not speech: 1 loop, 1 no speech'."""
    words = sum(len(r.text.split()) for r in removed)
    reasons: dict[str, int] = {}
    for r in removed:
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
    stretches = "stretch" if len(removed) == 1 else "stretches"
    return f"removed {len(removed)} {stretches} ({words} words) as not speech: {why}"


def _write_segments(segments, info, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    import audio.subtitles as subtitles

    if out is None:
        for s in segments:
            print(f"[{_clock(s.start)} → {_clock(s.end)}] {s.text.strip()}")
        return
    suffix = out.suffix.lower()
    writers: dict[str, Callable[..., str]] = {
        ".json": subtitles.segments_to_json,
        ".vtt": subtitles.segments_to_vtt,
        ".srt": subtitles.segments_to_srt,
    }
    if suffix not in writers:
        raise KvaleError(
            f"kvale cannot write '{out.name}': use a name ending in .json, .vtt or .srt."
        )
    text = writers[suffix](segments, info) if suffix == ".json" else writers[suffix](segments)
    out.write_text(text, encoding="utf-8")
    print(f"Wrote {len(segments)} segments to {out}")


def cmd_import(args: argparse.Namespace) -> int:
    from tui.pipeline import import_recording

    project = _open_project(args)
    guide = _load_guide_arg(args.guide)
    bar = _ProgressBar(sys.stderr, "Transcribing")

    def progress(stage: str, fraction: float, eta: float | None) -> None:
        if stage == "transcribing":
            bar.update(fraction, eta)

    try:
        interview = import_recording(
            project,
            Path(args.audio),
            guide,
            participant=args.participant,
            language=args.language,
            engine=args.engine,
            model=args.model,
            on_progress=progress,
        )
    finally:
        bar.close()
    summary = f"{interview.word_count} words"
    if interview.removed:
        summary += f"; {_removed_summary(interview.removed)}, listed on the confirm screen"
    print(f"Imported {args.audio} as interview {interview.id} ({summary}).")
    return 0


def cmd_models_list(args: argparse.Namespace) -> int:
    from audio.models import list_models

    models = list_models()
    print(f"{'model':<16} {'where':<14} {'size':>9}  languages  path")
    for m in models:
        size = f"{m.size_bytes / 1e6:,.0f} MB" if m.size_bytes else "-"
        print(f"{m.name:<16} {m.source:<14} {size:>9}  {m.languages:<9}  {m.path or ''}")
    return 0


def cmd_models_get(args: argparse.Namespace) -> int:
    from audio.models import get_model

    path = get_model(args.name)
    print(f"The model '{args.name}' is ready in {path}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from store.corpus import corpus_from_project
    from store.exports import export_corpus

    project = _open_project(args, read_only=True)  # works while the app is open
    corpus = corpus_from_project(project)
    for iid, sentence in sorted(corpus.only(args.participant).damaged.items()):
        print(f"kvale: interview {iid} is damaged and left out: {sentence}", file=sys.stderr)
    paths = export_corpus(
        corpus,
        args.format,
        Path(args.out) if args.out else None,
        participant=args.participant,
    )
    for p in paths:
        print(f"Wrote {p}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """The project's interviews (read-only: works while the app is open)."""
    project = _open_project(args, read_only=True, allow_expired=True)
    rows = project.interviews()
    if not rows:
        print("The project has no interviews yet.")
    for s in rows:
        minutes = f"{s.duration / 60:5.1f} min"
        status = "damaged" if s.id in project.damaged else s.status.value.replace("_", " ")
        print(
            f"{s.id:<28} {s.participant:<8} {s.date or '-':<10} {minutes} {s.words:>7} words  "
            f"{status}"
        )
    for iid, sentence in sorted(project.damaged.items()):
        print(f"kvale: interview {iid} is damaged: {sentence}", file=sys.stderr)
    return 0


# --- helpers ------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _status_line(text: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[2K" + text)
        sys.stderr.flush()


class _ProgressBar:
    """A one-line progress bar with ETA on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.started = time.monotonic()
        self.tty = stream.isatty()
        self.last_percent = -1

    def update(self, fraction: float, eta: float | None = None) -> None:
        percent = int(max(0.0, min(1.0, fraction)) * 100)
        if percent == self.last_percent:
            return
        self.last_percent = percent
        filled = percent * 30 // 100
        eta_text = f"ETA {_clock(eta)[3:]}" if eta is not None else ""
        line = f"{self.label}  {'█' * filled}{'░' * (30 - filled)} {percent:3d} %  {eta_text}"
        if self.tty:
            self.stream.write("\r\x1b[2K" + line)
            self.stream.flush()
        elif percent % 10 == 0:
            self.stream.write(line + "\n")

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kvale",
        description="A terminal companion for semi-structured research interviews.",
    )
    parser.add_argument("--project", metavar="DIR", help="project folder (default: this folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what kvale does")
    parser.set_defaults(func=cmd_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    # --project also after a command that works on a project ("kvale export docx --project
    # DIR"); SUPPRESS keeps the value given before the command when it is not repeated
    on_project = argparse.ArgumentParser(add_help=False)
    on_project.add_argument(
        "--project", metavar="DIR", default=argparse.SUPPRESS, help="project folder"
    )

    p = sub.add_parser("init", help="create a project in a folder")
    p.add_argument("dir")
    p.add_argument("--name", help="a name for the project")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="run a whole interview on the bundled sample")
    p.set_defaults(func=cmd_demo)

    g = sub.add_parser("guide", help="check and show interview guides").add_subparsers(
        metavar="ACTION", required=True
    )
    p = g.add_parser("check", help="check guide files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_guide_check)
    p = g.add_parser("show", help="print a guide's outline with its ids")
    p.add_argument("file", metavar="FILE|NAME")
    p.set_defaults(func=cmd_guide_show)
    p = g.add_parser("list", help="list the bundled guides")
    p.set_defaults(func=cmd_guide_list)
    guide_sub = g

    p = sub.add_parser("devices", help="list the microphones")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("record", help="record audio without the app")
    p.add_argument("out", help="folder to write the recording to")
    p.add_argument("--device", help="microphone name or number (default: the system's)")
    p.add_argument("--samplerate", type=int, default=16000)
    p.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    p.add_argument("--from-file", help="'record' an audio file instead of the microphone")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_record)

    def model_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--language", help="e.g. no, nn, en (default: detect)")
        p.add_argument("--model", default="base", help="model name or folder (default: base)")
        p.add_argument(
            "--engine", default="auto", choices=["auto", "faster-whisper", "openai-whisper"]
        )

    p = sub.add_parser("transcribe", help="transcribe an audio file")
    p.add_argument("audio")
    model_args(p)
    p.add_argument("--out", help="write .json, .vtt or .srt instead of printing")
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser(
        "import", help="import a recording made elsewhere into the project", parents=[on_project]
    )
    p.add_argument("audio")
    p.add_argument("--guide", required=True, help="guide file or bundled guide name")
    p.add_argument("--participant", required=True, help="participant code, e.g. I3")
    model_args(p)
    p.set_defaults(func=cmd_import)

    m = sub.add_parser("models", help="transcription models").add_subparsers(
        metavar="ACTION", required=True
    )
    p = m.add_parser("list", help="models available offline")
    p.set_defaults(func=cmd_models_list)
    p = m.add_parser("get", help="download a model by name (needs a network, once)")
    p.add_argument("name")
    p.set_defaults(func=cmd_models_get)

    p = sub.add_parser("export", help="export transcripts", parents=[on_project])
    p.add_argument("format", help="md, docx, txt, csv, srt, vtt, json, qdpx or member-check")
    p.add_argument("--out", help="output file or folder")
    p.add_argument("--participant", help="only this participant")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "list", help="list the project's interviews (read-only)", parents=[on_project]
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "purge", help="delete a participant's data, or everything", parents=[on_project]
    )
    p.add_argument("participant", nargs="?")
    p.add_argument("--all", action="store_true", help="delete all data of the project")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_purge)

    from tui.cli_more import add_commands

    add_commands(sub, guide_sub, on_project)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except KvaleError as exc:
        print(f"kvale: {exc.title}: {exc.sentence}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\nkvale: stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
