"""`kvale names` (the redaction list) and `kvale guide add` (a guide into the project).

Registered on the parser by `tui.cli.build_parser` through `add_commands`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.i18n import _


def _open(args: argparse.Namespace, *, read_only: bool = False) -> Any:
    """The project, as every command opens it: the passphrase asked for, the project's
    language spoken, what an interrupted kvale left reported."""
    from tui.commands.common import open_for_command

    return open_for_command(args, read_only=read_only)


def cmd_names_list(args: argparse.Namespace) -> int:
    from store.names import list_names

    project = _open(args, read_only=True)
    names = list_names(project)
    if not names:
        print(_("No names to redact yet. Add one with: kvale names add NAME"))
    for r in names:
        print(f"{r.name} → {_(r.placeholder)}")
    return 0


def cmd_names_add(args: argparse.Namespace) -> int:
    from store.names import add_name

    project = _open(args)
    try:
        for entry in args.names:
            r = add_name(project, entry)
            print(
                _("'{name}' will be written as {placeholder} in every export.").format(
                    name=r.name, placeholder=_(r.placeholder)
                )
            )
    finally:
        project.close()
    return 0


def cmd_names_remove(args: argparse.Namespace) -> int:
    from store.names import remove_name

    project = _open(args)
    try:
        for name in args.names:
            r = remove_name(project, name)
            print(_("'{name}' is no longer redacted.").format(name=r.name))
    finally:
        project.close()
    return 0


def cmd_guide_add(args: argparse.Namespace) -> int:
    from store.guides import add_guide

    project = _open(args, read_only=True)  # a kvale project (or the sentence why not)
    project.close()  # its language is spoken from here on
    added = add_guide(project.path, Path(args.file), replace=args.replace)
    print(
        _("✓ '{title}' is in the project as {path}; choose it in the new-interview form.").format(
            title=added.title, path=added.path
        )
    )
    return 0


def add_commands(sub: Any, guide_sub: Any, on_project: argparse.ArgumentParser) -> None:
    """Add `names list|add|remove` to ``sub`` and `guide add` to ``guide_sub``."""
    p = guide_sub.add_parser(
        "add", help="check a guide file and copy it into the project", parents=[on_project]
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help="replace a guide of the same name")
    p.set_defaults(func=cmd_guide_add)

    n = sub.add_parser("names", help="the names to redact in exports").add_subparsers(
        metavar="ACTION", required=True
    )
    p = n.add_parser("list", help="list the names to redact", parents=[on_project])
    p.set_defaults(func=cmd_names_list)
    p = n.add_parser("add", help="add names (NAME or NAME=[placeholder])", parents=[on_project])
    p.add_argument("names", nargs="+", metavar="NAME")
    p.set_defaults(func=cmd_names_add)
    p = n.add_parser("remove", help="stop redacting names", parents=[on_project])
    p.add_argument("names", nargs="+", metavar="NAME")
    p.set_defaults(func=cmd_names_remove)
