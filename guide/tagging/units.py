"""The units the interview model labels: sentences, also cut at voice changes and pauses.

Each unit carries what is known of it: its text and time, the median probability ASR
gave its words, the voice of most of its words (`Word.voice`, when the audio told),
whether it is phrased as a question, and how much speech by other voices follows it
before its own voice speaks again (a question is followed by an answer).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from guide.sentences import ends_sentence
from guide.tagging.cues import LINKS, WORD, lang_key, probes, returns_to, topic_cue
from guide.tagging.options import TaggingOptions
from guide.transcript import Segment, Word, word_text

# Words a question opens with, by language (after an optional "and"/"so"/"but"): the
# interrogatives, and the verbs a yes/no question or a request to tell opens with.
_OPENERS = {
    "en": """what what's how why where who whom whose which could can would do does
        did is are was were have has had will tell describe explain anything any""",
    "nb": """hva hvordan hvorfor hvor hvem hvilken hvilket hvilke kan kunne vil ville
        har hadde er var blir ble gjør gjorde synes syns tror tenker opplever fortell
        beskriv forklar merker føler finnes""",
    "nn": """kva korleis kvifor kor kven kan kunne vil ville har hadde er var
        blir vert vart gjer gjorde synest trur tenkjer opplever fortel beskriv forklar
        merkar kjenner finst""",
}
# The interrogatives among them, and the personal pronouns a clause's subject is: a
# question puts the verb right after its interrogative ("What do you like", "Hva liker
# du"), or has it as subject ("What happened"); an interrogative followed straight by a
# subject opens a clause that names something, in a statement ("What I like is the
# freedom", "Hvordan jeg ser det, …", "Kor eg bur, er det skog").
_WH = {
    "en": {"what", "how", "why", "where", "who", "whom", "whose", "which"},
    "nb": {"hva", "hvordan", "hvorfor", "hvor", "hvem", "hvilken", "hvilket", "hvilke"},
    "nn": {"kva", "korleis", "kvifor", "kor", "kven"},
}
_SUBJECTS = {
    "en": {"i", "you", "we", "they", "he", "she", "it"},
    "nb": {"jeg", "du", "vi", "dere", "de", "han", "hun", "det", "man"},
    "nn": {"eg", "du", "vi", "me", "de", "dei", "han", "ho", "det", "ein"},
}
# A verb first, then a negation, then no subject: a statement with its subject left out,
# as talk often has ("Kan ikke si at jeg savner det", "Did not expect that"), not a yes/no
# question, which has the subject there ("Kan du ikke …", "Kan ikke du …")
_NOT = {
    "en": {"not", "never"},
    "nb": {"ikke", "aldri"},
    "nn": {"ikkje", "aldri"},
}
_ABOUT = {
    "en": ("what about", "how about", "in relation to", "regarding"),
    "nb": ("hva med", "hva om", "i forhold til", "når det gjelder"),
    "nn": ("kva med", "kva om", "i forhold til", "når det gjeld"),
}
# How an interviewer asks without a question: a request to be told ("I'd like to hear
# about …", "Jeg lurer på …") or a move to the next topic ("Let's move on to …", "Så går
# vi videre til …"), anywhere in the sentence (after a lead-in, "And your company, I
# wonder …"; Norwegian puts the verb before the subject after a fronted word, "Nå vil
# jeg gjerne høre …"), or an imperative to tell opening a clause ("Og utdanningen din,
# fortell litt om den": "fortel" is also nynorsk's present tense, "tells")
_REQUESTS = {
    "en": (
        "i wonder",
        "i was wondering",
        "i('d| would) (like|love) to (hear|know|talk)",
        "i('m| am) curious",
        "tell me",
        "(talk|walk) me through",
        "let('s| us) talk about",
        # a move to the next topic asks about it: "Let's move on to how you started"
        "let('s| us) (move on|go on|turn|start|begin) (to|with)",
        "i('d| would) like to (move on|turn|start|begin) (to|with)",
        "moving on to",
    ),
    "nb": (
        "(jeg )?lur(er|te) (jeg )?på",
        "(jeg )?vil(le)? (jeg )?gjerne (høre|vite)",
        "(jeg )?er (jeg )?nysgjerrig på",
        "la oss snakke om",
        "la oss (gå (videre |over )?til|begynne med|starte med)",
        "(vi går|går vi) (videre|over) til",
        "(jeg )?vil (jeg )?(gjerne )?(begynne|starte) med",
    ),
    "nn": (
        "(eg )?lurer (eg )?på",
        "(eg )?undrast (eg )?på",
        "(eg )?vil (eg )?gjerne (høyre|vite)",
        "(eg )?er (eg )?nysgjerrig på",
        "lat oss snakke om",
        "lat oss (gå (vidare |over )?til|byrje med|starte med)",
        "(vi går|går vi) (vidare|over) til",
        "(eg )?vil (eg )?(gjerne )?(byrje|starte) med",
    ),
}
_IMPERATIVES = {
    "en": ("tell", "describe", "explain"),
    "nb": ("fortell", "beskriv", "forklar", "si litt", "si noe"),
    "nn": ("fortel", "beskriv", "forklar", "sei litt", "sei noko"),
}
_REQUEST = {
    k: re.compile(rf"(?:(?:^| )(?:{'|'.join(v)})|(?:^|, )(?:{'|'.join(_IMPERATIVES[k])}))(?= |$)")
    for k, v in _REQUESTS.items()
}
# what ASR writes when it punctuates (an apostrophe or hyphen is part of a word)
_PUNCT = re.compile(r"[.,;:?!…]")


def question_like(text: str, language: str) -> bool:
    """Whether ``text`` is phrased as a question: it ends with "?", or opens (after "and",
    "so", …, or a one- or two-word acknowledgement and a comma) with an interrogative, a
    verb as a yes/no question does ("Har du …", "Do you …"), a request to tell
    ("Fortell …", "Tell me …"), or "what about" / "hva med"; or asks, anywhere in it, to
    be told or moves to the next topic ("I wonder …", "I'd like to hear …", "Jeg lurer på
    …", "Let's move on to …"); but not an interrogative
    followed straight by the subject ("What I like is …", "Hvordan jeg ser det, …"):
    that names something in a statement."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    head, sep, rest = stripped.partition(",")
    if sep and 1 <= len(head.split()) <= 2 and question_like(rest, language):
        return True  # after an acknowledgement: "I see, what …", "Skjønner, hva …"
    key = lang_key(language)
    ws = [w.casefold() for w in WORD.findall(stripped)]
    while ws and ws[0] in LINKS[key]:
        ws = ws[1:]
    if len(ws) < 3:
        return False
    opening = " ".join(ws[:4])
    if any(opening.startswith(p) for p in _ABOUT[key]):
        return True
    clauses = ", ".join(" ".join(WORD.findall(c.casefold())) for c in stripped.split(","))
    if _REQUEST[key].search(clauses):
        return True  # a request to be told: "Jeg lurer på hva …", "I'd like to hear …"
    if ws[0] in _WH[key] and ws[1].split("'")[0] in _SUBJECTS[key]:
        return False  # "What I like is …": a statement naming something
    if ws[1] in _NOT[key] and ws[2] not in _SUBJECTS[key] and ws[0] not in _WH[key]:
        return False  # "Kan ikke si …": a statement without its subject
    return ws[0] in _OPENERS[key].split()


@dataclass(frozen=True)
class Unit:
    """A sentence, or part of one cut at a voice change or pause; it may run over the end
    of an ASR segment (Whisper cuts long sentences)."""

    segment_index: int  # the segment it begins in
    word_start: int  # its first word in that segment's words
    word_end: int  # one past its last word there (0 when the segment has no words)
    start: float  # seconds
    end: float  # seconds
    text: str
    question: bool  # phrased as a question (`question_like`)
    probability: float = 1.0  # median word probability (ASR's confidence)
    voice: int | None = None  # the voice of most of its words
    follow: float | None = None  # seconds of other voices' speech after it (None: no voices)
    pause_after: float = 0.0  # seconds of silence before the next unit
    # every (segment, word) it holds, in order; word -1 for a segment without words
    keys: tuple[tuple[int, int], ...] = ()
    back: bool = False  # says the talk goes back to something before (`returns_to`)
    topic: int = 0  # +1 says the talk moves to another theme, −1 follows up (`topic_cue`)
    probe: bool = False  # asks for more of the answer under way (`cues.probes`)
    heard: bool = True  # False: a stretch ASR did not hear (a segment without words)


def majority_voice(words: Sequence[Word]) -> int | None:
    """The voice of most of the words (by count, then time: a word after a pause often
    starts early, spanning the silence and the other voice's last half second)."""
    counts: dict[int, tuple[int, float]] = {}
    for w in words:
        if w.voice is not None:
            n, t = counts.get(w.voice, (0, 0.0))
            counts[w.voice] = (n + 1, t + max(w.end - w.start, 0.01))
    return max(counts, key=lambda v: counts[v]) if counts else None


def _median_probability(words: Sequence[Word]) -> float:
    return statistics.median(w.probability for w in words) if words else 1.0


def make_units(
    segments: Sequence[Segment],
    language: str,
    options: TaggingOptions,
    presses: Sequence[float] = (),
) -> list[Unit]:
    """Cut the transcript (segments in time order) into units.

    A unit ends at a sentence end (".", "?", "!", or before a capitalised word ASR did
    not punctuate before), at a pause of ``options.pause_cut``
    seconds or more, where the voice changes, and at the end of a segment that ends a
    sentence (a segment Whisper cut mid-sentence goes on into the next). In a segment
    where ASR wrote no punctuation at all (Whisper writes none for long stretches, and
    some models never), its pauses are all that marks a turn's end, and a turn often
    follows the one before within a second: there a unit also ends at a pause of
    ``options.continued_gap`` or more (shorter, the model takes it as the same turn
    going on), unless the voices are known (a voice change marks the turn's end; a
    pause in one voice is a hesitation). A voice is told per half second and word times
    are rough, so a sentence's first word or two still in the voice before it are not
    cut off ("…desk again. In | relation to your manager?").

    A segment without words (a stretch ASR did not hear, "[inaudible, 30 s]") is also
    cut between the key presses inside it (``presses``, seconds; halfway between two):
    nothing says where in it a question was asked, and a unit can bring only one
    question into force, so each press gets a piece of its own that it may mark (the
    pieces share the segment's key).
    """
    flat: list[tuple[int, int, Word]] = []
    units: list[Unit] = []
    prev_voice: int | None = None
    # a segment in which ASR wrote no punctuation at all: its pauses are all that marks
    # where a turn ends, and turns follow each other closely (one that ends on a comma
    # is a sentence Whisper cut in two: it goes on into the next segment)
    bare = {
        si
        for si, seg in enumerate(segments)
        if seg.words and not any(_PUNCT.search(w.text) for w in seg.words)
    }

    def emit(piece: list[tuple[int, int, Word]]) -> None:
        nonlocal prev_voice
        ws = [w for _si, _wi, w in piece]
        text = word_text(ws)
        if not text:
            return
        voice = majority_voice(ws)
        si, wi = piece[0][0], piece[0][1]
        end_in_first = 1 + max(k for s_, k, _w in piece if s_ == si)
        units.append(
            Unit(
                si,
                wi,
                end_in_first,
                ws[0].start,
                ws[-1].end,
                text,
                question_like(text, language),
                _median_probability(ws),
                voice,
                keys=tuple((s_, k) for s_, k, _w in piece),
                back=returns_to(text, language),
                topic=topic_cue(text, language),
                probe=probes(text, language),
            )
        )
        prev_voice = voice if voice is not None else prev_voice

    def cut(flat: list[tuple[int, int, Word]]) -> None:
        first = 0
        for i, (si, _wi, w) in enumerate(flat):
            nxt = flat[i + 1][2] if i + 1 < len(flat) else None
            change = (
                nxt is not None
                and w.voice is not None
                and nxt.voice is not None
                and nxt.voice != w.voice
                and not (
                    i + 1 - first <= 2
                    and w.voice == prev_voice
                    and (
                        first == 0
                        or ends_sentence(flat[first - 1][2].text)
                        or _opens(flat[first][2])
                    )
                )
            )
            # (where the voices tell who speaks, a pause in one voice is a hesitation)
            unvoiced = w.voice is None or (nxt is not None and nxt.voice is None)
            limit = options.continued_gap if si in bare and unvoiced else options.pause_cut
            pause = nxt is not None and nxt.start - w.end >= limit
            ends = ends_sentence(w.text) or (nxt is not None and _opens(nxt))
            if ends or nxt is None or change or pause:
                emit(flat[first : i + 1])
                first = i + 1

    for si, seg in enumerate(segments):
        if not seg.words:
            cut(flat)
            flat = []
            text = seg.text.strip()
            if text:
                whole = Unit(
                    si,
                    0,
                    0,
                    seg.start,
                    seg.end,
                    text,
                    question_like(text, language),
                    keys=((si, -1),),
                    back=returns_to(text, language),
                    heard=False,
                )
                inside = sorted(p for p in presses if seg.start < p < seg.end)
                mids = [(a + b) / 2 for a, b in pairwise(inside)]
                bounds = [seg.start, *mids, seg.end]
                units += [replace(whole, start=a, end=b) for a, b in pairwise(bounds)]
            continue
        flat += [(si, wi, w) for wi, w in enumerate(seg.words)]
    cut(flat)
    return _with_context(units)


def _opens(word: Word) -> bool:
    """Whether a word opens a sentence ASR did not punctuate: capitalised, but not all
    capitals ("NAV"), nor a compound on one ("NAV-kontor"), nor "I" ("...colleagues At
    a notice when...")."""
    w = word.text.strip()
    return (
        len(w) > 1
        and w[0].isupper()
        and not w.isupper()
        and not w.split("-")[0].isupper()  # a compound on an acronym ("NAV-kontor")
        and w.split("'")[0] != "I"
        and any(c.islower() for c in w)
    )


def _with_context(units: list[Unit]) -> list[Unit]:
    """Fill in each unit's pause after it and, when voices are known, ``follow``."""
    voiced = any(u.voice is not None for u in units)
    out = []
    for i, u in enumerate(units):
        pause = max(0.0, units[i + 1].start - u.end) if i + 1 < len(units) else 0.0
        follow = None
        if voiced and u.voice is not None:
            follow = 0.0
            for v in units[i + 1 :]:
                if v.voice == u.voice:
                    break
                if v.voice is not None:
                    follow += v.end - v.start
        out.append(replace(u, follow=follow, pause_after=pause))
    return out


def topics(units: Sequence[Unit]) -> list[int]:
    """Per unit phrased as a question, what it or the sentence before it in the same
    voice says of the theme (`Unit.topic`: "Now the other side. What drains you?"); 0
    for the others."""
    out = []
    for t, u in enumerate(units):
        cue = u.topic
        if not cue and t:
            before = units[t - 1]
            same = before.voice is None or u.voice is None or before.voice == u.voice
            cue = before.topic if same else 0
        out.append(cue if u.question else 0)
    return out
