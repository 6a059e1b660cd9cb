"""`kvale import`: one recording, or several (files, folders) as one resumable queue."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvale_errors import KvaleError
from kvale_i18n import N_
from tui.commands.audio import count_words, removed_summary
from tui.commands.common import EXIT_ERROR, ProgressBar, open_for_command
from tui.commands.guides import load_guide_arg
from tui.i18n import _
from tui.people import parse_people

if TYPE_CHECKING:
    from guide.model import Guide
    from store import Project
    from store.model import Interview


def cmd_import(args: argparse.Namespace) -> int:
    """One recording (with --participant), or a queue of several (files or folders)."""
    if len(args.audio) == 1 and args.participant and not args.participants:
        return _import_one(args)
    return _import_queue(args)


def _import_one(args: argparse.Namespace) -> int:
    from tui import import_queue as q
    from tui.import_consent import ensure_import_consent
    from tui.session import import_recording

    people = parse_people(args.people)  # refused before the project is opened
    project = open_for_command(args)
    guide = load_guide_arg(args.guide)
    source = Path(args.audio[0])
    done = q.already_imported(project.path, source) if source.exists() else None
    if done is not None:
        # as a queue says it: one recording is one interview
        print(
            _(
                "kvale: {name} is already imported (interview {interview}, {participant}); "
                "nothing was imported. To import it again, delete that interview first."
            ).format(name=source.name, interview=done.interview, participant=done.participant)
        )
        return 0
    bar = ProgressBar(sys.stderr, _("Transcribing"))

    def progress(stage: str, fraction: float, eta: float | None) -> None:
        if stage == "transcribing":
            bar.update(fraction, eta)

    # the consent is recorded inside the import's operation: an import that fails or is
    # killed takes it back with it, and the project is as it was
    try:
        with project.operation("import", participant=args.participant):
            ensure_import_consent(project, args.participant, args.consent, args.consent_date)
            interview = import_recording(
                project,
                Path(args.audio[0]),
                guide,
                participant=args.participant,
                language=args.language,
                engine=args.engine,
                model=args.model,
                on_progress=progress,
                people=people,
            )
    finally:
        bar.close()
    q.record_imported(project.path, source, args.participant, interview.id)
    summary = count_words(interview.word_count)
    if interview.removed:
        removed = _("{removed}, listed on the confirm screen").format(
            removed=removed_summary(interview.removed)
        )
        summary += f"; {removed}"
    print(
        _("Imported {file} as interview {interview} ({summary}).").format(
            file=args.audio[0], interview=interview.id, summary=summary
        )
    )
    return 0


def _import_queue(args: argparse.Namespace) -> int:
    from tui import import_queue as q
    from tui.queue_view import queue_summary, retry_failed

    people = parse_people(args.people)
    project = open_for_command(args)
    guide = load_guide_arg(args.guide)
    named: set[tuple[Path, int, int]] | None = None  # None: resumed, every entry is this run's
    if args.audio:
        sources = q.expand_sources(args.audio)
        named = {q.file_key(s) for s in sources}
        codes = q.read_participants_csv(Path(args.participants)) if args.participants else None
        q.plan_queue(project.path, sources, participant=args.participant, participants=codes)
    elif not retry_failed(project.path):
        raise KvaleError.said(
            N_(
                "Name the recordings to import (files or a folder); the import queue has "
                "nothing left to do."
            ),
            title=N_("Import problem"),
        )
    entries = q.load_queue(project.path)
    for e in entries:
        # (of the recordings named in this run: earlier runs' entries stay in the queue)
        if e.status == q.DONE and (named is None or e.key in named):
            print(
                _("kvale: {name} is already imported (interview {interview}).").format(
                    name=e.name, interview=e.interview
                )
            )
    bar = ProgressBar(sys.stderr, _("Import queue"))

    def progress(done: float, total: float, eta: float | None, entry: Any) -> None:
        if total > 0:
            bar.update(done / total, eta)

    def finished(position: int, count: int, e: Any) -> None:
        if e.status == q.DONE:
            line = _(
                "[{position}/{count}] Imported {name} as interview {interview} ({participant})."
            )
        else:
            line = _("[{position}/{count}] Could not import {name}: {error}")
        line = line.format(
            position=position,
            count=count,
            name=e.name,
            interview=e.interview,
            participant=e.participant,
            error=e.error,
        )
        if bar.tty:
            bar.stream.write("\r\x1b[2K")
        print(line, flush=True)

    def import_with_consent(project: Project, path: Path, guide: Guide, **kw: Any) -> Interview:
        """One recording of the queue, with the consent it relies on recorded in the same
        operation (a recording without consent fails with the sentence; the others go on)."""
        from tui.import_consent import ensure_import_consent
        from tui.session import import_recording

        code = kw["participant"]
        with project.operation("import", participant=code):
            ensure_import_consent(project, code, args.consent, args.consent_date)
            return import_recording(project, path, guide, **kw)

    try:
        entries = q.run_queue(
            project,
            guide,
            importer=import_with_consent,
            language=args.language,
            engine=args.engine,
            model=args.model,
            on_progress=progress,
            on_entry=finished,
            rtf_hint=_rtf_hint(args.model),
            people=people,
        )
    finally:
        bar.close()
    print(_("Import queue: {summary}.").format(summary=queue_summary(entries)))
    return EXIT_ERROR if any(e.status == q.FAILED for e in entries) else 0


def _rtf_hint(model: str) -> float | None:
    """The model's RTF measured on this machine earlier, if any (no measuring here)."""
    try:
        from audio.calibrate import cached_speed
        from audio.models import resolve_model

        found = resolve_model(model, "auto")
        speed = cached_speed(model, found.size_bytes)
    except KvaleError:
        return None
    return speed.rtf if speed is not None else None
