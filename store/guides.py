"""The researcher's own guides, kept in the project folder (``<project>/guides/*.md``).

`project_guides` lists them (each parsed, so a broken file is reported, not offered);
`add_guide` checks a guide file as ``kvale guide check`` does and copies it in.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from guide.model import Guide
from guide.parser import check_guide, load_guide
from kvale_errors import GuideError, StoreError
from kvale_i18n import N_

FOLDER = "guides"
SUFFIX = ".md"


@dataclass(frozen=True)
class ProjectGuide:
    """A guide file in the project folder.

    Attributes:
        name: the file name without ``.md`` ("my-guide").
        path: the file.
        guide: the parsed guide, or None when the file does not parse.
        problem: why it does not parse (the parser's sentence), else "".
    """

    name: str
    path: Path
    guide: Guide | None
    problem: str = ""

    @property
    def title(self) -> str:
        return self.guide.title if self.guide is not None else self.name

    @property
    def language(self) -> str | None:
        return self.guide.language if self.guide is not None else None


def guides_dir(project_dir: Path) -> Path:
    return Path(project_dir) / FOLDER


def project_guides(project_dir: Path) -> list[ProjectGuide]:
    """The guide files of a project, sorted by name (none when it has no ``guides/``)."""
    folder = guides_dir(project_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        try:
            found.append(ProjectGuide(path.stem, path, load_guide(path)))
        except GuideError as exc:
            found.append(ProjectGuide(path.stem, path, None, exc.sentence))
    return found


def load_project_guide(project_dir: Path, name: str) -> Guide:
    """The project's guide called ``name``.

    Raises:
        GuideError: there is no such file, or it does not parse (with its line).
    """
    path = guides_dir(project_dir) / f"{name}{SUFFIX}"
    if not path.is_file():
        raise GuideError.said(
            N_("the project has no guide called '{name}' (looked for {where})"),
            name=name,
            where=str(path),
        )
    return load_guide(path)


def add_guide(project_dir: Path, source: Path, *, replace: bool = False) -> ProjectGuide:
    """Check a guide file and copy it into the project's ``guides/`` folder.

    Args:
        project_dir: the project folder.
        source: the guide file (Markdown, UTF-8).
        replace: overwrite a different guide of the same file name.

    Returns:
        The copied guide.

    Raises:
        GuideError: the file does not pass ``kvale guide check`` (nothing is copied).
        StoreError: a different guide of that name is already there (and not ``replace``),
            or the folder cannot be written.
    """
    source = Path(source)
    guide = check_guide(source)
    folder = guides_dir(project_dir)
    target = folder / (source.stem + SUFFIX)
    if target.exists() and target.resolve() == source.resolve():
        return ProjectGuide(target.stem, target, guide)
    if target.exists() and not replace:
        if target.read_bytes() == source.read_bytes():
            return ProjectGuide(target.stem, target, guide)
        raise StoreError.said(
            N_(
                "The project already has a different guide called '{name}'. Rename your "
                "file, or add --replace to put the new version in its place."
            ),
            name=target.name,
        )
    try:
        folder.mkdir(exist_ok=True)
        tmp = target.with_suffix(".md.tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    except OSError as exc:
        raise StoreError.said(
            N_(
                "The guide could not be copied into {folder} ({reason}). Check that the "
                "project folder is writable."
            ),
            folder=folder,
            reason=exc.strerror or exc,
        ) from exc
    return ProjectGuide(target.stem, target, guide)
