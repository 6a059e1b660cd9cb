"""The app, the demo, and the commands on a whole project: init, list, export, purge."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kvale_errors import KvaleError
from tui.commands.common import confirm, open_for_command


def cmd_app(args: argparse.Namespace) -> int:
    from tui.launch import run_app

    project = Path(args.project) if args.project else None
    return run_app(project)


def cmd_demo(args: argparse.Namespace) -> int:
    from tui.launch import run_app

    return run_app(None, demo=True)


def cmd_init(args: argparse.Namespace) -> int:
    from store import Project

    project = Project.init(Path(args.dir), name=args.name)
    print(f"Created a kvale project in {project.path}.")
    print(f"Start the app there with: kvale --project {project.path}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from store import lifecycle

    project = open_for_command(args, allow_expired=True)
    if args.all:
        if not args.yes and not confirm(
            f"Delete EVERY interview, transcript and recording in {project.path}?"
        ):
            print("Nothing was deleted.")
            return 1
        report = lifecycle.purge_all(project)
    else:
        if not args.participant:
            raise KvaleError("Name the participant to purge (for example `kvale purge I3`).")
        if not args.yes and not confirm(
            f"Delete everything about participant {args.participant} in {project.path}?"
        ):
            print("Nothing was deleted.")
            return 1
        report = lifecycle.purge_participant(project, args.participant)
    print(report.describe())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from store.corpus import corpus_from_project
    from store.exports import export_corpus

    project = open_for_command(args, read_only=True)  # works while the app is open
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
    project = open_for_command(args, read_only=True, allow_expired=True)
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
