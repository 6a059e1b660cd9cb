"""The guides that ship with kvale, as package data.

- ``nav-trivsel-nb``: the interview guide of the master's thesis kvale was
  designed around (appendix 3), in Norwegian bokmål, questions verbatim;
- ``nav-trivsel-en``: its English translation, with the same ids;
- ``example-en``: a short English guide that shows every part of the format.

They are read with `importlib.resources`, so they work from an installed
package as well as from the source tree.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from guide.model import Guide
from guide.parser import parse_guide
from kvale_errors import N_, GuideError

logger = logging.getLogger(__name__)

_SUFFIX = ".md"


@dataclass(frozen=True)
class BundledGuide:
    """One bundled guide: its name, where it lives, and what it is."""

    name: str  # "nav-trivsel-nb": what `load_bundled` takes
    resource: Traversable  # the file inside the package
    title: str
    language: str | None

    @property
    def filename(self) -> str:
        return self.name + _SUFFIX

    def read_text(self) -> str:
        """The guide file's text, e.g. to copy it into a project and edit it."""
        return self.resource.read_text(encoding="utf-8")


def _files() -> list[Traversable]:
    root = resources.files(__name__)
    return sorted(
        (item for item in root.iterdir() if item.name.endswith(_SUFFIX) and item.is_file()),
        key=lambda item: item.name,
    )


def bundled_guides() -> list[BundledGuide]:
    """Every bundled guide, sorted by name."""
    found: list[BundledGuide] = []
    for item in _files():
        guide = _parse(item)
        found.append(
            BundledGuide(
                name=item.name[: -len(_SUFFIX)],
                resource=item,
                title=guide.title,
                language=guide.language,
            )
        )
    return found


def _parse(item: Traversable) -> Guide:
    return parse_guide(item.read_text(encoding="utf-8"), path=f"{item.name} (bundled)")


def load_bundled(name: str) -> Guide:
    """The bundled guide called ``name`` ("nav-trivsel-nb"; a trailing ".md" is allowed).

    Raises:
        GuideError: there is no bundled guide of that name (the sentence lists them).
    """
    wanted = name[: -len(_SUFFIX)] if name.endswith(_SUFFIX) else name
    files = _files()
    for item in files:
        if item.name == wanted + _SUFFIX:
            logger.debug("loading bundled guide %s", item.name)
            return _parse(item)
    names = ", ".join(item.name[: -len(_SUFFIX)] for item in files)
    raise GuideError.said(
        N_("there is no bundled guide called '{name}' — the bundled guides are {names}"),
        name=name,
        names=names,
    )
