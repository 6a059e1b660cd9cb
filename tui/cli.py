"""The `kvale` command: the app, and headless commands for scripting.

Every command prints a researcher's sentence on error (a `KvaleError`) and
exits non-zero; a traceback is a bug. Heavy modules (Whisper, Textual) are
imported only by the commands that need them, so `kvale guide check` is quick.
The commands themselves are in `tui.commands`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from kvale_errors import KvaleError
from tui.commands.audio import (
    cmd_devices,
    cmd_models_get,
    cmd_record,
    cmd_transcribe,
)
from tui.commands.common import EXIT_ERROR, EXIT_INTERRUPTED
from tui.commands.guides import cmd_guide_check, cmd_guide_list, cmd_guide_show
from tui.commands.importing import cmd_import
from tui.commands.models import cmd_models_calibrate, cmd_models_list
from tui.commands.project import (
    cmd_app,
    cmd_demo,
    cmd_export,
    cmd_init,
    cmd_list,
    cmd_purge,
)
from tui.people import DEFAULT_PEOPLE

log = logging.getLogger("kvale")


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
    p.add_argument(
        "--no-encryption",
        action="store_true",
        help="keep the data in plain files (only on a disk that is encrypted already)",
    )
    p.add_argument(
        "--language",
        choices=["en", "nb", "nn"],
        help="the project's language: the app speaks it and interviews default to it "
        "(default: the first interview's)",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="run a whole interview on the bundled sample")
    p.set_defaults(func=cmd_demo)

    guide_parser = sub.add_parser("guide", help="check and show interview guides")
    # "kvale guide" alone lists the bundled guides
    guide_parser.set_defaults(func=cmd_guide_list)
    g = guide_parser.add_subparsers(metavar="ACTION")
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
        "import",
        help="import recordings made elsewhere (files or folders) into the project",
        parents=[on_project],
    )
    p.add_argument(
        "audio",
        nargs="*",
        help="recordings or folders of recordings (none: go on with the import queue)",
    )
    p.add_argument("--guide", required=True, help="guide file or bundled guide name")
    p.add_argument(
        "--participant", help="participant code for one recording, e.g. I3 (default: file name)"
    )
    p.add_argument(
        "--participants", metavar="CSV", help="CSV with the columns file and participant"
    )
    p.add_argument(
        "--consent",
        action="store_true",
        help="the participant signed consent to the interview and its audio recording "
        "(recorded in the project; asked for when not given)",
    )
    p.add_argument("--consent-date", metavar="YYYY-MM-DD", help="the date the form was signed")
    p.add_argument(
        "--people",
        metavar="N",
        default=str(DEFAULT_PEOPLE),
        help="people in each interview, interviewer included: 2 (default) an individual "
        "interview, 3 a couple, 4-8 a small group; the voices are found with it",
    )
    model_args(p)
    p.set_defaults(func=cmd_import)

    m = sub.add_parser("models", help="transcription models").add_subparsers(
        metavar="ACTION", required=True
    )
    p = m.add_parser("list", help="models available offline, their speed here, a recommendation")
    p.add_argument("--language", help="recommend for this language only (nb, nn, en ...)")
    p.add_argument(
        "--no-measure",
        dest="measure",
        action="store_false",
        help="do not measure models not measured yet (show '-')",
    )
    p.set_defaults(func=cmd_models_list)
    p = m.add_parser("calibrate", help="measure a model's speed on this computer again")
    p.add_argument("name", nargs="?", help="model name (default: every model here)")
    p.set_defaults(func=cmd_models_calibrate)
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

    from tui.commands.names import add_commands as add_names_commands
    from tui.privacy_cli import add_commands as add_privacy_commands

    add_privacy_commands(sub, on_project)
    add_names_commands(sub, guide_sub, on_project)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # every file and folder kvale creates is the owner's alone, whatever the umask
    # (the store and the recorder also set 0600/0700 explicitly)
    os.umask(0o077)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from tui.commands.common import researcher_language
    from tui.i18n import _, error_text, set_language

    set_language(researcher_language())  # a project's command switches to its language
    try:
        return int(args.func(args))
    except KvaleError as exc:
        title, sentence = error_text(exc)
        print(f"kvale: {title}: {sentence}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\nkvale: " + _("stopped."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader left (`kvale guide show … | head`): no traceback; what is still
        # buffered goes nowhere (Python's documented recipe, "Note on SIGPIPE")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        set_language(None)


if __name__ == "__main__":
    sys.exit(main())
