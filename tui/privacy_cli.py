"""The CLI's side of the consent form's promises: passphrases, `kvale encrypt`,
`kvale project set end-date`, reminders.

Unlock once per process: the first command that meets an encrypted project asks for
the passphrase (``KVALE_PASSPHRASE`` for scripts), `store.crypto.unlock` keeps the key
in memory, and every later open in the same process finds it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from kvale_errors import KvaleError
from tui.i18n import N_, _, error_text

T = TypeVar("T")

ATTEMPTS = 3


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        from store.crypto import PASSPHRASE_ENV

        raise KvaleError.said(
            N_(
                "kvale needs the project's passphrase and is not running in a terminal: set "
                "{variable} for scripts."
            ),
            title=N_("Passphrase needed"),
            variable=PASSPHRASE_ENV,
        )
    return getpass.getpass(prompt)


def new_passphrase() -> str:
    """A passphrase for a new encrypted project: KVALE_PASSPHRASE, or asked twice."""
    from store.crypto import PASSPHRASE_ENV, check_passphrase

    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return check_passphrase(env)
    for _attempt in range(ATTEMPTS):
        first = _ask(_("New passphrase for the project (8 characters or more): "))
        try:
            check_passphrase(first)
        except KvaleError as exc:
            print(f"kvale: {error_text(exc)[1]}", file=sys.stderr)
            continue
        if _ask(_("The same passphrase again: ")) == first:
            return first
        print("kvale: " + _("the two passphrases differ; try again."), file=sys.stderr)
    raise KvaleError.said(
        N_("No passphrase was set; nothing was changed."), title=N_("Passphrase needed")
    )


def unlocked(path: Path, open_: Callable[[], T]) -> T:
    """``open_()``, asking for the passphrase if the project at ``path`` is locked."""
    from store import crypto

    try:
        return open_()
    except crypto.ProjectLocked:
        pass
    for attempt in range(ATTEMPTS):
        try:
            crypto.unlock(path, _ask(_("Passphrase for {name}: ").format(name=Path(path).name)))
        except crypto.WrongPassphrase as exc:
            if attempt == ATTEMPTS - 1:
                raise
            print(f"kvale: {error_text(exc)[1]}", file=sys.stderr)
            continue
        return open_()
    raise AssertionError("unreachable")


def print_reminder(project: Any) -> None:
    from store.privacy import end_date_reminder
    from tui.i18n import current_language

    sentence = end_date_reminder(project, language=current_language())
    if sentence:
        print(f"kvale: {sentence}", file=sys.stderr)


# --- commands -------------------------------------------------------------------------


def _project_dir(args: argparse.Namespace) -> Path:
    return (Path(args.project) if args.project else Path.cwd()).expanduser().absolute()


def cmd_encrypt(args: argparse.Namespace) -> int:
    from store import crypto
    from tui.encrypt import encrypt_project

    root = _project_dir(args)
    if crypto.is_encrypted(root) and crypto.read_keys(root).converting:
        passphrase = os.environ.get(crypto.PASSPHRASE_ENV) or _ask(
            _("Passphrase for {name} (to finish encrypting it): ").format(name=root.name)
        )
    else:
        passphrase = new_passphrase()
    done = encrypt_project(root, passphrase)
    print(
        f"Encrypted the project {root}: {done.files} document(s) and export(s), "
        f"{done.lines_files} log(s), {done.chunks} recording chunk(s). From now on kvale asks "
        "for the passphrase once per session; without it nothing in the folder can be read. "
        "Copies of the plain files from before may remain in the disk's free space and in "
        "backups: delete old backups, and use full-disk encryption to be sure."
    )
    return 0


def cmd_project_set(args: argparse.Namespace) -> int:
    from store import Project
    from store.privacy import parse_end_date
    from tui.i18n import current_language, use_project_language

    if args.setting != "end-date":
        raise KvaleError.said(
            N_("kvale has no project setting '{setting}' (try end-date)."), setting=args.setting
        )
    root = _project_dir(args)
    project = unlocked(root, lambda: Project.open(root, allow_expired=True))
    use_project_language(project, current_language())  # speaks the project's language
    try:
        end = parse_end_date(args.value)
        old = project.settings.end_date
        project.update_settings(end_date=end)
    finally:
        project.close()
    if old:
        print(
            _("The project's end date is now {date} (was {old}).").format(
                date=end.isoformat(), old=old.isoformat()
            )
        )
    else:
        print(_("The project's end date is now {date}.").format(date=end.isoformat()))
    return 0


def cmd_project_show(args: argparse.Namespace) -> int:
    from store import Project, crypto
    from store.privacy import outside_exports
    from tui.i18n import current_language, use_project_language

    root = _project_dir(args)
    project = unlocked(root, lambda: Project.open(root, read_only=True, allow_expired=True))
    use_project_language(project, current_language())  # speaks the project's language
    settings = project.settings
    end = settings.end_date.isoformat() if settings.end_date else _("not set")
    if crypto.is_encrypted(root):
        encrypted = _("yes (AES-256-GCM, passphrase through scrypt)")
    else:
        encrypted = _("no (plain files)")
    outside = outside_exports(root)
    rows = [
        (_("Project:"), f"{project.name} ({root})"),
        (_("End date:"), end),
        (_("Encrypted:"), encrypted),
        (_("Exports outside the project:"), str(len(outside))),
    ]
    width = max(len(label) for label, _value in rows[:3]) + 3
    for label, value in rows:
        print(f"{label:<{width}}{value}" if len(label) < width else f"{label} {value}")
    for e in outside:
        print(f"  {e.path}  ({e.format}, {e.when[:10]})")
    print_reminder(project)
    return 0


def add_commands(sub: Any, on_project: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "encrypt",
        help="encrypt an existing project (asks for a new passphrase)",
        parents=[on_project],
    )
    p.set_defaults(func=cmd_encrypt)
    proj = sub.add_parser("project", help="the project's settings").add_subparsers(
        dest="project_command", required=True
    )
    p = proj.add_parser("set", help="change a setting: end-date YYYY-MM-DD", parents=[on_project])
    p.add_argument("setting", choices=["end-date"])
    p.add_argument("value", metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_project_set)
    p = proj.add_parser(
        "show", help="end date, encryption, exports outside the project", parents=[on_project]
    )
    p.set_defaults(func=cmd_project_show)
