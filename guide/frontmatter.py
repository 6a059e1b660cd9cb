"""The front matter of a guide file: YAML between ``---`` fences, read with PyYAML.

::

    ---
    title: Ansatte i NAV sin opplevelse av arbeidsglede
    language: nb
    research_questions:
      RQ1: Hva styrker trivselen til NAV-ansatte?
      RQ2: Hva reduserer trivselen til NAV-ansatte?
    ---

PyYAML's safe loader composes the node tree (`yaml.compose` with
``SafeLoader``: no objects are constructed, and its errors carry the line and
column). The nodes, not ``safe_load``'s dict, are validated here, because a
researcher's mistake should get a sentence naming its line: a dict has no
lines, and it keeps the last of two ``title:`` lines without a word. Lines
starting with ``#`` are YAML comments.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kvale_errors import N_, GuideError

logger = logging.getLogger(__name__)

KNOWN_KEYS = ("title", "language", "research_questions")
_ALIASES = {
    "title": "title",
    "language": "language",
    "lang": "language",
    "research_questions": "research_questions",
}
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
_INDENTED = N_(
    "this indented line is not understood — only the research questions are written "
    "indented, under 'research_questions:'"
)

_INDENTED_RQ = N_(
    "this line is indented differently from the research question above it — indent every "
    "research question the same, with two spaces, as in '  RQ1: What strengthens well-being?'"
)
_NOT_A_SETTING = N_(
    "'{value}' is not a setting — write settings as 'key: value', for example "
    "'title: My study' (or close the front matter with '---')"
)
_RQ_KEY = re.compile(r"^research[ _-]questions[ \t]*:", re.IGNORECASE)


@dataclass(frozen=True)
class FrontMatter:
    """What the front matter said, with the lines it said it on."""

    end: int = 0  # number of file lines the front matter takes (0: there is none)
    title: str | None = None
    title_line: int | None = None
    language: str | None = None
    research_questions: dict[str, str] = field(default_factory=dict)
    research_question_lines: dict[str, int] = field(default_factory=dict)


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _is_fence(line: str) -> bool:
    return line.strip() == "---"


class _Reader:
    """Checks the composed YAML of one front matter; ``offset``: the line of its '---'."""

    def __init__(self, offset: int, path: str | None) -> None:
        self.offset = offset
        self.path = path
        self.rqs: dict[str, str] = {}
        self.rq_lines: dict[str, int] = {}

    def line(self, node: Node) -> int:
        return self.offset + int(node.start_mark.line) + 1

    def fail(self, template: str, node: Node, **params: Any) -> GuideError:
        """The error at ``node``'s line: ``template`` (marked ``N_``) with ``params``."""
        return GuideError.said(template, path=self.path, line=self.line(node), **params)

    def text(self, node: Node, key: str) -> str:
        """A one-line text value ('' for an empty one)."""
        if not isinstance(node, ScalarNode):
            raise self.fail(
                N_("'{key}:' takes one line of text — write it after '{key}:'"), node, key=key
            )
        if node.style in ("|", ">") or node.start_mark.line != node.end_mark.line:
            raise self.fail(
                N_(
                    "multi-line values are not understood — write the value on the same line "
                    "as '{key}:'"
                ),
                node,
                key=key,
            )
        value = str(node.value).strip()
        return "" if node.tag == "tag:yaml.org,2002:null" else value

    def settings(self, root: Node) -> FrontMatter:
        if not isinstance(root, MappingNode):
            value = str(root.value) if isinstance(root, ScalarNode) else "a list"
            raise self.fail(_NOT_A_SETTING, root, value=_clip(value))
        seen: dict[str, int] = {}
        found: dict[str, str | None] = {}
        lines: dict[str, int] = {}
        for key_node, value in root.value:
            written = str(key_node.value)
            if key_node.start_mark.column > 0:
                raise self.fail(_INDENTED, key_node)
            key = _ALIASES.get(re.sub(r"[ \-]+", "_", written.strip().lower()))
            if key is None:
                raise self.fail(
                    N_(
                        "unknown setting '{key}' in the front matter — kvale understands "
                        "title, language and research_questions; remove the line or turn it "
                        "into a comment by starting it with '#'"
                    ),
                    key_node,
                    key=_clip(written),
                )
            if key in seen:
                raise self.fail(
                    N_("the setting '{key}' is given twice (also on line {first}) — keep one"),
                    key_node,
                    key=key,
                    first=seen[key],
                )
            seen[key] = lines[key] = self.line(key_node)
            if key == "research_questions":
                self.research_questions(key_node, value)
            elif key == "title":
                found[key] = self.text(value, key)
                if not found[key]:
                    raise self.fail(N_("the title is empty — write it after 'title:'"), key_node)
            else:
                found[key] = self.language(self.text(value, key), key_node)
        return FrontMatter(
            title=found.get("title"),
            title_line=lines.get("title"),
            language=found.get("language"),
            research_questions=self.rqs,
            research_question_lines=self.rq_lines,
        )

    def language(self, value: str, node: Node) -> str:
        if not value:
            raise self.fail(
                N_("the language is empty — write a language code such as nb, nn or en"), node
            )
        code = _LANGUAGE_NAMES.get(value.lower())
        if code is not None:
            raise self.fail(
                N_("'{value}' is a language name — write its code instead: 'language: {code}'"),
                node,
                value=_clip(value),
                code=code,
            )
        if not _LANGUAGE.match(value):
            raise self.fail(
                N_(
                    "'{value}' is not a language code — write a short code such as nb "
                    "(bokmål), nn (nynorsk) or en (English)"
                ),
                node,
                value=_clip(value),
            )
        return value

    def research_questions(self, key: Node, value: Node) -> None:
        if isinstance(value, ScalarNode) and value.tag == "tag:yaml.org,2002:null":
            raise self.fail(
                N_(
                    "'research_questions:' has no research questions under it — add indented "
                    "lines such as '  RQ1: What strengthens well-being?', or remove the setting"
                ),
                key,
            )
        if isinstance(value, ScalarNode) and value.start_mark.line == key.start_mark.line:
            raise self.fail(
                N_(
                    "research questions are not written on the 'research_questions:' line — "
                    "write each on its own indented line below it, for example "
                    "'  RQ1: What strengthens well-being?'"
                ),
                key,
            )
        if isinstance(value, MappingNode):
            for rq, text in value.value:
                self.research_question(rq, text)
        elif isinstance(value, SequenceNode):
            for item in value.value:
                if isinstance(item, MappingNode) and len(item.value) == 1:
                    self.research_question(*item.value[0])
                elif isinstance(item, ScalarNode) and str(item.value).strip():
                    name = ScalarNode("tag:yaml.org,2002:str", f"RQ{len(self.rqs) + 1}")
                    name.start_mark = name.end_mark = item.start_mark
                    self.research_question(name, item)
                else:
                    raise self.not_a_research_question(item)
        else:
            raise self.not_a_research_question(value)

    def not_a_research_question(self, node: Node) -> GuideError:
        if not isinstance(node, ScalarNode):
            return self.fail(
                N_(
                    "this is not a research question — write it as 'RQ1: the question' (a "
                    "short name, a colon, then the question)"
                ),
                node,
            )
        return self.fail(
            N_(
                "'{value}' is not a research question — write it as 'RQ1: the question' (a "
                "short name, a colon, then the question)"
            ),
            node,
            value=_clip(str(node.value)),
        )

    def research_question(self, name: Node, text_node: Node) -> None:
        if not isinstance(name, ScalarNode):
            raise self.not_a_research_question(name)
        rq_id = str(name.value).strip()
        if not _RQ_ID.match(rq_id):
            raise self.fail(
                N_(
                    "'{value}' cannot name a research question — use a short name of letters "
                    "and digits without spaces, such as RQ1"
                ),
                name,
                value=_clip(rq_id),
            )
        text = self.text(text_node, rq_id) if isinstance(text_node, ScalarNode) else None
        if not text:
            raise self.fail(
                N_("research question {rq} has no text — write it after '{rq}:'"), name, rq=rq_id
            )
        for known, line in self.rq_lines.items():
            if known.lower() == rq_id.lower():
                raise self.fail(
                    N_(
                        "research question {rq} is declared twice (also on line {first}) — "
                        "rename or remove one"
                    ),
                    name,
                    rq=rq_id,
                    first=line,
                )
        self.rqs[rq_id] = text
        self.rq_lines[rq_id] = self.line(name)


