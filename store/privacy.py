"""What the consent form promises, in code: pseudonymous codes, withdrawal that leaves
nothing, exports outside the project listed, the end date kept in view.

* `check_pseudonym`: a participant code that looks like a name is refused with a
  sentence (``Kari_Nordmann``, ``kari``); codes are letters-and-digits pseudonyms.
* `purge_lists`: on withdrawal, the names in the redaction list and the words in the
  codebook's "not a name" list that come from the participant's interviews only.
* `record_outside_export` / `outside_exports` / `forget_outside_exports`: every export
  written outside the project folder is listed in ``exports-outside.jsonl`` (sealed lines
  in an encrypted project), so a withdrawal and the end of the project can name the files
  the researcher must delete by hand; the withdrawn participant's code leaves the list.
* `end_date_reminder`: a sentence when the end date is near or past.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvale_errors import StoreError
from kvale_i18n import N_, translator
from store import crypto
from store.redaction import redactions_from_setting
from store.storage import atomic_write, complete_lines, fsync_dir

if TYPE_CHECKING:
    from store.model import Interview

OUTSIDE_EXPORTS = "exports-outside.jsonl"
#: days before the end date from which kvale reminds the researcher at every open
REMIND_DAYS = 30

# a run of three or more letters with a lower-case letter in it reads as a word or a
# name ("Kari", "nordmann", "Ola"), and so does a run of four or more in capitals
# ("KARI", "NORDMANN"); pseudonyms are short capitals and digits: I3, WX7, P-07, INT12
_WORDLIKE = re.compile(r"[^\W\d_]*[a-zæøåäöü][^\W\d_]*", re.UNICODE)
_CAPITALS_WORD = 4


# letters of any alphabet (Ø2, Å1), digits, - and _: one word, safe as a file name
CODE_RE = re.compile(r"^[^\W_][\w-]{0,39}$")


def check_code(code: str) -> str:
    """``code`` stripped, if it can be a participant code.

    Raises:
        StoreError: it cannot (the sentence says what a code may hold), or it looks like
            a name (`store.privacy.check_pseudonym`).
    """
    code = unicodedata.normalize("NFC", code.strip())
    if not CODE_RE.match(code):
        raise StoreError.said(
            N_(
                "'{code}' cannot be a participant code: a code is one word of up to 40 "
                "letters and digits (- and _ allowed inside), such as I3 or Ø2, never the "
                "participant's name."
            ),
            code=code,
        )
    return check_pseudonym(code)


def check_pseudonym(code: str) -> str:
    """``code`` if it reads as a pseudonym.

    Raises:
        StoreError: the code contains a word of three or more letters with small letters
            in it, or of four or more capitals (it may be a name).
    """
    for run in re.findall(r"[^\W\d_]+", code):
        if len(run) >= _CAPITALS_WORD or (len(run) >= 3 and _WORDLIKE.fullmatch(run)):
            raise StoreError.said(
                N_(
                    "'{code}' looks like a name or a word, and a participant code must not "
                    "identify anyone. Use a pseudonym of capitals and digits such as I3 or "
                    "P-07, and keep the name ↔ code key apart from the project."
                ),
                title=N_("Not a pseudonym"),
                code=code,
            )
    return code


# --- the participant's words, to purge the project's lists ----------------------------


def interview_words(interview: Interview) -> set[str]:
    """Every word (case-folded) in an interview's transcript, passages, removals and notes."""
    texts: list[str] = [s.text for s in interview.segments]
    texts += [p.text for p in interview.passages]
    texts += [r.text for r in interview.removed]
    texts += [m.text or "" for m in interview.markers]
    found: set[str] = set()
    for text in texts:
        found.update(w.casefold() for w in re.findall(r"\w+", text))
    return found


def _occurs(entry: str, words: set[str]) -> bool:
    parts = [w.casefold() for w in re.findall(r"\w+", entry)]
    # "Karis" (possessive) counts as "Kari"
    return bool(parts) and all(p in words or p + "s" in words for p in parts)


def purge_lists(
    redaction_names: list[Any],
    not_names: list[str],
    theirs: set[str],
    others: set[str],
) -> tuple[list[Any], list[str], int]:
    """Drop the list entries that come from the withdrawn participant only.

    An entry is theirs when all its words occur in their interviews and not all of them
    in anyone else's (a name other participants mention stays: removing it would show it
    in their exports). Returns (redaction names kept, not-names kept, entries removed).
    """
    kept_names = []
    removed = 0
    for item, red in zip(
        redaction_names, redactions_from_setting(list(redaction_names)), strict=False
    ):
        if _occurs(red.name, theirs) and not _occurs(red.name, others):
            removed += 1
        else:
            kept_names.append(item)
    kept_words = []
    for word in not_names:
        if _occurs(word, theirs) and not _occurs(word, others):
            removed += 1
        else:
            kept_words.append(word)
    return kept_names, kept_words, removed


# --- exports written outside the project ------------------------------------------------


@dataclass(frozen=True)
class OutsideExport:
    path: str
    when: str
    format: str
    participants: tuple[str, ...]


