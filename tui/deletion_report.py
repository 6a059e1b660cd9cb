"""What a purge or a withdrawal deleted, in the researcher's language.

The consent form promises that a participant who withdraws is deleted; the
researcher reads here what went, what stays (the others' words in a couple's
interview), and what kvale cannot reach (exports written outside the project,
the imported recording a phone still holds). `deletion_text` turns the store's
`PurgeReport` or `WithdrawalReport` into those sentences, for the command line
(`kvale purge`) and the app's notification.
"""

from __future__ import annotations

from kvale_i18n import format_int
from store.model import PurgeReport, WithdrawalReport
from tui.i18n import _, current_language, ngettext


def deletion_text(report: PurgeReport | WithdrawalReport) -> str:
    """The report as sentences: one paragraph, then any files the researcher must delete
    by hand, one per line (indented)."""
    if isinstance(report, WithdrawalReport):
        return _withdrawal(report)
    return _purge(report)


def _purge(report: PurgeReport) -> str:
    n = len(report.interviews)
    if report.code == "*":
        head = ngettext(
            "Deleted {n} interview of every participant.",
            "Deleted {n} interviews of every participant.",
            n,
        ).format(n=n)
    else:
        head = ngettext(
            "Deleted {n} interview of participant {code}.",
            "Deleted {n} interviews of participant {code}.",
            n,
        ).format(n=n, code=report.code)
    sentences = [head, _files(report.files, report.bytes)]
    if report.codebook_items:
        sentences.append(
            ngettext(
                "{n} coded span or note deleted.",
                "{n} coded spans or notes deleted.",
                report.codebook_items,
            ).format(n=report.codebook_items)
        )
    sentences += _lists_and_exports(report.list_entries, report.exports_removed)
    text = " ".join(sentences)
    if not report.outside_exports:
        return text + " " + _("kvale knows of no export of theirs outside the project folder.")
    return text + _outside(report.outside_exports)


def _withdrawal(report: WithdrawalReport) -> str:
    n = len(report.interviews)
    sentences = [
        ngettext(
            "Deleted what participant {code} said in {n} interview:",
            "Deleted what participant {code} said in {n} interviews:",
            n,
        ).format(code=report.code, n=n),
        ngettext("{n} word.", "{n} words.", report.words).format(
            n=format_int(report.words, current_language())
        ),
    ]
    if report.passages:
        sentences.append(
            ngettext(
                "{n} passage was theirs alone and was deleted whole.",
                "{n} passages were theirs alone and were deleted whole.",
                report.passages,
            ).format(n=report.passages)
        )
    if report.files:
        sentences.append(_files(report.files, report.bytes))
    if report.codebook_items:
        sentences.append(
            ngettext(
                "{n} coded span on their words deleted.",
                "{n} coded spans on their words deleted.",
                report.codebook_items,
            ).format(n=report.codebook_items)
        )
    sentences += _lists_and_exports(report.list_entries, report.exports_removed)
    sentences.append(_("What the others said is kept, and they keep their numbers."))
    if report.others_words:
        sentences.append(
            ngettext(
                "{n} of the words was in another speaker's passage (the recording gave it "
                "their voice): read that passage on the review screen.",
                "{n} of the words were in another speaker's passage (the recording gave them "
                "their voice): read those passages on the review screen.",
                report.others_words,
            ).format(n=report.others_words)
        )
    if report.unknown:
        sentences.append(
            ngettext(
                "{n} passage has no known speaker and was kept: check on the review screen "
                "that it is not theirs.",
                "{n} passages have no known speaker and were kept: check on the review screen "
                "that none of them is theirs.",
                report.unknown,
            ).format(n=report.unknown)
        )
    text = " ".join(sentences)
    for interview in report.imported:
        text += "\n" + _(
            "kvale keeps no recording of {interview} (it was imported): the recording it came "
            "from still holds their voice. Delete it (and any copies)."
        ).format(interview=interview)
    return text + _outside(report.outside_exports)


def _files(files: int, size: int) -> str:
    return ngettext(
        "{n} recording file deleted ({bytes} bytes).",
        "{n} recording files deleted ({bytes} bytes).",
        files,
    ).format(n=files, bytes=format_int(size, current_language()))


def _lists_and_exports(list_entries: int, exports_removed: int) -> list[str]:
    sentences = []
    if list_entries:
        sentences.append(
            ngettext(
                "{n} name deleted from the project's name lists.",
                "{n} names deleted from the project's name lists.",
                list_entries,
            ).format(n=list_entries)
        )
    if exports_removed:
        sentences.append(
            ngettext(
                "{n} export file deleted (make it again with kvale export).",
                "{n} export files deleted (make them again with kvale export).",
                exports_removed,
            ).format(n=exports_removed)
        )
    return sentences


def _outside(paths: tuple[str, ...]) -> str:
    if not paths:
        return ""
    told = _(
        "kvale wrote these exports outside the project; they hold what was deleted here, and "
        "kvale cannot delete them for you. Delete them (and any copies):"
    )
    return "\n" + told + "".join(f"\n  {path}" for path in paths)
