"""Where a sentence ends: the one splitter kvale uses for guide questions and transcripts.

A sentence ends at ``.``, ``?``, ``!`` or ``…``, after which closing quotes or a
bracket may follow (``bra.»``, ``"Why?"``). Used by the guide's tagging (a long
question asked one sentence at a time; transcript units cut at sentence ends) and
by `store.analysis` (a capitalised word right after a sentence end is not a name
candidate). `audio` may not import `guide` and needs no splitter: it cuts speech by
time, not by sentence.
"""

from __future__ import annotations

import re

SENTENCE_END = ".?!…"
"""Characters that end a sentence."""

_CLOSERS = "\"'»”’)\\]"
_END = re.compile(rf"[{re.escape(SENTENCE_END)}][{_CLOSERS}]*\s*$")
_SPLIT = re.compile(rf"(?<=[{re.escape(SENTENCE_END)}])[{_CLOSERS}]*\s+")
_SPLIT_CLAUSES = re.compile(rf"(?<=[{re.escape(SENTENCE_END)};])[{_CLOSERS}]*\s+")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence (trailing whitespace allowed): "Hva?", 'bra.»'."""
    return _END.search(text) is not None


def split_sentences(text: str, *, at_semicolons: bool = False) -> list[str]:
    """The sentences of ``text``, stripped, empty ones left out.

    Args:
        text: one or more sentences.
        at_semicolons: also split after ``;`` (a question in two parts, "…
            debates; how does that affect you?").

    Returns:
        The sentences in order; closing quotes stay with the sentence they close.
    """
    pattern = _SPLIT_CLAUSES if at_semicolons else _SPLIT
    out: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        closers = match.group().rstrip()
        out.append(text[start : match.start() + len(closers)].strip())
        start = match.end()
    out.append(text[start:].strip())
    return [sentence for sentence in out if sentence]