def parse_front_matter(lines: list[str], *, path: str | None = None) -> FrontMatter:
    """Read the front matter at the top of ``lines``, if there is one.

    Args:
        lines: the guide's lines, newline characters removed.
        path: the file name, for error messages.

    Returns:
        The settings found; ``end`` is 0 when the guide has no front matter.

    Raises:
        GuideError: an unclosed front matter, YAML that does not parse (at its line),
            an unknown setting, a setting given twice, an empty title, a language
            name instead of a code, a research question without a name or text.
    """
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or not _is_fence(lines[start]):
        return FrontMatter()
    opening = start + 1  # 1-based line of the opening '---'
    end: int | None = None
    for index in range(start + 1, len(lines)):
        text = lines[index]
        if _is_fence(text) or text.rstrip() == "...":
            end = index + 1
            break
        if text.lstrip().startswith(("## ", ">")):
            raise GuideError.said(
                N_(
                    "the front matter that starts with '---' on line {opening} is never "
                    "closed — add a line with only '---' before line {before}, after the last "
                    "setting"
                ),
                path=path,
                line=opening,
                opening=opening,
                before=index + 1,
            )
    if end is None:
        raise GuideError.said(
            N_(
                "the front matter that starts here with '---' is never closed — add a line "
                "with only '---' after the last setting (title, language, research_questions)"
            ),
            path=path,
            line=opening,
        )
    body = lines[opening : end - 1]
    try:
        root = yaml.compose("\n".join(body), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        scanning = error.context_mark is not None and "scanning" in (error.context or "")
        mark = error.context_mark if scanning else (error.problem_mark or error.context_mark)
        index = min(mark.line if mark is not None else 0, len(body) - 1)
        plain = [i for i, t in enumerate(body[: index + 1]) if t.strip()[:1] not in ("", "#")]
        no_colon = next((i for i in plain if ":" not in body[i] and body[i][:1] != " "), None)
        if no_colon is not None:  # a line that is no 'key: value' made YAML read on
            raise GuideError.said(
                _NOT_A_SETTING,
                path=path,
                line=opening + 1 + no_colon,
                value=_clip(body[no_colon].strip()),
            ) from None
        first = next((i for i, t in enumerate(body) if t.strip()[:1] not in ("", "#")), index)
        if body[first][:1] in (" ", "\t"):  # the settings start indented: YAML's error is later
            index = first
        if body[index][:1] in (" ", "\t"):
            under_rqs = any(_RQ_KEY.match(t) for t in body[:index])
            sentence = _INDENTED_RQ if under_rqs else _INDENTED
            raise GuideError.said(sentence, path=path, line=opening + 1 + index) from None
        what = f"{error.context or ''} {error.problem or ''}"
        problem = ""
        if "quoted scalar" in what:
            sentence = N_(
                "the quote that opens on this line is never closed — end the value with the "
                "same quote mark, or write it without quotes"
            )
        elif "flow" in what or "']'" in what or "'}'" in what:
            sentence = N_(
                "a '[' or '{{' on this line is never closed — write the value as plain text "
                "after the colon, without brackets"
            )
        elif "mapping values are not allowed" in what:
            sentence = N_(
                "the value on this line holds a second ': ' — put the value in quotes, such as "
                "'title: \"Work: the good parts\"'"
            )
        else:
            problem = str(error.problem or error.context)
            sentence = N_(
                "the front matter cannot be read here ({problem}) — write each setting as "
                "'key: value' on its own line, such as 'title: My study'"
            )
        raise GuideError.said(
            sentence, path=path, line=opening + 1 + index, problem=problem
        ) from None
    except yaml.YAMLError as error:
        raise GuideError.said(
            N_(
                "the front matter cannot be read ({problem}) — write each setting as "
                "'key: value' on its own line, such as 'title: My study'"
            ),
            path=path,
            line=opening,
            problem=str(error),
        ) from None
    front = FrontMatter() if root is None else _Reader(opening, path).settings(root)
    logger.debug("front matter: lines %d-%d", opening, end)
    return FrontMatter(
        end=end,
        title=front.title,
        title_line=front.title_line,
        language=front.language,
        research_questions=front.research_questions,
        research_question_lines=front.research_question_lines,
    )
