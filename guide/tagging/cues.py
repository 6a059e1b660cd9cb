"""What an interviewer's words say about where the talk goes, by language (en, nb, nn).

Discourse cues, not the guide's words: that the talk goes back to something asked or
said before ("I would like to go back to …"), and that an asking opens a new theme of
the guide ("Let's talk about …", "Over til …") or follows up within the theme under way
("What about …?", "Hva med …?", "… also …"). Matched as whole words, case-folded.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# (Norwegian puts the verb second in a statement: "Da blir det ..." is one, so only
# the conjunctions that do not count as the first place are skipped)
LINKS = {
    "en": {"and", "so", "but", "okay", "ok", "well"},
    "nb": {"og", "men", "ok", "okei"},
    "nn": {"og", "men", "ok", "okei"},
}
# How an interviewer says the talk goes back to something asked or said before.
_RETURNS = {
    "en": (
        "go back to",
        "going back to",
        "get back to",
        "come back to",
        "coming back to",
        "return to",
        "back to what",
        "earlier you",
    ),
    "nb": ("tilbake til", "tidligere sa du", "i stad sa du"),
    "nn": ("tilbake til", "tidlegare sa du", "i stad sa du"),
}
# How an interviewer picks up what the participant said: as often what was just said,
# to lead into the next question or a probe ("You mentioned the river. How long …?"),
# as something said before; only a word placing it earlier makes it a return
_MENTIONS = {
    "en": ("you said", "you mentioned", "you talked about", "you told me"),
    "nb": ("du sa", "du nevnte", "du snakket om", "du fortalte", "du var inne på", "du kom inn på"),
    "nn": ("du sa", "du nemnde", "du snakka om", "du fortalde", "du var inne på", "du kom inn på"),
}
_EARLIER = {
    "en": ("earlier", "before", "at the beginning", "at the start", "in the beginning", "ago"),
    "nb": ("tidligere", "i stad", "før", "i begynnelsen", "i starten", "innledningsvis"),
    "nn": ("tidlegare", "i stad", "før", "i byrjinga", "i starten", "innleiingsvis"),
}


# How an interviewer says the talk moves on to another theme (not "finally": the last
# question is as often the last of a theme as a theme of its own)
_SHIFTS = {
    "en": (
        "let's talk about",
        "let us talk about",
        "let's move on",
        "let us move on",
        "moving on",
        "move on to",
        "the other side",
        "turn to",
        "let's turn",
        "let's start",
        "let us start",
        "to begin with",
        "another topic",
        "new topic",
        "next topic",
        "a different topic",
    ),
    "nb": (
        "la oss snakke om",
        "la oss gå over",
        "over til",
        "nå vil jeg gjerne",
        "nå skal vi",
        "la oss begynne",
        "den andre siden",
        "et annet tema",
        "neste tema",
        "nytt tema",
    ),
    "nn": (
        "lat oss snakke om",
        "lat oss gå over",
        "over til",
        "no vil eg gjerne",
        "no skal vi",
        "lat oss byrje",
        "den andre sida",
        "eit anna tema",
        "neste tema",
        "nytt tema",
    ),
}
# How a follow-up within the theme under way opens ("What about your manager?"), and
# the words that add to what was asked ("Can colleagues also make it harder?")
_FOLLOW_UPS = {
    "en": ("what about", "how about"),
    "nb": ("hva med", "hva så med"),
    "nn": ("kva med", "kva så med"),
}
_ALSO = {"en": ("also", "as well"), "nb": ("også",), "nn": ("også", "òg")}


def lang_key(language: str) -> str:
    """The cue lists' key for a language code or name: "en", "nb" or "nn"."""
    lang = language.strip().casefold()
    if lang in ("nn", "nno"):
        return "nn"
    if lang in ("nb", "no", "nob", "nor", "norwegian", "norsk", "bokmål"):
        return "nb"
    return "en"


def _said(text: str) -> str:
    """The words of ``text``, case-folded, one space before and after each."""
    words = WORD.findall(text.replace("\u2019", "'"))
    return " " + " ".join(w.casefold() for w in words) + " "


