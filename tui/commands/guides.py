"""`kvale guide check|show|list`, and reading a guide named on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kvale_errors import KvaleError
from tui.commands.common import EXIT_ERROR
from tui.i18n import N_, error_text, ngettext

if TYPE_CHECKING:
    from guide.model import Guide


def load_guide_arg(ref: str) -> Guide:
    """A guide file path, or the name of a bundled guide."""
    from guide.bundled import bundled_guides, load_bundled
    from guide.parser import load_guide

    path = Path(ref)
    if path.exists():
        return load_guide(path)
    names = [g.name for g in bundled_guides()]
    if ref in names:
        return load_bundled(ref)
    raise KvaleError.said(
        N_(
            "There is no guide file '{ref}'. Give the path of a guide file, or one of the "
            "bundled guides: {names}."
        ),
        title=N_("Interview guide problem"),
        ref=ref,
        names=", ".join(names),
    )


def cmd_guide_check(args: argparse.Namespace) -> int:
    from guide.parser import check_guide

    failed = 0
    for ref in args.files:
        try:
            guide = check_guide(Path(ref)) if Path(ref).exists() else load_guide_arg(ref)
        except KvaleError as exc:
            failed += 1
            print(f"✗ {error_text(exc)[1]}", file=sys.stderr)  # in the researcher's language
            continue
        n = sum(1 for _ in guide.questions())
        sections = ngettext("{n} section", "{n} sections", len(guide.sections)).format(
            n=len(guide.sections)
        )
        questions = ngettext("{n} question", "{n} questions", n).format(n=n)
        print(f"✓ {ref}: '{guide.title}', {sections}, {questions}")
    return EXIT_ERROR if failed else 0


def cmd_guide_show(args: argparse.Namespace) -> int:
    from guide.parser import format_outline

    print(format_outline(load_guide_arg(args.file)))
    return 0


def cmd_guide_list(args: argparse.Namespace) -> int:
    from guide.bundled import bundled_guides

    for g in bundled_guides():
        print(f"{g.name:<20} {g.language or '?':<4} {g.title}")
    return 0
