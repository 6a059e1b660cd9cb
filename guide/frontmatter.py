"""The front matter of a guide file: a few `key: value` lines between `---` fences.

Parsed by hand (no YAML library): a guide needs three settings, and a
researcher's typo should get a sentence naming the line, not a YAML
stack trace::

    ---
    title: Ansatte i NAV sin opplevelse av arbeidsglede
    language: nb
    research_questions:
      RQ1: Hva styrker trivselen til NAV-ansatte?
      RQ2: Hva reduserer trivselen til NAV-ansatte?
    ---

Lines starting with ``#`` inside the front matter are comments.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kvale_errors import GuideError

logger = logging.getLogger(__name__)

_Fail = Callable[[str, int], GuideError]

KNOWN_KEYS = ("title", "language", "research_questions")
_ALIASES = {
    "title": "title",
    "language": "language",
    "lang": "language",
    "research_questions": "research_questions",
}
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w \-]*?)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_RQ_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_LANGUAGE_NAMES = {
    "norsk": "nb",
    "norwegian": "nb",
    "bokmål": "nb",
    "bokmal": "nb",
    "nynorsk": "nn",
    "english": "en",
    "engelsk": "en",
    "svenska": "sv",
    "swedish": "sv",
    "dansk": "da",
    "danish": "da",
    "deutsch": "de",
    "german": "de",
}


@dataclass(frozen=True)
class FrontMatter:
    """What the front matter said, with the lines it said it on."""

    end: int = 0  # number of file lines the front matter takes (0: there is none)
    title: str | None = None
    title_line: int | None = None
    language: str | None = None
    research_questions: dict[str, str] = field(default_factory=dict)
    research_question_lines: dict[str, int] = field(default_factory=dict)


def _unquote(value: str) -> str:
    """Strip one pair of matching YAML-style quotes around a value."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"')
    return value


def _is_fence(line: str) -> bool:
    return line.strip() == "---"


def parse_front_matter(lines: list[str], *, path: str | None = None) -> FrontMatter:
    """Read the front matter at the top of ``lines``, if there is one.

    Args:
        lines: the guide's lines, newline characters removed.
        path: the file name, for error messages.

    Returns:
        The settings found; ``end`` is 0 when the guide has no front matter.

    Raises:
        GuideError: an unclosed front matter, an unknown setting, a setting
            given twice, a line that is not ``key: value``, an empty title.
    """
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or not _is_fence(lines[start]):
        return FrontMatter()
    opening = start + 1  # 1-based line of the opening '---'

    def fail(sentence: str, line: int) -> GuideError:
        return GuideError(sentence, path=path, line=line)

    end: int | None = None
    for index in range(start + 1, len(lines)):
        text = lines[index]
        if _is_fence(text) or text.rstrip() == "...":
            end = index + 1
            break
        stripped = text.lstrip()
        if stripped.startswith(("## ", ">")):
            raise fail(
                f"the front matter that starts with '---' on line {opening} is never closed — "
                f"add a line with only '---' before line {index + 1}, after the last setting",
                opening,
            )
    if end is None:
        raise fail(
            "the front matter that starts here with '---' is never closed — add a line with "
            "only '---' after the last setting (title, language, research_questions)",
            opening,
        )

    seen: dict[str, int] = {}
    title: str | None = None
    title_line: int | None = None
    language: str | None = None
    rqs: dict[str, str] = {}
    rq_lines: dict[str, int] = {}
    in_rq_block = False
    for index in range(start + 1, end - 1):
        number = index + 1
        raw = lines[index]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indented = raw[:1] in (" ", "\t")
        if indented:
            if not in_rq_block:
                raise fail(
                    "this indented line is not understood — only the research questions are "
                    "written indented, under 'research_questions:'",
                    number,
                )
            _read_research_question(stripped, number, rqs, rq_lines, fail)
            continue
        in_rq_block = False
        match = _KEY_LINE.match(stripped)
        if match is None:
            raise fail(
                f"'{_clip(stripped)}' is not a setting — write settings as 'key: value', "
                "for example 'title: My study' (or close the front matter with '---')",
                number,
            )
        key_written = match.group("key")
        key = _ALIASES.get(re.sub(r"[ \-]+", "_", key_written.strip().lower()))
        if key is None:
            raise fail(
                f"unknown setting '{key_written}' in the front matter — kvale understands "
                "title, language and research_questions; remove the line or turn it into a "
                "comment by starting it with '#'",
                number,
            )
        if key in seen:
            raise fail(
                f"the setting '{key}' is given twice (also on line {seen[key]}) — keep one",
                number,
            )
        seen[key] = number
        value = _unquote((match.group("value") or "").strip())
        if value in ("|", ">", "|-", ">-") and key != "research_questions":
            raise fail(
                f"multi-line values are not understood — write the {key} on the same line "
                f"as '{key}:'",
                number,
            )
        if key == "title":
            if not value:
                raise fail("the title is empty — write it after 'title:'", number)
            title, title_line = value, number
        elif key == "language":
            language = _read_language(value, number, fail)
        else:
            if value:
                raise fail(
                    "research questions are not written on the 'research_questions:' line — "
                    "write each on its own indented line below it, for example "
                    "'  RQ1: What strengthens well-being?'",
                    number,
                )
            in_rq_block = True
    if "research_questions" in seen and not rqs:
        raise fail(
            "'research_questions:' has no research questions under it — add indented lines "
            "such as '  RQ1: What strengthens well-being?', or remove the setting",
            seen["research_questions"],
        )
    logger.debug("front matter: lines %d-%d, keys %s", opening, end, sorted(seen))
    return FrontMatter(
        end=end,
        title=title,
        title_line=title_line,
        language=language,
        research_questions=rqs,
        research_question_lines=rq_lines,
    )


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _read_language(value: str, number: int, fail: _Fail) -> str:
    if not value:
        raise fail("the language is empty — write a language code such as nb, nn or en", number)
    code = _LANGUAGE_NAMES.get(value.lower())
    if code is not None:
        raise fail(
            f"'{_clip(value)}' is a language name — write its code instead: 'language: {code}'",
            number,
        )
    if not _LANGUAGE.match(value):
        raise fail(
            f"'{_clip(value)}' is not a language code — write a short code such as nb "
            "(bokmål), nn (nynorsk) or en (English)",
            number,
        )
    return value


def _read_research_question(
    stripped: str, number: int, rqs: dict[str, str], lines: dict[str, int], fail: _Fail
) -> None:
    item = stripped
    if item.startswith("- ") or item == "-":
        item = item[1:].strip()
        if ":" not in item and item:
            rq_id = f"RQ{len(rqs) + 1}"
            item = f"{rq_id}: {item}"
    rq_id, colon, text = item.partition(":")
    rq_id, text = rq_id.strip(), _unquote(text.strip())
    if not colon or not rq_id:
        raise fail(
            f"'{_clip(stripped)}' is not a research question — write it as 'RQ1: the "
            "question' (a short name, a colon, then the question)",
            number,
        )
    if not _RQ_ID.match(rq_id):
        raise fail(
            f"'{_clip(rq_id)}' cannot name a research question — use a short name of letters "
            "and digits without spaces, such as RQ1",
            number,
        )
    if not text:
        raise fail(f"research question {rq_id} has no text — write it after '{rq_id}:'", number)
    for known, line in lines.items():
        if known.lower() == rq_id.lower():
            raise fail(
                f"research question {rq_id} is declared twice (also on line {line}) — "
                "rename or remove one",
                number,
            )
    rqs[rq_id] = text
    lines[rq_id] = number
