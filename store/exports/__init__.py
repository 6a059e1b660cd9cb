"""Exports: hand the interviews to the tools of the field; every export is redacted.

``export_project(project, fmt, out, participant=...)`` is what the CLI
(``kvale export FORMAT``) and the app call. Formats: md, txt, member-check,
csv, informants, json, srt, vtt, docx, qdpx. By default files go to
``<project>/exports/<format>/``, inside the project folder.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kvale_errors import StoreError
from kvale_i18n import N_
from store.corpus import Corpus, corpus_from_project

log = logging.getLogger(__name__)

Writer = Callable[[Corpus, Path | None, Path], list[Path]]


def _writers() -> dict[str, Writer]:
    from store.exports import docx, qdpx, subtitles, tabular, text

    return {
        "md": text.export_markdown,
        "txt": text.export_txt,
        "member-check": text.export_member_check,
        "csv": tabular.export_csv,
        "informants": tabular.export_informants,
        "json": tabular.export_json,
        "srt": lambda c, o, d: subtitles.export_subtitles(c, o, d, "srt"),
        "vtt": lambda c, o, d: subtitles.export_subtitles(c, o, d, "vtt"),
        "docx": docx.export_docx,
        "qdpx": qdpx.export_qdpx,
    }


FORMATS = ("md", "txt", "member-check", "csv", "informants", "json", "srt", "vtt", "docx", "qdpx")
_ALIASES = {"markdown": "md", "text": "txt", "webvtt": "vtt", "word": "docx", "refi": "qdpx"}


def export_corpus(
    corpus: Corpus, fmt: str, out: Path | None = None, *, participant: str | None = None
) -> list[Path]:
    """Export a `Corpus` (see `export_project`)."""
    key = _ALIASES.get(fmt.lower().lstrip("."), fmt.lower().lstrip("."))
    if key not in FORMATS:
        raise StoreError.said(
            N_("kvale cannot export '{format}'. Choose one of: {formats}."),
            title=N_("Export problem"),
            format=fmt,
            formats=", ".join(FORMATS),
        )
    chosen = corpus.only(participant)
    if not chosen.interviews:
        known = ", ".join(sorted({i.participant for i in corpus.interviews})) or "—"
        if participant:
            raise StoreError.said(
                N_(
                    "There are no interviews of participant '{participant}' to export "
                    "(participants: {known})."
                ),
                title=N_("Export problem"),
                participant=participant,
                known=known,
            )
        raise StoreError.said(
            N_("There are no interviews in this project to export yet."),
            title=N_("Export problem"),
        )
    base = corpus.path if corpus.path is not None else Path.cwd()
    default_dir = base / "exports" / key
    try:
        if out is None and corpus.path is not None:
            paths = _export_staged(chosen, key, corpus.path)
        else:
            paths = _writers()[key](chosen, out, default_dir)
    except OSError as exc:
        staged = out is None and corpus.path is not None
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        template = _OS_FAILURE[(full, staged)]
        raise StoreError.said(
            template, title=N_("Export problem"), format=key, problem=exc.strerror or exc
        ) from exc
    if out is not None and corpus.path is not None:
        _list_outside(corpus.path, paths, key, {i.participant for i in chosen.interviews})
    log.info("exported %s: %d file(s)", key, len(paths))
    return paths


def _list_outside(project_dir: Path, paths: list[Path], key: str, who: set[str]) -> None:
    """Exports outside the project are listed there, for withdrawals to name them."""
    from store import privacy
    from store.lock import exports_lock

    if not (project_dir / "kvale-project.json").exists():
        return
    with exports_lock(project_dir):
        privacy.record_outside_export(project_dir, paths, key, who)


#: (disk full, written through the project's staging folder) -> what the researcher reads
_OS_FAILURE = {
    (True, True): N_(
        "The disk is full: the {format} export could not be written ({problem}). The "
        "project's exports folder is as it was. Free some space and export again."
    ),
    (True, False): N_(
        "The disk is full: the {format} export could not be written ({problem}). Files "
        "written before the failure may be in the folder. Free some space and export again."
    ),
    (False, True): N_(
        "The {format} export could not be written ({problem}). The project's exports "
        "folder is as it was. Check that the folder exists, is writable, and the disk is "
        "not full."
    ),
    (False, False): N_(
        "The {format} export could not be written ({problem}). Files written before the "
        "failure may be in the folder. Check that the folder exists, is writable, and the "
        "disk is not full."
    ),
}


def _export_staged(corpus: Corpus, key: str, project_dir: Path) -> list[Path]:
    """Into ``<project>/exports/<key>/``, all or nothing (see `store.exports.staging`)."""
    from store.exports import staging
    from store.lock import exports_lock

    exports = project_dir / "exports"
    with exports_lock(project_dir):
        staging.recover(exports)
        with staging.staged(exports, key) as folder:
            written = _writers()[key](corpus, None, folder)
        return [exports / key / p.relative_to(folder) for p in written]


def export_project(
    project: Any, fmt: str, out: Path | None, *, participant: str | None = None
) -> list[Path]:
    """Export a project in one format; returns the files written.

    Args:
        project: an open `store.Project`.
        fmt: one of `FORMATS` (md, txt, member-check, csv, informants, json, srt,
            vtt, docx, qdpx).
        out: a file or folder to write to (default ``<project>/exports/<fmt>/``).
        participant: only this participant's interviews.

    Raises:
        StoreError: unknown format, no interviews, or the files cannot be written.
    """
    corpus = corpus_from_project(project)
    return export_corpus(corpus, fmt, out, participant=participant)