@lru_cache(maxsize=64)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list of phrases, each as whole words."""
    return re.compile("|".join(re.escape(f" {p} ") for p in phrases))


def _has(said: str, phrases: tuple[str, ...]) -> bool:
    return _pattern(phrases).search(said) is not None


def returns_to(text: str, language: str) -> bool:
    """Whether ``text`` says the talk goes back to something said or asked before ("I
    would like to go back to …", "tilbake til det du sa", "du nevnte … i stad"): the
    interviewer returning to an earlier question. Picking up what the participant said
    ("You mentioned the river.", "Du nevnte …") is one only with a word placing it
    earlier ("before", "tidligere", "i stad"): without, it as often leads from the
    answer just given into the next question."""
    key = lang_key(language)
    said = _said(text)
    return _has(said, _RETURNS[key]) or (_has(said, _MENTIONS[key]) and _has(said, _EARLIER[key]))


def topic_cue(text: str, language: str) -> int:
    """+1 where ``text`` says the talk moves on to another theme ("Let's talk about the
    good sides.", "Over til noe annet."), −1 where it follows up within the theme under
    way ("What about your manager?", "Hva med kollegaene?", "Can colleagues also make
    it harder?"), else 0. A follow-up opens so after an acknowledgement ("Okay, what
    about …") or a link word ("And what about …")."""
    key = lang_key(language)
    said = _said(text)
    if _has(said, _SHIFTS[key]):
        return 1
    head, sep, rest = text.strip().partition(",")
    if sep and 1 <= len(head.split()) <= 2:
        said = _said(rest)
    ws = said.split()
    while ws and ws[0] in LINKS[key]:
        ws = ws[1:]
    if _pattern(_FOLLOW_UPS[key]).match(" " + " ".join(ws[:3]) + " "):
        return -1
    return -1 if _has(said, _ALSO[key]) else 0


# How an interviewer asks for more of the answer under way, without a question of the
# guide: probing, specifying and interpreting questions (Kvale and Brinkmann,
# InterViews, ch. 8): for more, for an example, for what was felt, thought or meant,
# for what happened then, or whether they understood it right
_PROBES = {
    "en": (
        "more about that",
        "more about it",
        "say more",
        "tell me more",
        "something more",
        "an example",
        "examples",
        "what do you mean",
        "what did you mean",
        "mean by that",
        "why do you think",
        "why is that",
        "how did you feel",
        "how did that feel",
        "how did it feel",
        "what did you think",
        "what happened then",
        "what happened next",
        "what happened after",
        "elaborate",
        "in what way",
        "how so",
        "understand you",
        "understood you",
        "you mean that",
        "is that right",
    ),
    "nb": (
        "mer om det",
        "si mer",
        "fortell mer",
        "si noe mer",
        "noe mer om",
        "et eksempel",
        "eksempler",
        "hva mener du",
        "hva mente du",
        "mener du med",
        "hvorfor tror du",
        "hvorfor det",
        "hvordan føltes",
        "hvordan opplevde du",
        "hva tenkte du",
        "hva skjedde da",
        "hva skjedde videre",
        "hva skjedde så",
        "utdype",
        "på hvilken måte",
        "hvordan da",
        "forstår jeg deg",
        "forstått deg",
        "du mener at",
        "stemmer det",
    ),
    "nn": (
        "meir om det",
        "sei meir",
        "fortel meir",
        "noko meir",
        "eit døme",
        "døme",
        "kva meiner du",
        "kva meinte du",
        "meiner du med",
        "kvifor trur du",
        "kvifor det",
        "korleis kjendest",
        "korleis opplevde du",
        "kva tenkte du",
        "kva skjedde då",
        "kva skjedde vidare",
        "utdjupe",
        "på kva måte",
        "korleis då",
        "forstår eg deg",
        "forstått deg",
        "du meiner at",
        "stemmer det",
    ),
}


def probes(text: str, language: str) -> bool:
    """Whether ``text`` asks for more of the answer under way rather than a question of
    the guide: "Could you say something more about that?", "Kan du gi et eksempel?",
    "What did you think then?" (`_PROBES`)."""
    return _has(_said(text), _PROBES[lang_key(language)])