def _registry(root: Path) -> Path:
    return Path(root) / OUTSIDE_EXPORTS


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def record_outside_export(
    root: Path, paths: Iterable[Path], fmt: str, participants: Iterable[str]
) -> list[Path]:
    """List exported files that lie outside the project (appended, fsynced, 0600).

    Returns the paths recorded (those outside the project).
    """
    root = Path(root)
    outside = [Path(p).absolute() for p in paths if not _inside(Path(p), root)]
    if not outside:
        return []
    cipher = crypto.cipher_for(root)
    when = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    lines = []
    for p in outside:
        line = json.dumps(
            {"path": str(p), "when": when, "format": fmt, "participants": sorted(participants)},
            ensure_ascii=False,
        )
        lines.append((cipher.seal_line(line) if cipher else line) + "\n")
    registry = _registry(root)
    try:
        fd = os.open(registry, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, "".join(lines).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError.said(
            N_(
                "The export was written, but kvale could not list it in {registry} ({reason}). "
                "Note where it is: a withdrawal must remove it by hand."
            ),
            registry=registry,
            reason=exc.strerror or exc,
        ) from exc
    return outside


def outside_exports(root: Path) -> list[OutsideExport]:
    """Every export written outside the project that kvale knows of, oldest first."""
    registry = _registry(Path(root))
    try:
        raw = registry.read_bytes()
    except FileNotFoundError:
        return []
    cipher = crypto.cipher_for(root)
    found = []
    for line in complete_lines(raw, str(registry)):
        text = cipher.open_line(line, str(registry)) if cipher else line
        try:
            d = json.loads(text)
            found.append(
                OutsideExport(
                    str(d["path"]),
                    str(d["when"]),
                    str(d.get("format", "")),
                    tuple(str(c) for c in d.get("participants", [])),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue  # a foreign line: not ours to act on
    return found


def forget_outside_exports(root: Path, code: str | None) -> list[OutsideExport]:
    """The outside exports holding ``code``'s data (None: everyone's), for the researcher
    to delete; the participant's code leaves the list (an entry of theirs alone, or whose
    file name holds the code, leaves it altogether). Call under the exports lock."""
    root = Path(root)
    entries = outside_exports(root)
    if not entries:
        return []
    theirs = [e for e in entries if code is None or code in e.participants]
    keep = []
    for e in entries:
        if code is None:
            continue
        if code in e.participants:
            rest = tuple(c for c in e.participants if c != code)
            if not rest or code in Path(e.path).name:
                continue  # theirs alone, or named after them: listed in the report, then gone
            e = OutsideExport(e.path, e.when, e.format, rest)
        keep.append(e)
    cipher = crypto.cipher_for(root)
    lines = []
    for e in keep:
        line = json.dumps(
            {"path": e.path, "when": e.when, "format": e.format, "participants": e.participants},
            ensure_ascii=False,
        )
        lines.append((cipher.seal_line(line) if cipher else line) + "\n")
    registry = _registry(root)
    if lines:
        atomic_write(registry, "".join(lines))
    else:
        registry.unlink(missing_ok=True)
        fsync_dir(root)
    return theirs


# --- the end date ---------------------------------------------------------------------


_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")


def parse_date(text: str) -> dt.date:
    """A date as researchers write it: YYYY-MM-DD, or DD.MM.YYYY (as in Norway, where
    the consent form is dated 31.12.2027; D.M.YYYY too).

    Raises:
        StoreError: not a date in either form (the sentence says so; nothing changed).
    """
    text = text.strip()
    try:
        dotted = _DOTTED.match(text)
        if dotted:
            day, month, year = (int(x) for x in dotted.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise StoreError.said(
            N_(
                "'{text}' is not a date: write it as YYYY-MM-DD or DD.MM.YYYY (for "
                "example 2027-06-30 or 30.06.2027). Nothing was changed."
            ),
            title=N_("Not a date"),
            text=text,
        ) from exc


def parse_end_date(text: str, today: dt.date | None = None) -> dt.date:
    """The project's end date (`parse_date`), today or later: on a date in the past the
    data would have to be deleted already, and kvale would no longer open the project.

    Raises:
        StoreError: not a date, or one that has passed (nothing changed).
    """
    end = parse_date(text)
    if end < (today or dt.date.today()):
        raise StoreError.said(
            N_(
                "{date} has passed: after the end date the data must be deleted, so kvale "
                "takes only today or a later date. Nothing was changed. To delete the "
                "data now, run kvale purge --all."
            ),
            title=N_("The end date has passed"),
            date=end.isoformat(),
        )
    return end


def end_date_reminder(
    project: Any, today: dt.date | None = None, language: str | None = None
) -> str | None:
    """A sentence, in ``language`` (nb, nn; English by default), when the project's end
    date is within `REMIND_DAYS` days (or past).

    ``project``: a `store.Project` (its ``settings.end_date`` and ``path``).
    """
    end = project.settings.end_date
    if end is None:
        return None
    days = (end - (today or dt.date.today())).days
    if days > REMIND_DAYS:
        return None
    say = translator(language)
    if days < 0:
        return say.gettext(
            "The project's end date ({date}) has passed: delete its personal data with "
            "`kvale purge --all --project {folder}`."
        ).format(date=end.isoformat(), folder=project.path)
    when = (
        say.gettext("today")
        if days == 0
        else say.ngettext("in {n} day", "in {n} days", days).format(n=days)
    )
    return say.gettext(
        "The project ends {when} ({date}): its personal data must then be deleted "
        "(`kvale purge --all`). If your approval was extended, change the date with "
        "`kvale project set end-date YYYY-MM-DD`."
    ).format(when=when, date=end.isoformat())
