"""The app, the demo, and the commands on a whole project: init, list, export, purge."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kvale_errors import KvaleError
from tui.commands.common import confirm, open_for_command, speak_project_language
from tui.i18n import N_, _, ngettext, status_text


def cmd_app(args: argparse.Namespace) -> int:
    from tui.launch import run_app

    project = Path(args.project) if args.project else None
    return run_app(project)


def cmd_demo(args: argparse.Namespace) -> int:
    from tui.launch import run_app

    return run_app(None, demo=True)


def cmd_init(args: argparse.Namespace) -> int:
    from store import Project
    from tui.privacy_cli import new_passphrase

    passphrase = None if args.no_encryption else new_passphrase()
    project = Project.init(Path(args.dir), name=args.name, passphrase=passphrase)
    if args.language:
        # the app's language and the default of each interview's (see tui.i18n)
        project.update_settings(language=args.language)
    speak_project_language(project)
    if passphrase is None:
        print(
            _(
                "The project is NOT encrypted (--no-encryption): keep it on an encrypted "
                "disk. `kvale encrypt` converts it later."
            )
        )
    else:
        print(
            _(
                "The project is encrypted: kvale asks for the passphrase once per session. "
                "Keep the passphrase safe: without it nobody, you included, can read the data."
            )
        )
    print(_("Created a kvale project in {folder}.").format(folder=project.path))
    print(
        _("Start the app there with: {command}").format(command=f"kvale --project {project.path}")
    )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from store import lifecycle, withdrawal
    from store.model import PurgeReport
    from tui.deletion_report import deletion_text
    from tui.import_queue import forget_participant

    project = open_for_command(args, allow_expired=True)
    report: PurgeReport | withdrawal.WithdrawalReport
    if args.all:
        if not args.yes and not confirm(
            _("Delete EVERY interview, transcript and recording in {folder}?").format(
                folder=project.path
            )
        ):
            print(_("Nothing was deleted."))
            return 1
        report = lifecycle.purge_all(project)
        forget_participant(project.path, None)  # the import queue names recordings too
    else:
        if not args.participant:
            raise KvaleError.said(
                N_("Name the participant to purge (for example `kvale purge I3`).")
            )
        if not args.yes and not confirm(
            _("Delete everything about participant {participant} in {folder}?").format(
                participant=args.participant, folder=project.path
            )
        ):
            print(_("Nothing was deleted."))
            return 1
        report = withdrawal.withdraw_or_purge(project, args.participant)
        forget_participant(project.path, args.participant)
    print(deletion_text(report))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from store.corpus import corpus_from_project
    from store.exports import export_corpus

    project = open_for_command(args, read_only=True)  # works while the app is open
    corpus = corpus_from_project(project)
    for iid, sentence in sorted(corpus.only(args.participant).damaged.items()):
        print(
            "kvale: "
            + _("interview {interview} is damaged and left out: {reason}").format(
                interview=iid, reason=sentence
            ),
            file=sys.stderr,
        )
    paths = export_corpus(
        corpus,
        args.format,
        Path(args.out) if args.out else None,
        participant=args.participant,
    )
    for p in paths:
        print(_("Wrote {file}").format(file=p))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """The project's interviews (read-only: works while the app is open)."""
    project = open_for_command(args, read_only=True, allow_expired=True)
    rows = project.interviews()
    if not rows:
        print(_("The project has no interviews yet."))
    for s in rows:
        minutes = _("{minutes} min").format(minutes=f"{s.duration / 60:5.1f}")
        status = status_text("damaged" if s.id in project.damaged else s.status)
        words = ngettext("{n} word", "{n} words", s.words).format(n=f"{s.words:>7}")
        print(f"{s.id:<28} {s.participant:<8} {s.date or '-':<10} {minutes} {words}  {status}")
    for iid, sentence in sorted(project.damaged.items()):
        print(
            "kvale: "
            + _("interview {interview} is damaged: {reason}").format(
                interview=iid, reason=sentence
            ),
            file=sys.stderr,
        )
    return 0
