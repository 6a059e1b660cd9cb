"""A guide line's settings, ``{rq=RQ1 min=8}``, and the errors at a line of a guide.

A section heading may end in settings: ``rq`` links the section to a research
question of the front matter, ``min`` gives its planned minutes. `SettingsReader`
splits them off a line and checks them; `guide.drafts.Drafts` builds on it.
"""

from __future__ import annotations

import re
from typing import Any

from guide.markup import MarkupProblem
from kvale_errors import N_, GuideError

_ATTR_BLOCK = re.compile(r"\{(?P<body>[^{}]*)\}[ \t]*$")
_ATTR_LIKE = re.compile(r"\{[ \t]*[A-Za-z_]+[ \t]*=")
_MINUTES = re.compile(r"^(?P<n>\d{1,4}(?:[.,]\d{1,3})?)(?:m|min|mins|minutes?)?$")
_ATTR_KEYS = {"rq": "rq", "research_question": "rq", "min": "min", "mins": "min", "minutes": "min"}


def clip(text: str, width: int = 40) -> str:
    """``text`` on one line, cut to ``width`` characters with '…' (for quoting it in a sentence)."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class SettingsReader:
    """Reads the settings of one guide file's lines; its errors name the file and the line."""

    def __init__(self, path: str | None) -> None:
        self.path = path

    def fail(self, template: str, line: int, **params: Any) -> GuideError:
        """The error at ``line``: ``template`` (English, marked ``N_``) with ``params``."""
        return GuideError.said(template, path=self.path, line=line, **params)

    def fail_with(self, problem: MarkupProblem) -> GuideError:
        """The error for markup the guide cannot hold, at the problem's line."""
        return self.fail(problem.template, problem.line, **problem.params)

    def split_attributes(self, text: str, line: int) -> tuple[str, dict[str, str]]:
        """The text without its ``{…}`` settings at the end of its first line, and the settings."""
        first, newline, rest = text.partition("\n")
        attrs: dict[str, str] = {}
        match = _ATTR_BLOCK.search(first)
        if match is not None:
            body = match.group("body").strip()
            if not body:
                raise self.fail(
                    N_(
                        "empty braces '{{}}' — write settings inside them, such as "
                        "{{rq=RQ1 min=8}}, or remove them"
                    ),
                    line,
                )
            first_word = re.split(r"[\s=,;]+", body, maxsplit=1)[0].lower()
            if "=" in body or first_word in _ATTR_KEYS:
                attrs = self.parse_attributes(body, line)
                first = first[: match.start()].rstrip()
        if _ATTR_LIKE.search(first):
            raise self.fail(
                N_(
                    "the settings in '{{…}}' are not understood — close them with '}}' at the "
                    "very end of the line, as in '## 2 Colleagues {{rq=RQ1 min=8}}'"
                ),
                line,
            )
        return first + newline + rest, attrs

    def parse_attributes(self, body: str, line: int) -> dict[str, str]:
        attrs: dict[str, str] = {}
        body = re.sub(r"[ \t]*=[ \t]*", "=", body)
        for token in re.split(r"[\s;]+|,(?=[ \t]*[A-Za-z_]+=)", body.strip()):
            token = token.strip(" \t,")
            key_written, sep, value = token.partition("=")
            if not sep or not key_written or not value:
                raise self.fail(
                    N_(
                        "'{token}' inside '{{…}}' is not understood — write settings as "
                        "key=value, such as {{rq=RQ1 min=8}}"
                    ),
                    line,
                    token=clip(token),
                )
            key = _ATTR_KEYS.get(key_written.lower())
            if key is None:
                raise self.fail(
                    N_(
                        "unknown setting '{key}' inside '{{…}}' — kvale understands rq (the "
                        "research question, e.g. rq=RQ1) and min (planned minutes, e.g. min=8)"
                    ),
                    line,
                    key=clip(key_written),
                )
            if key in attrs:
                raise self.fail(
                    N_("'{key}' is given twice inside '{{…}}' — keep one"), line, key=key
                )
            attrs[key] = value
        return attrs

    def section_settings(
        self, attrs: dict[str, str], line: int
    ) -> tuple[float | None, tuple[str, int] | None]:
        """A section heading's planned minutes and research question (with its line)."""
        minutes: float | None = None
        rq_at: tuple[str, int] | None = None
        if "min" in attrs:
            match = _MINUTES.match(attrs["min"].lower())
            minutes = float(match.group("n").replace(",", ".")) if match else 0.0
            if not 0 < minutes <= 600:
                raise self.fail(
                    N_(
                        "min={value} is not a number of minutes — write the planned minutes "
                        "for this section as a number such as min=8"
                    ),
                    line,
                    value=clip(attrs["min"], 20),
                )
        if "rq" in attrs:
            rq = attrs["rq"]
            if "," in rq or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", rq):
                raise self.fail(
                    N_(
                        "rq={value} is not understood — link a section to one research "
                        "question by its name, such as rq=RQ1"
                    ),
                    line,
                    value=clip(rq, 20),
                )
            rq_at = (rq, line)
        return minutes, rq_at

    def attributes_misplaced(self, line: int) -> GuideError:
        return self.fail(
            N_(
                "settings in '{{…}}' (rq, min) belong on a section heading such as "
                "'## 2 Colleagues {{rq=RQ1 min=8}}' — move them there"
            ),
            line,
        )
