"""Tag every passage of a transcript with the guide question it answers.

Three signals, combined (`tag_transcript`):

1. **Markers** (the interviewer's key presses: ``asked`` / ``returned`` with a question
   id). The question on screen when a word was spoken is its primary question. Each
   marker boundary is *snapped* to the moment the question was really asked, never
   further than ``snap_window`` (±5 s, how far a key press may be off): to the
   sentence that best matches the marker's question (score ≥ ``snap_min_score``);
   when none does (ASR garbled the words; a "?" then means nothing either, as ASR
   hears questions in garbage), to the best nearby silence between words
   (≥ ``min_turn_pause``: turns are separated by longer silences than sentences;
   longer and closer to the press is better, a gap over ``max_turn_pause`` counting no
   more, since it may be words the ASR dropped); else the key-press time itself.
   Confidence: ``0.85 + 0.15 × match score`` when snapped to a matching sentence
   (0.85–1.0), 0.7 to a pause, 0.6 unsnapped.
2. **Question detection** (`detect_questions`): every sentence (words up to ".", "?",
   "!") is compared with every question, normalised and stemmed (`guide.text`), token by
   token with rapidfuzz (ratio ≥ 80 counts as the same word, so inflections and ASR slips
   still match). ``score = coverage × (0.4 + 0.6 × precision) × (1 if "?" else 0.85)``,
   where coverage is the idf-weighted share of the question's tokens heard (words shared
   by many questions, "relation", "forhold", weigh less) and precision the share of the
   sentence's tokens that belong to the question. ASR garbles words beyond that
   ("masstirke trinselen" for "styrker trivselen"): a character-level score
   (`_Matcher.char_scores`: rapidfuzz ratio of the texts with spaces dropped, so split or
   joined compounds match, scaled by how far the question leads the other wordings of
   the guide) counts when higher. A sub-question is also matched with
   its section's heading in front ("What reduces well-being … colleagues?"), and a
   sentence opening with a one- or two-word clause ("Skjønner, i forhold til ...": ASR
   joins the interviewer's acknowledgement to the question) also without it. Questions
   with the same words (2.1 / 3.1 in the thesis guide) are told apart by context: a
   small bonus for the current section, for questions not yet asked and for the next
   unasked question in guide order (interviews mostly follow the guide); a sentence is
   an asking when score + bonus ≥ ``detect_threshold`` + 0.04 and the score alone is
   at least 0.52 (0.44 for a sentence that starts a segment, where turns begin). Then
   the askings ASR garbled are filled in where the guide order expects them
   (`_fill_in_order`): a sentence starting a turn, whose best match (or one within
   0.1 of it) is a question between the clear askings (or markers) before and after
   it in guide order, or one of the next ``prior_span`` unasked, and whose
   character-level score is ≥
   ``prior_score`` (also across the next one or two segments, for a long question ASR
   cut up); the two steps repeat with the garbled ones as context until they settle.
   Guards: Whisper, prompted with the guide's questions, writes them verbatim where
   nobody asked them, with low word probabilities (median < ``leak_probability``):
   such a sentence, and the rest of that run in its segment, asks only a question due
   next and not heard clearly within ``snap_window`` after it; an answer that matches
   another question only through the words of the question in force ("Kollegan er
   ..." after "I forhold til kollegaer?" vs "Fra kollegaer?") asks nothing. With
   markers the context (the question in force, the questions asked) comes from the
   markers too. When ASR runs a question into its answer ("In relation to colleagues,
   my colleagues are ..."), the sentence is cut after the clause that asks. Without
   markers the detections alone set the boundaries (confidence = score); with markers
   a detection away from the marker boundaries adds one only for a question no marker
   says was asked (a missed key press; a later "returned" marker does not count), and
   only when it is clear (≥ ``detect_boundary_score``) or has the question's letters
   (character-level ≥ ``prior_score``): a marked question was asked where its marker
   says, and weak evidence elsewhere must not override a marker. A weak one within
   ``snap_window`` after a marker boundary is that marked asking going on.
3. **Content**: each participant passage is compared with each question's words
   (question, probes, keywords; idf-weighted coverage). The best question other than the
   primary with similarity ≥ ``content_secondary`` becomes a secondary tag
   (confidence = 0.8 × similarity); when the primary is weak (confidence <
   ``weak_primary``) and content clearly points elsewhere (≥ ``content_override``, ahead
   of the runner-up by ``content_margin``), content takes the primary and the old primary
   becomes secondary.

**Manual** tags (`retag_passage`, confidence 1.0) always win: passed back as
``previous``, each manual passage's edges become cut points of the new result and every
new passage inside it carries the manual tag, whatever the markers or detections say.

**Voices** (``Word.voice``: which of the recording's two voices spoke a word, found in
the audio by `audio.voices`) are a fourth, independent signal: who speaks, whatever ASR
made of the words. The voice of most clear askings is the interviewer's
(`_interviewer_voice`; the voices are ignored unless both speak and ≥
``voice_agreement`` of the clear askings agree, or a majority of them while that voice
talks less than the other). Then sentences are also cut where the
voice changes; the participant's voice asks no question (no detection, no marker
snapped to it); the garbled askings are looked for at the start of each interviewer's
turn, the whole turn scored (each run of its sentences, so a question after a lead-in
counts), where any likeness ≥ ``voice_prior_score`` to a question due will do; a turn
that clearly (≥ ``return_score``) matches a question asked before and none due goes
back to it (the guide then goes on from the furthest question asked, not from the one
returned to); a turn ASR could not make out (median word probability <
``unheard_probability``) followed by ≥ ``unheard_answer`` s of the participant's speech
asks the question due, with confidence ``unheard_confidence`` (a clearly heard turn
like no question is a probe or a remark; a short reply is a back-channel). With
markers, a press whose question no sentence matches snaps to the nearest start of an
interviewer's turn (confidence 0.8) before a pause, and such a turn-start detection
may add a boundary where a press is missing.

Passages are segments, cut at word level where a boundary, an asked question or a
manual passage edge falls inside a segment. Speakers: with the voices, the voice of
most of each word's sentence; else words of a sentence that asks a guide question are
the interviewer's; a "?" sentence that matched nothing is unknown; the rest after the
first question is the participant's; before it, unknown.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from guide.model import Guide, Question
from guide.text import normalise, tokens
from guide.transcript import Marker, MarkerKind, Passage, Segment, Speaker, Tag, TagSource, Word
from kvale_errors import KvaleError

log = logging.getLogger(__name__)

_EPS = 1e-3
_SENTENCE_END = (".", "?", "!")


@dataclass(frozen=True)
class TaggingOptions:
    """Thresholds of the tagger (see the module docstring for what each does)."""

    snap_window: float = 5.0
    snap_min_score: float = 0.35
    min_turn_pause: float = 0.5
    max_turn_pause: float = 2.0
    detect_threshold: float = 0.6
    detect_boundary_score: float = 0.65
    fuzzy_ratio: float = 80.0
    context_bonus: float = 0.08
    content_secondary: float = 0.6
    content_override: float = 0.75
    content_margin: float = 0.2
    weak_primary: float = 0.5
    max_sentence_tokens: int = 30
    char_floor: float = 55.0
    char_span: float = 40.0
    char_margin: float = 20.0
    prior_score: float = 0.25
    prior_span: int = 3
    leak_probability: float = 0.2
    max_joined: int = 2
    max_turn_units: int = 4
    voice_min_share: float = 0.1
    voice_agreement: float = 0.75
    voice_majority: float = 0.6
    voice_talk_share: float = 0.4
    voice_prior_score: float = 0.1
    unheard_probability: float = 0.75
    unheard_answer: float = 8.0
    unheard_confidence: float = 0.3
    return_score: float = 0.45


@dataclass(frozen=True)
class Detection:
    """A sentence in which the interviewer asks (reads or paraphrases) a guide question."""

    question_id: str
    start: float
    end: float
    score: float  # in [0, 1]
    segment_index: int
    word_start: int = 0  # first word of the sentence in the segment's words
    word_end: int = 0  # one past its last word (0 when the segment has no words)
    letters: float = 0.0  # character-level likeness to the question (`char_scores`)
    voiced: bool = False  # at the start of a turn in the interviewer's voice


@dataclass(frozen=True)
class _Unit:
    """A sentence of a segment: the unit questions are detected in."""

    segment_index: int
    word_start: int
    word_end: int
    start: float
    end: float
    text: str
    asks: bool  # ends with "?"
    role: Speaker = Speaker.UNKNOWN  # whose voice spoke it, when the voices tell
    turn: bool = False  # the voice changed at its first word: a turn begins here
    probability: float = 1.0  # median word probability: how sure ASR was of the words


@dataclass(frozen=True)
class _Boundary:
    time: float
    question_id: str
    source: TagSource
    confidence: float


class _Matcher:
    """The guide's questions as stemmed token sets, with idf weights and a fuzzy lexicon."""

    def __init__(self, guide: Guide, language: str | None, options: TaggingOptions) -> None:
        self.language = language
        self.options = options
        self.questions: list[Question] = list(guide.questions())
        self.order = {q.id: i for i, q in enumerate(self.questions)}
        self.section = {q.id: q.section_id for q in self.questions}
        heading = {s.id: s.question.text for s in guide.sections}
        self.variants: dict[str, list[list[str]]] = {}
        self.bags: dict[str, set[str]] = {}
        for q in self.questions:
            own = tokens(q.text, language)
            variants = [own]
            sentences = [x for x in re.split(r"(?<=[.?!;])\s+", q.text.strip()) if x]
            if len(sentences) > 1:  # a long question is often asked one sentence at a time
                # one-word parts ("Hva trenger du?") would match any answer: left out
                variants += [v for x in sentences if len(v := tokens(x, language)) >= 2]
            if not q.is_section:
                variants.append(tokens(f"{heading.get(q.section_id, '')} {q.text}", language))
            self.variants[q.id] = [v for v in variants if v]
            bag = set(own)
            for p in q.probes:
                bag.update(tokens(p.text, language))
            for k in q.keywords:
                bag.update(tokens(k, language))
            self.bags[q.id] = bag
        # character level: each wording once (questions worded alike share it), spaces
        # dropped so compounds split or joined by ASR ("sosial politiske") still match
        self.wording: dict[str, str] = {}
        self.spellings: dict[str, list[str]] = {}
        for q in self.questions:
            key = normalise(q.text)
            self.wording[q.id] = key
            if key not in self.spellings:
                parts = [x for x in re.split(r"(?<=[.?!;])\s+", q.text.strip()) if x]
                parts = (
                    [x for x in parts if len(tokens(x, language)) >= 2] if len(parts) > 1 else []
                )
                forms = {normalise(x).replace(" ", "") for x in [q.text, *parts]}
                self.spellings[key] = sorted(f for f in forms if len(f) >= 4)
        self._chars: dict[str, dict[str, float]] = {}
        n = max(len(self.questions), 1)
        df: dict[str, int] = {}
        for bag in self.bags.values():
            for t in bag:
                df[t] = df.get(t, 0) + 1
        for vs in self.variants.values():
            for t in {t for v in vs for t in v}:
                df.setdefault(t, 1)
        self.idf = {t: math.log(1.0 + n / c) for t, c in df.items()}
        self.vocab = sorted(self.idf)
        self._lex: dict[str, frozenset[str]] = {}
        self._asked: dict[tuple[str, bool], dict[str, float]] = {}
        self._by_token: dict[str, list[tuple[str, frozenset[str], float]]] | None = None

    def lexicon(self, token: str) -> frozenset[str]:
        """The guide tokens a transcript token counts as (exact or fuzzy match)."""
        hit = self._lex.get(token)
        if hit is None:
            found = {token} if token in self.idf else set()
            if len(token) >= 4:
                for cand, _score, _i in process.extract(
                    token,
                    self.vocab,
                    scorer=fuzz.ratio,
                    score_cutoff=self.options.fuzzy_ratio,
                    limit=None,
                ):
                    if len(cand) >= 4:
                        found.add(cand)
            hit = frozenset(found)
            self._lex[token] = hit
        return hit

    def coverage(self, wanted: Sequence[str] | set[str], heard: set[str]) -> float:
        total = sum(self.idf.get(t, 1.0) for t in wanted)
        if total <= 0:
            return 0.0
        return sum(self.idf.get(t, 1.0) for t in wanted if t in heard) / total

    def _index(self) -> dict[str, list[tuple[str, frozenset[str], float]]]:
        """Guide token -> the variants (question id, token set, total weight) holding it."""
        if self._by_token is None:
            self._by_token = {}
            for qid, variants in self.variants.items():
                for v in variants:
                    vs = frozenset(v)
                    entry = (qid, vs, sum(self.idf.get(t, 1.0) for t in v))
                    for t in vs:
                        self._by_token.setdefault(t, []).append(entry)
        return self._by_token

    def char_scores(self, text: str) -> dict[str, float]:
        """Character-level likeness of ``text`` to each question, relative to the others.

        ASR garbles words beyond what token matching forgives ("masstirke trinselen" for
        "styrker trivselen"), yet the letters mostly survive. Each wording's best
        `fuzz.ratio` over its spellings (whole, or a long question found inside a longer
        sentence, discounted by the length ratio) maps ``char_floor``..``+char_span`` to
        0..1, times how far it leads the best *other* wording (``char_margin`` points for
        full credit): "I forhold til kollegan" vs the many "I forhold til X" probes.
        """
        cached = self._chars.get(text)
        if cached is not None:
            return cached
        out: dict[str, float] = {}
        self._chars[text] = out
        rest = _without_lead_in(text)
        if rest:
            out.update(self.char_scores(rest))
        sn = normalise(text).replace(" ", "")
        if len(sn) < 4:
            return out
        ratios: dict[str, float] = {}
        for key, forms in self.spellings.items():
            best = 0.0
            for qn in forms:
                r = fuzz.ratio(qn, sn)
                if len(sn) > len(qn) >= 8:
                    r = max(r, fuzz.partial_ratio(qn, sn) * math.sqrt(len(qn) / len(sn)))
                best = max(best, r)
            ratios[key] = best
        o = self.options
        for key, r in ratios.items():
            raw = (r - o.char_floor) / o.char_span
            if raw <= 0:
                continue
            other = max((v for k, v in ratios.items() if k != key), default=0.0)
            lead = min(1.0, 0.5 + (r - other) / o.char_margin)
            if lead <= 0:
                continue
            score = min(1.0, raw) * lead
            for q in self.questions:
                if self.wording[q.id] == key and score > out.get(q.id, 0.0):
                    out[q.id] = score
        return out

    def echoes(self, text: str, qid: str, current: str, token_score: float) -> bool:
        """Whether ``text`` matches ``qid`` only by words of the ``current`` question.

        An answer repeats the question it answers ("Kollegaer? Kollegaene er ...");
        those words say nothing about another question that shares them ("Fra
        kollegaer?"), unless the letters of that question are clearly there as well
        (character-level score at least twice ``prior_score``, or above the
        ``token_score`` the words gave: then it is not the words that match).
        """
        char = self.char_scores(text).get(qid, 0.0)
        if char >= 2 * self.options.prior_score or char >= token_score:
            return False
        heard: set[str] = set()
        for t in tokens(text, self.language):
            heard |= self.lexicon(t)
        shared = heard & {t for v in self.variants.get(qid, []) for t in v}
        own = {t for v in self.variants.get(current, []) for t in v}
        return bool(shared) and shared <= own

    def ask_scores(self, text: str, asks: bool) -> dict[str, float]:
        """Score of ``text`` as an asking of each question (only non-zero scores)."""
        key = (text, asks)
        cached = self._asked.get(key)
        if cached is not None:
            return cached
        out: dict[str, float] = {}
        self._asked[key] = out
        rest = _without_lead_in(text)
        if rest:
            out.update(self.ask_scores(rest, asks))
        toks = tokens(text, self.language)
        if not toks or len(toks) > self.options.max_sentence_tokens:
            return out
        mark = 1.0 if asks else 0.85
        for qid, c in self.char_scores(text).items():
            out[qid] = max(out.get(qid, 0.0), c * mark)
        mapped = [self.lexicon(t) for t in toks]
        heard: set[str] = set().union(*mapped)
        index = self._index()
        seen: set[tuple[str, frozenset[str]]] = set()
        for t in heard:
            for qid, vs, total in index.get(t, ()):
                if (qid, vs) in seen or total <= 0:
                    continue
                seen.add((qid, vs))
                cov = sum(self.idf.get(x, 1.0) for x in vs if x in heard) / total
                prec = sum(1 for m in mapped if m & vs) / len(toks)
                score = min(1.0, cov * (0.4 + 0.6 * prec) * mark)
                if score > out.get(qid, 0.0):
                    out[qid] = score
        return out

    def content_scores(self, text: str, primary: str | None = None) -> dict[str, float]:
        """Idf-weighted share of each question's words present in ``text``.

        Words of the ``primary`` question are left out: an answer about colleagues
        says "colleagues", which says nothing about the other colleague questions.
        """
        heard: set[str] = set()
        for t in tokens(text, self.language):
            heard |= self.lexicon(t)
        shared: set[str] = set()
        if primary is not None:
            shared = self.bags.get(primary, set()) | {
                t for v in self.variants.get(primary, []) for t in v
            }
            heard -= shared
        if not heard:
            return {}
        out = {}
        for qid, bag in self.bags.items():
            s = self.coverage(bag - shared, heard)
            if s > 0:
                out[qid] = s
        return out


def _language(guide: Guide, language: str | None) -> str:
    return language or guide.language or "en"


def _without_lead_in(text: str) -> str:
    """``text`` without a short first clause ("Skjønner, i forhold til ..."), or "".

    Interviewers acknowledge the last answer before the next question ("Ok.",
    "Takk.", "Skjønner."), and ASR often joins the two with a comma: the question is
    then scored without those one or two words as well, which for a short question
    would otherwise drag its score down.
    """
    head, sep, rest = text.partition(",")
    if not sep or not rest.strip() or not 1 <= len(head.split()) <= 2:
        return ""
    return rest.strip()


def _word_text(words: Sequence[Word]) -> str:
    if any(w.text[:1].isspace() for w in words):
        return "".join(w.text for w in words).strip()
    return " ".join(w.text.strip() for w in words).strip()


def _units(segments: Sequence[Segment], interviewer: int | None = None) -> list[_Unit]:
    """The sentences of the transcript; with the ``interviewer``'s voice known, also cut
    where the voice changes, each with its role and whether a turn begins at it.

    A sentence's first word or two still in the voice before it are not cut off: a voice
    is told per half second and word times are rough, so "...desk again. In | relation to
    your manager?" is one sentence, in the voice of most of it. A short first piece in a
    new voice is ("From colleagues | At a notice when I am struggling ...")."""
    units: list[_Unit] = []
    prev_voice: int | None = None
    for si, seg in enumerate(segments):
        if not seg.words:
            text = seg.text.strip()
            if text:
                units.append(_Unit(si, 0, 0, seg.start, seg.end, text, text.endswith("?")))
            continue
        first = 0
        opened = True  # the piece from ``first`` begins a sentence
        for wi, w in enumerate(seg.words):
            last = wi == len(seg.words) - 1
            change = (
                interviewer is not None
                and not last
                and w.voice is not None
                and seg.words[wi + 1].voice is not None
                and seg.words[wi + 1].voice != w.voice
                and not (opened and wi + 1 - first <= 2 and w.voice == prev_voice)
            )
            if w.text.strip().endswith(_SENTENCE_END) or last or change:
                ws = seg.words[first : wi + 1]
                text = _word_text(ws)
                if text:
                    unit = _Unit(
                        si,
                        first,
                        wi + 1,
                        ws[0].start,
                        ws[-1].end,
                        text,
                        text.endswith("?"),
                        probability=_median_probability(ws),
                    )
                    if interviewer is not None:
                        voice = _majority_voice(ws)
                        unit = replace(
                            unit,
                            role=_role(voice, interviewer),
                            turn=voice is not None and voice != prev_voice,
                        )
                        prev_voice = voice if voice is not None else prev_voice
                    units.append(unit)
                opened = not change
                first = wi + 1
    return units


def _majority_voice(words: Sequence[Word]) -> int | None:
    """The voice of most of the words (by count, then time: a word after a pause often
    starts early, spanning the silence and the other voice's last half second)."""
    counts: dict[int, tuple[int, float]] = {}
    for w in words:
        if w.voice is not None:
            n, t = counts.get(w.voice, (0, 0.0))
            counts[w.voice] = (n + 1, t + max(w.end - w.start, 0.01))
    return max(counts, key=lambda v: counts[v]) if counts else None


def _role(voice: int | None, interviewer: int | None) -> Speaker:
    if voice is None or interviewer is None:
        return Speaker.UNKNOWN
    return Speaker.INTERVIEWER if voice == interviewer else Speaker.PARTICIPANT


def _interviewer_voice(
    segments: Sequence[Segment], detections: Sequence[Detection], options: TaggingOptions
) -> int | None:
    """The voice that asks the guide's questions, when the voices say so clearly.

    Each clear detection (score ≥ ``detect_boundary_score``) votes with the voice of
    most of its words. The voices count only when both speak (each ≥
    ``voice_min_share`` of the voiced words' time) and at least two detections vote for
    one voice, which must have ≥ ``voice_agreement`` of the votes, or, since Whisper
    writes guide questions into garbled answers too, a majority ≥ ``voice_majority`` of
    them while speaking at most ``voice_talk_share`` of the time (in an interview the
    participant does most of the talking). Otherwise (one voice, two alike voices
    clustered by something else, too few clear askings) the text alone decides.
    """
    spoken: dict[int, float] = {}
    for seg in segments:
        for w in seg.words:
            if w.voice is not None:
                spoken[w.voice] = spoken.get(w.voice, 0.0) + max(w.end - w.start, 0.01)
    total = sum(spoken.values())
    if len(spoken) < 2 or min(spoken.values()) < options.voice_min_share * total:
        return None
    votes: dict[int, int] = {}
    for d in detections:
        if d.score < options.detect_boundary_score:
            continue
        voice = _majority_voice(segments[d.segment_index].words[d.word_start : d.word_end])
        if voice is not None:
            votes[voice] = votes.get(voice, 0) + 1
    if not votes:
        return None
    best = max(votes, key=lambda v: votes[v])
    n = sum(votes.values())
    talk = spoken.get(best, 0.0) / total
    agreed = votes[best] >= options.voice_agreement * n or (
        votes[best] >= options.voice_majority * n and talk <= options.voice_talk_share
    )
    if votes[best] < 2 or not agreed:
        log.info(
            "voices not used: the clear askings' voices agree %d of %d (that voice talks %.0f %%)",
            votes[best],
            n,
            100 * talk,
        )
        return None
    return best


def interviewer_voice(
    guide: Guide,
    segments: Sequence[Segment],
    markers: Sequence[Marker] = (),
    *,
    language: str | None = None,
    options: TaggingOptions | None = None,
) -> int | None:
    """Which of the words' two voices (``Word.voice``) is the interviewer's, or None when
    the voices do not say clearly (see `tag_transcript`, which decides the same way)."""
    opts = options or TaggingOptions()
    matcher = _Matcher(guide, _language(guide, language), opts)
    segs = sorted(segments, key=lambda s: s.start)
    return _analyse(matcher, segs, markers, opts).interviewer


def _split_clauses(
    matcher: _Matcher, units: Sequence[_Unit], segments: Sequence[Segment], threshold: float
) -> list[_Unit]:
    """Split a sentence after its first clauses when they alone ask a question.

    ASR often runs a question into its answer with a comma ("In relation to colleagues,
    my colleagues are very supportive, ..."): the question is a clause prefix.
    """
    out: list[_Unit] = []
    for u in units:
        words = segments[u.segment_index].words[u.word_start : u.word_end]
        cuts = [i + 1 for i, w in enumerate(words[:-1]) if w.text.strip().endswith((",", ";", ":"))]
        full = max(matcher.ask_scores(u.text, u.asks).values(), default=0.0)
        best, best_cut = max(full, threshold), 0
        for c in cuts:
            text = _word_text(words[:c])
            top = max(matcher.ask_scores(text, False).values(), default=0.0)
            if top > best:
                best, best_cut = top, c
        if not best_cut:
            out.append(u)
            continue
        head, tail = words[:best_cut], words[best_cut:]
        mid = u.word_start + best_cut
        out.append(
            replace(
                u,
                word_end=mid,
                end=head[-1].end,
                text=_word_text(head),
                asks=False,
                probability=_median_probability(head),
            )
        )
        out.append(
            replace(
                u,
                word_start=mid,
                start=tail[0].start,
                text=_word_text(tail),
                turn=False,
                probability=_median_probability(tail),
            )
        )
    return out


def _score_units(matcher: _Matcher, units: Sequence[_Unit]) -> list[dict[str, float]]:
    return [matcher.ask_scores(u.text, u.asks) for u in units]


def _median_probability(words: Sequence[Word]) -> float:
    return statistics.median(w.probability for w in words) if words else 1.0


def _detect(
    matcher: _Matcher,
    units: Sequence[_Unit],
    scores: Sequence[dict[str, float]],
    options: TaggingOptions,
    context: Sequence[_Boundary] = (),
) -> list[Detection]:
    """Clear askings (`_detect_clear`), then garbled ones where the guide order expects
    them (`_fill_in_order`); again with the garbled ones as context (the section in
    force tells twin questions apart) until they no longer change."""
    leaks = _leaks(matcher, units, scores, options)
    found: list[Detection] = []
    weak: list[Detection] = []
    for _ in range(4):  # until the garbled ones found stay the same (twice, mostly)
        ctx = [
            *context,
            *(_Boundary(d.start, d.question_id, TagSource.DETECTED, d.score) for d in weak),
        ]
        clear = _detect_clear(matcher, units, scores, leaks, options, ctx)
        found = _fill_in_order(matcher, units, scores, leaks, options, clear, context)
        keys = {(d.segment_index, d.word_start) for d in clear}
        again = [d for d in found if (d.segment_index, d.word_start) not in keys]
        if again == weak:
            break
        weak = again
    return found


def _leaks(
    matcher: _Matcher,
    units: Sequence[_Unit],
    scores: Sequence[dict[str, float]],
    options: TaggingOptions,
) -> set[int]:
    """The sentences where Whisper may have written its prompt, not what was said.

    Prompted with the guide's questions, Whisper writes them verbatim where nobody
    asked them, with low word probabilities: a sentence whose median word probability
    is under ``leak_probability``, and the rest of that run in the segment (the same
    words again, "X? X.", probabilities recovering). Such a sentence asks only one of
    the next ``prior_span`` questions in guide order (where the interviewer did ask
    something and Whisper, unsure what, wrote the question due), never a jump.
    """
    out: set[int] = set()
    run: tuple[int, set[str]] | None = None
    for i, (u, sc) in enumerate(zip(units, scores, strict=True)):
        top = max(sc.values(), default=0.0)
        best = {q for q, v in sc.items() if v >= top - _EPS} if top > 0 else set()
        if u.probability < options.leak_probability:
            out.add(i)
            if best:
                run = (u.segment_index, best)
            continue
        if (
            run is not None
            and run[0] == u.segment_index
            and any(_same_words(matcher, a, b) for a in best for b in run[1])
        ):
            out.add(i)
    return out


def _asked_soon(
    matcher: _Matcher,
    units: Sequence[_Unit],
    scores: Sequence[dict[str, float]],
    leaks: set[int],
    i: int,
    qid: str,
    options: TaggingOptions,
) -> bool:
    """Whether a sentence heard with confidence asks ``qid`` within ``snap_window``
    after sentence ``i`` (then the leak at ``i`` ran ahead of the real asking)."""
    limit = units[i].end + options.snap_window
    floor = options.detect_threshold - 2 * options.context_bonus
    for j in range(i + 1, len(units)):
        if units[j].start > limit:
            break
        if j not in leaks and any(
            v >= floor and _same_words(matcher, q, qid) for q, v in scores[j].items()
        ):
            return True
    return False


def _detect_clear(
    matcher: _Matcher,
    units: Sequence[_Unit],
    scores: Sequence[dict[str, float]],
    leaks: set[int],
    options: TaggingOptions,
    context: Sequence[_Boundary] = (),
) -> list[Detection]:
    """Pick at most one question per sentence, in time order, using the context.

    The context is where the interview is in the guide: the last question asked (by
    the detections so far, or by a marker boundary in ``context``) and the questions
    asked. Whisper, prompted with the guide, writes guide questions verbatim where
    nobody asked them, with low word probabilities: such a sentence (median <
    ``leak_probability``), and the rest of its run in the segment, asks nothing. Then
    `_fill_in_order` adds the garbled askings the guide order expects.
    """
    found: list[Detection] = []
    asked: set[str] = set()
    current: str | None = None
    current_time = -math.inf
    ctx = sorted(context, key=lambda b: b.time)
    ci = 0
    for i, (u, sc) in enumerate(zip(units, scores, strict=True)):
        while ci < len(ctx) and ctx[ci].time < u.start - _EPS:
            b = ctx[ci]
            asked.add(b.question_id)
            if b.time >= current_time:
                current, current_time = b.question_id, b.time
            ci += 1
        if not sc or u.role is Speaker.PARTICIPANT:
            continue  # the participant's voice asks no guide question
        top = max(sc.values())
        if top < options.detect_threshold - 2 * options.context_bonus:
            continue
        following = _next_unasked(matcher, current, asked)
        first = following[0] if following else None

        def adjusted(
            qid: str, s: float, current: str | None = current, first: str | None = first
        ) -> float:
            bonus = 0.0
            if current is not None and matcher.section[qid] == matcher.section[current]:
                bonus += options.context_bonus
            if qid not in asked:
                bonus += options.context_bonus / 2
            if qid == first:  # interviews mostly follow the guide
                bonus += options.context_bonus
            return s + bonus

        qid, score = max(
            ((q, s) for q, s in sc.items() if s >= top - 0.1),
            key=lambda qs: (adjusted(*qs), -matcher.order[qs[0]]),
        )
        if qid in asked:  # the same words heard again: rather their twin ahead, unasked
            here = matcher.order[current] if current is not None else -1
            twins = [
                q
                for q in sc
                if q not in asked and matcher.order[q] > here and _same_words(matcher, q, qid)
            ]
            if twins:
                qid = min(twins, key=lambda q: matcher.order[q])
        # a turn usually starts a segment: there the guide-order prior may lift a
        # question garbled by ASR; mid-segment the words alone must nearly suffice
        floor = options.detect_threshold - options.context_bonus * (2 if u.word_start == 0 else 1)
        strong = (
            score >= floor
            and adjusted(qid, score) >= options.detect_threshold + options.context_bonus / 2
        )
        if not strong:
            continue
        if i in leaks and (
            qid not in _next_unasked(matcher, current, asked, options.prior_span)
            or _asked_soon(matcher, units, scores, leaks, i, qid, options)
        ):
            continue  # Whisper's prompt: out of place, or ahead of the real asking
        if (
            current is not None
            and not _same_words(matcher, qid, current)
            and matcher.echoes(u.text, qid, current, score)
        ):
            continue  # the answer repeats the question's words ("Colleagues are ...")
        prev = found[-1] if found else None
        if (
            prev is not None
            and prev.question_id == qid
            and u.start - prev.end < 3.0
            and prev.segment_index == u.segment_index
        ):
            # the same question over two sentences ("About colleagues. How is that?")
            found[-1] = replace(prev, end=u.end, score=max(prev.score, score), word_end=u.word_end)
            continue
        found.append(
            Detection(
                qid,
                u.start,
                u.end,
                round(score, 4),
                u.segment_index,
                u.word_start,
                u.word_end,
                round(matcher.char_scores(u.text).get(qid, 0.0), 4),
            )
        )
        asked.add(qid)
        current, current_time = qid, u.start
    return found


def _fill_in_order(
    matcher: _Matcher,
    units: Sequence[_Unit],
    scores: Sequence[dict[str, float]],
    leaks: set[int],
    options: TaggingOptions,
    found: list[Detection],
    context: Sequence[_Boundary],
) -> list[Detection]:
    """Add the askings ASR garbled, where the guide order says they belong.

    Between two anchors (clear detections and marker boundaries) in time, the
    questions that come between them in the guide are the ones likely asked there;
    after the last anchor, the next ``prior_span`` unasked ones. A sentence is taken
    as such a question on weak evidence: it starts a turn, the question is its best
    match or within 0.1 of it (garbled letters fit worded-alike questions about
    equally: "what trends and well-being" ~ strengthens / reduces), and their letters
    are alike (character-level score ≥ ``prior_score``, which also says the sentence
    is about as long as the question). Sentences
    Whisper was unsure of, and answers repeating the question in force, are not.
    """
    anchors = sorted(
        [(d.start, d.question_id) for d in found] + [(b.time, b.question_id) for b in context]
    )
    taken = {(d.segment_index, d.word_start) for d in found}
    added: list[Detection] = []
    asked: set[str] = set()
    current: str | None = None
    place: str | None = None  # the furthest question asked: the guide goes on from there
    ai = 0
    prev_end: float | None = None
    for i, (u, sc) in enumerate(zip(units, scores, strict=True)):
        voiced = u.role is not Speaker.UNKNOWN
        if voiced:  # the voices show who speaks: an interviewer's turn begins here
            turn_start = u.turn and u.role is Speaker.INTERVIEWER
        else:
            turn_start = (
                u.word_start == 0
                or prev_end is None
                or u.start - prev_end >= options.min_turn_pause
            )
        prev_end = u.end
        while ai < len(anchors) and anchors[ai][0] < u.start - _EPS:
            current = anchors[ai][1]
            place = _furthest(matcher, place, current)
            asked.add(current)
            ai += 1
        if not turn_start or (u.segment_index, u.word_start) in taken:
            continue
        if ai < len(anchors) and anchors[ai][0] <= u.end + _EPS:
            continue  # the anchor itself, or inside this sentence
        lo = matcher.order[place] if place is not None else -1
        next_few = _next_unasked(matcher, place, asked, options.prior_span)
        due = set(next_few)
        if ai < len(anchors):
            hi = matcher.order[anchors[ai][1]]
            due |= {q.id for q in matcher.questions[lo + 1 : hi]} - asked
        if voiced:
            if any((t.segment_index, t.word_start) in taken for t in _turn(units, i)):
                continue  # the turn's question was heard clearly ("Okay. <question>")
            sc, chars = _turn_scores(matcher, units, i, options)
        else:
            chars = _joined_char_scores(matcher, units, i, taken, options)
        top = max(max(sc.values(), default=0.0), max(chars.values(), default=0.0))
        cands = [q for q in due if max(sc.get(q, 0.0), chars.get(q, 0.0)) >= top - 0.1]
        qid = min(cands, key=lambda q: matcher.order[q]) if cands else None
        score = max(sc.get(qid, 0.0), chars.get(qid, 0.0)) if qid is not None else 0.0
        if voiced:
            # the interviewer's voice: a little likeness will do; none, when ASR could
            # not make out the words and a long answer follows (the question due); a
            # clear match with a question asked before, none due, is a return to it
            if score < options.voice_prior_score:
                weak = qid
                qid, score = _return_to(matcher, sc, chars, current, asked, options)
                if qid is None and due and _asks_unheard(units, i, options):
                    qid = weak or min(due, key=lambda q: matcher.order[q])
                    score = options.unheard_confidence
        elif qid is not None and chars.get(qid, 0.0) < options.prior_score:
            qid = None
        if qid is None:
            continue
        if i in leaks and (
            qid not in next_few or _asked_soon(matcher, units, scores, leaks, i, qid, options)
        ):
            continue
        if (
            not voiced
            and current is not None
            and matcher.echoes(u.text, qid, current, sc.get(qid, 0.0))
        ):
            continue
        added.append(
            Detection(
                qid,
                u.start,
                u.end,
                round(score, 4),
                u.segment_index,
                u.word_start,
                u.word_end,
                round(chars.get(qid, 0.0), 4),
                voiced,
            )
        )
        place = _furthest(matcher, place, qid)
        asked.add(qid)
        current = qid
    return sorted([*found, *added], key=lambda d: (d.start, d.word_start))


def _furthest(matcher: _Matcher, a: str | None, b: str) -> str:
    return b if a is None or matcher.order[b] > matcher.order[a] else a


def _return_to(
    matcher: _Matcher,
    sc: dict[str, float],
    chars: dict[str, float],
    current: str | None,
    asked: set[str],
    options: TaggingOptions,
) -> tuple[str | None, float]:
    """The question asked before that an interviewer's turn clearly goes back to
    (best match, ≥ ``return_score``, asked, not the question in force), else (None, 0)."""
    best: dict[str, float] = {q: max(v, chars.get(q, 0.0)) for q, v in sc.items()}
    for q, v in chars.items():
        best.setdefault(q, v)
    if not best:
        return None, 0.0
    top = max(best.values())
    if top < options.return_score:
        return None, 0.0
    qid = min((q for q, v in best.items() if v >= top - _EPS), key=lambda q: matcher.order[q])
    if qid not in asked or (current is not None and _same_words(matcher, qid, current)):
        return None, 0.0
    return qid, top


def _turn(units: Sequence[_Unit], i: int) -> list[_Unit]:
    """The sentences of the interviewer's turn that begins at ``i``."""
    j = i + 1
    while j < len(units) and units[j].role is Speaker.INTERVIEWER and not units[j].turn:
        j += 1
    return list(units[i:j])


def _asks_unheard(units: Sequence[_Unit], i: int, options: TaggingOptions) -> bool:
    """Whether the interviewer's turn at ``i`` is most likely a guide question ASR did
    not make out: its words were heard poorly (median word probability <
    ``unheard_probability``; a clearly heard turn that matches no question is a probe or
    a remark) and the participant then speaks for at least ``unheard_answer`` seconds
    before the interviewer's next turn (an answer, not a back-channel)."""
    turn = _turn(units, i)
    j = i + len(turn)
    heard = statistics.median(u.probability for u in turn)
    if heard >= options.unheard_probability:
        return False
    answer = 0.0
    while j < len(units) and not (units[j].role is Speaker.INTERVIEWER and units[j].turn):
        if units[j].role is Speaker.PARTICIPANT:
            answer += units[j].end - units[j].start
        j += 1
    return answer >= options.unheard_answer


def _joined_char_scores(
    matcher: _Matcher,
    units: Sequence[_Unit],
    i: int,
    taken: set[tuple[int, int]],
    options: TaggingOptions,
) -> dict[str, float]:
    """Character-level scores of sentence ``i``, also joined with the next one or two.

    A long question ASR cut into segments ("Endringer i organisa tovis, / sosial ..."):
    the sentence with the next one or two, when no pause parts them.
    """
    chars = dict(matcher.char_scores(units[i].text))
    text, last = units[i].text, units[i]
    for nxt in units[i + 1 : i + 1 + options.max_joined]:
        if (
            nxt.segment_index == last.segment_index
            or (nxt.segment_index, nxt.word_start) in taken
            or nxt.start - last.end >= options.min_turn_pause
        ):
            break
        text, last = f"{text} {nxt.text}", nxt
        alone = matcher.char_scores(nxt.text)
        for q, v in matcher.char_scores(text).items():
            # only when this sentence adds to it ("Takk." + the question: no)
            if v > alone.get(q, 0.0):
                chars[q] = max(v, chars.get(q, 0.0))
    return chars


def _turn_scores(
    matcher: _Matcher, units: Sequence[_Unit], i: int, options: TaggingOptions
) -> tuple[dict[str, float], dict[str, float]]:
    """Token and character-level scores of the interviewer's turn that begins at ``i``.

    The voices say where the turn ends, so each run of its sentences (up to
    ``max_turn_units`` of them) is scored and the best counts: a question after a
    lead-in ("I'd like to go back to something you said. Information: ...") or cut
    up by ASR is found in it whatever the pauses and segments.
    """
    turn = _turn(units, i)[: options.max_turn_units]
    tokens_best: dict[str, float] = {}
    chars_best: dict[str, float] = {}
    for a in range(len(turn)):
        for b in range(a + 1, len(turn) + 1):
            text = " ".join(u.text for u in turn[a:b])
            for q, v in matcher.ask_scores(text, turn[b - 1].asks).items():
                tokens_best[q] = max(v, tokens_best.get(q, 0.0))
            for q, v in matcher.char_scores(text).items():
                chars_best[q] = max(v, chars_best.get(q, 0.0))
    return tokens_best, chars_best


def _next_unasked(matcher: _Matcher, current: str | None, asked: set[str], n: int = 1) -> list[str]:
    """The first ``n`` questions after ``current`` in guide order not asked yet."""
    start = matcher.order[current] + 1 if current is not None else 0
    return [q.id for q in matcher.questions[start:] if q.id not in asked][:n]


def detect_questions(
    guide: Guide,
    segments: Sequence[Segment],
    language: str | None = None,
    options: TaggingOptions | None = None,
) -> list[Detection]:
    """Find where the interviewer reads or paraphrases a guide question.

    Args:
        guide: The interview guide.
        segments: The transcript, in time order, preferably with word timestamps.
        language: The interview's language ("nb", "en", ...); default the guide's.
        options: Thresholds; defaults if None.

    Returns:
        One detection per asking sentence, in time order, each with a score in [0, 1].
    """
    opts = options or TaggingOptions()
    matcher = _Matcher(guide, _language(guide, language), opts)
    segs = sorted(segments, key=lambda s: s.start)
    return _analyse(matcher, segs, [], opts).detections


@dataclass(frozen=True)
class _Analysis:
    units: list[_Unit]
    from_markers: list[_Boundary]
    snapped: set[int]
    detections: list[Detection]
    interviewer: int | None


def _analyse(
    matcher: _Matcher, segs: Sequence[Segment], markers: Sequence[Marker], opts: TaggingOptions
) -> _Analysis:
    """Sentences, marker boundaries and detections; again with the voices when the
    first detections show which voice is the interviewer's (`_interviewer_voice`)."""
    interviewer: int | None = None
    while True:
        units = _split_clauses(matcher, _units(segs, interviewer), segs, opts.detect_threshold)
        scores = _score_units(matcher, units)
        from_markers, snapped = _marker_boundaries(matcher, markers, units, scores, segs, opts)
        detections = _detect(matcher, units, scores, opts, from_markers)
        if interviewer is not None:
            break
        interviewer = _interviewer_voice(segs, detections, opts)
        if interviewer is None:
            break
        log.debug("voice %d is the interviewer's", interviewer)
    return _Analysis(units, from_markers, snapped, detections, interviewer)


def _same_words(matcher: _Matcher, a: str, b: str) -> bool:
    return a == b or matcher.variants.get(a, [[]])[0] == matcher.variants.get(b, [[]])[0]


def _marker_boundaries(
    matcher: _Matcher,
    markers: Sequence[Marker],
    units: Sequence[_Unit],
    scores: Sequence[dict[str, float]],
    segments: Sequence[Segment],
    options: TaggingOptions,
) -> tuple[list[_Boundary], set[int]]:
    """Boundaries from the key presses, snapped; and the units they were snapped to."""
    out: list[_Boundary] = []
    snapped_units: set[int] = set()
    starts = [u.start for u in units]  # units are in time order
    pauses = _pauses(segments)
    for m in sorted(markers, key=lambda m: m.time):
        if m.kind not in (MarkerKind.ASKED, MarkerKind.RETURNED) or not m.question_id:
            continue
        qid = m.question_id
        if qid not in matcher.order:
            log.warning("marker at %.1f s names question %r, not in the guide", m.time, qid)
            continue
        best_i, best_key, best_s = -1, -1.0, 0.0
        lo = bisect.bisect_left(starts, m.time - options.snap_window)
        hi = bisect.bisect_right(starts, m.time + options.snap_window)
        for i in range(lo, hi):
            if units[i].role is Speaker.PARTICIPANT:
                continue  # the participant's voice asks no guide question
            dist = abs(units[i].start - m.time)
            s = max((v for q, v in scores[i].items() if _same_words(matcher, q, qid)), default=0.0)
            if s >= options.snap_min_score:
                key = s - 0.01 * dist
                if key > best_key:
                    best_i, best_key, best_s = i, key, s
        if best_i >= 0:
            out.append(
                _Boundary(
                    units[best_i].start, qid, TagSource.MARKER, 0.85 + 0.15 * min(1.0, best_s)
                )
            )
            snapped_units.add(best_i)
            continue
        # no sentence asks the question recognisably (ASR garbled it): a "?" in garbled
        # text means nothing; the interviewer's voice, or else the silence before a
        # turn, still shows where it began
        turn = _nearest_turn(units, m.time, options, {b.time for b in out})
        if turn is not None:
            out.append(_Boundary(turn, qid, TagSource.MARKER, 0.8))
            continue
        pause = _nearest_pause(pauses, m.time, options, {b.time for b in out})
        if pause is not None:
            out.append(_Boundary(pause, qid, TagSource.MARKER, 0.7))
            continue
        out.append(_Boundary(m.time, qid, TagSource.MARKER, 0.6))
    return out, snapped_units


def _nearest_turn(
    units: Sequence[_Unit], t: float, options: TaggingOptions, taken: set[float]
) -> float | None:
    """The start of the interviewer's turn nearest to a key press, within
    ``snap_window`` and not taken by an earlier press; None without voices."""
    starts = [
        u.start
        for u in units
        if u.turn
        and u.role is Speaker.INTERVIEWER
        and abs(u.start - t) <= options.snap_window
        and u.start not in taken
    ]
    return min(starts, key=lambda x: abs(x - t)) if starts else None


def _pauses(segments: Sequence[Segment]) -> list[tuple[float, float]]:
    """(time speech resumes, length of the silence before it), in time order."""
    out: list[tuple[float, float]] = []
    prev_end: float | None = None
    for seg in segments:
        items = [(w.start, w.end) for w in seg.words] or [(seg.start, seg.end)]
        for start, end in items:
            if prev_end is None:  # the recording's first words begin a turn
                out.append((start, math.inf))
            elif start - prev_end > 0:
                out.append((start, start - prev_end))
            prev_end = end
    return out


def _nearest_pause(
    pauses: Sequence[tuple[float, float]], t: float, options: TaggingOptions, taken: set[float]
) -> float | None:
    """Where a turn most likely began near a key press: a pause between words, close by.

    Turns are separated by longer silences than sentences within a turn. Among the
    pauses of at least ``min_turn_pause`` within ``snap_window`` of the press, not
    already taken by an earlier press, take the best ``min(length, max_turn_pause) -
    0.1 × distance``: a gap in the word timings longer than ``max_turn_pause`` is as
    likely words the ASR dropped as a silence, so it counts no more than a long pause.
    """
    best, best_key = None, -math.inf
    lo = bisect.bisect_left(pauses, (t - options.snap_window, -math.inf))
    for start, length in pauses[lo:]:
        if start > t + options.snap_window:
            break
        if length < options.min_turn_pause or start in taken:
            continue
        key = min(length, options.max_turn_pause) - 0.1 * abs(start - t)
        if key > best_key:
            best, best_key = start, key
    return best


def _boundaries(
    matcher: _Matcher,
    markers: Sequence[Marker],
    from_markers: Sequence[_Boundary],
    detections: Sequence[Detection],
    options: TaggingOptions,
) -> list[_Boundary]:
    """All boundaries in time order.

    With markers, a detection adds a boundary only for a question the interviewer did
    not mark as asked (a missed key press; a later "returned" marker says it was asked
    before), away from the marker boundaries: a question marked as asked was asked
    where the marker says; the same words elsewhere are a repeat, a twin question or
    Whisper writing its prompt, and must not override the marker. A weak detection
    (< ``detect_boundary_score``) within ``snap_window`` after a marker boundary is
    the marked asking going on (a returning interviewer names the topic first).
    """
    if not markers or not from_markers:
        return [_Boundary(d.start, d.question_id, TagSource.DETECTED, d.score) for d in detections]
    bounds = list(from_markers)
    for d in detections:
        if (
            d.score < options.detect_boundary_score
            and d.letters < options.prior_score
            and not d.voiced
        ):
            continue  # weak, and not even the letters of the question: keep the marker's
        if any(
            m.question_id == d.question_id
            and (m.kind is MarkerKind.ASKED or m.time <= d.start + options.snap_window)
            for m in markers
        ):
            continue
        near = [
            b
            for b in from_markers
            if abs(b.time - d.start) < _EPS
            or (
                abs(b.time - d.start) <= options.snap_window
                and _same_words(matcher, b.question_id, d.question_id)
            )
            or (
                # the marked asking going on ("I'd like to go back ... Information ..."):
                # a weak match just after it is no new question
                0 < d.start - b.time <= options.snap_window
                and d.score < options.detect_boundary_score
            )
        ]
        if near:
            continue
        bounds.append(_Boundary(d.start, d.question_id, TagSource.DETECTED, d.score))
    bounds.sort(key=lambda b: b.time)
    # drop a boundary that repeats the question already in force
    merged: list[_Boundary] = []
    for b in bounds:
        if merged and merged[-1].question_id == b.question_id:
            continue
        merged.append(b)
    return merged


@dataclass
class _WordSlot:
    segment_index: int
    word_index: int  # -1 for a segment without words
    start: float
    end: float
    region: int  # index into boundaries, -1 before the first
    speaker: Speaker
    manual: int  # index into manual passages, -1 if none


def _manual_spans(previous: Sequence[Passage]) -> list[Passage]:
    return [p for p in previous if p.primary is not None and p.primary.source is TagSource.MANUAL]


def tag_transcript(
    guide: Guide,
    segments: Sequence[Segment],
    markers: Sequence[Marker],
    *,
    language: str | None = None,
    previous: Sequence[Passage] = (),
    options: TaggingOptions | None = None,
) -> list[Passage]:
    """Cut the transcript into passages and tag each with the question it answers.

    Args:
        guide: The interview guide.
        segments: The transcript segments in time order, with word timestamps if any.
        markers: The interviewer's markers (may be empty: detection alone then tags).
        language: The interview's language; default the guide's, else English.
        previous: The passages of an earlier tagging: their manual tags carry over.
        options: Thresholds; defaults if None.

    Returns:
        The passages in time order, each with a primary tag (None before the first
        question), secondary tags and a speaker.
    """
    opts = options or TaggingOptions()
    lang = _language(guide, language)
    segs = sorted(segments, key=lambda s: s.start)
    if not segs:
        return []
    matcher = _Matcher(guide, lang, opts)
    analysis = _analyse(matcher, segs, markers, opts)
    units, from_markers, snapped = analysis.units, analysis.from_markers, analysis.snapped
    detections = analysis.detections
    bounds = _boundaries(matcher, markers, from_markers, detections, opts)
    manual = _manual_spans(previous)
    if manual:
        log.debug("carrying over %d manual tags", len(manual))

    asking: dict[tuple[int, int], bool] = {}  # (segment, word) -> asks a guide question
    unsure: set[tuple[int, int]] = set()
    role: dict[tuple[int, int], Speaker] = {}  # (segment, word) -> its sentence's voice
    detected_units = {(d.segment_index, d.word_start) for d in detections}
    for i, u in enumerate(units):
        key_words = range(u.word_start, u.word_end) if u.word_end > u.word_start else [-1]
        if u.role is not Speaker.UNKNOWN:
            role.update(((u.segment_index, wi), u.role) for wi in key_words)
        if (u.segment_index, u.word_start) in detected_units or i in snapped:
            for wi in key_words:
                asking[(u.segment_index, wi)] = True
        elif u.asks:
            for wi in key_words:
                unsure.add((u.segment_index, wi))
    # a detection merged over two sentences covers the second one too
    for d in detections:
        for wi in range(d.word_start, d.word_end):
            asking[(d.segment_index, wi)] = True

    times = [b.time for b in bounds]

    def region_of(t: float) -> int:
        lo, hi = 0, len(times)
        while lo < hi:
            mid = (lo + hi) // 2
            if times[mid] <= t + _EPS:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def manual_of(start: float, end: float) -> int:
        mid = (start + end) / 2
        for i, p in enumerate(manual):
            if p.start - _EPS <= mid <= p.end + _EPS:
                return i
        return -1

    slots: list[_WordSlot] = []
    for si, seg in enumerate(segs):
        items: list[tuple[int, float, float]] = (
            [(wi, w.start, w.end) for wi, w in enumerate(seg.words)]
            if seg.words
            else [(-1, seg.start, seg.end)]
        )
        for wi, ws, we in items:
            key_t = ws if wi >= 0 else (ws + we) / 2
            region = region_of(key_t)
            if (si, wi) in role:
                speaker = role[(si, wi)]
            elif asking.get((si, wi)):
                speaker = Speaker.INTERVIEWER
            elif (si, wi) in unsure or region < 0:
                speaker = Speaker.UNKNOWN
            else:
                speaker = Speaker.PARTICIPANT
            slots.append(_WordSlot(si, wi, ws, we, region, speaker, manual_of(ws, we)))

    passages: list[Passage] = []
    group: list[_WordSlot] = []

    def flush() -> None:
        if not group:
            return
        seg = segs[group[0].segment_index]
        if group[0].word_index < 0:
            words: tuple[Word, ...] = ()
            text, start, end = seg.text.strip(), seg.start, seg.end
        else:
            words = tuple(seg.words[s.word_index] for s in group)
            text = _word_text(words) if len(words) < len(seg.words) else seg.text.strip()
            start, end = words[0].start, words[-1].end
        g = group[0]
        primary = None
        if g.region >= 0:
            b = bounds[g.region]
            primary = Tag(b.question_id, b.source, round(min(1.0, max(0.0, b.confidence)), 4))
        passages.append(
            _finish(
                Passage(start=start, end=end, text=text, words=words, speaker=g.speaker),
                primary,
                manual[g.manual].primary if g.manual >= 0 else None,
                matcher,
                opts,
            )
        )
        group.clear()

    for slot in slots:
        if group and (
            slot.segment_index != group[0].segment_index
            or slot.region != group[0].region
            or slot.speaker != group[0].speaker
            or slot.manual != group[0].manual
        ):
            flush()
        group.append(slot)
    flush()
    return passages


def _finish(
    passage: Passage,
    primary: Tag | None,
    manual: Tag | None,
    matcher: _Matcher,
    options: TaggingOptions,
) -> Passage:
    """Add the content signal, and the manual tag on top of everything."""
    secondary: list[Tag] = []
    if passage.speaker is not Speaker.INTERVIEWER and passage.text:
        primary_id = primary.question_id if primary else None
        sims = matcher.content_scores(passage.text, primary_id)
        ranked = sorted(
            ((q, s) for q, s in sims.items() if q != primary_id),
            key=lambda qs: (
                -qs[1],
                0 if primary_id and matcher.section[qs[0]] == matcher.section[primary_id] else 1,
                matcher.order[qs[0]],
            ),
        )
        if ranked and ranked[0][1] >= options.content_secondary:
            qid, sim = ranked[0]
            runner = ranked[1][1] if len(ranked) > 1 else 0.0
            tag = Tag(qid, TagSource.CONTENT, round(min(1.0, 0.8 * sim), 4))
            weak = primary is None or primary.confidence < options.weak_primary
            if (
                weak
                and passage.speaker is Speaker.PARTICIPANT
                and sim >= options.content_override
                and sim - runner >= options.content_margin
                and sim - sims.get(primary_id or "", 0.0) >= options.content_margin
            ):
                if primary is not None:
                    secondary.append(primary)
                primary = tag
            else:
                secondary.append(tag)
    if manual is not None:
        if primary is not None and primary.question_id != manual.question_id:
            secondary.insert(0, primary)
        primary = manual
    secondary = [t for t in secondary if primary is None or t.question_id != primary.question_id]
    return replace(passage, primary=primary, secondary=tuple(secondary))


def retag_passage(passages: Sequence[Passage], index: int, question_id: str) -> list[Passage]:
    """Tag one passage by hand: a manual tag (confidence 1.0) that survives re-tagging.

    The passage's previous primary tag is kept as a secondary one.

    Raises:
        KvaleError: there is no passage at ``index``.
    """
    if not 0 <= index < len(passages):
        raise KvaleError(
            f"There is no passage {index + 1}; the transcript has {len(passages)} passages. "
            "Pick a passage from the list.",
            title="No such passage",
        )
    old = passages[index]
    secondary = tuple(t for t in old.secondary if t.question_id != question_id)
    if old.primary is not None and old.primary.question_id != question_id:
        secondary = (old.primary, *secondary)
    new = replace(old, primary=Tag(question_id, TagSource.MANUAL, 1.0), secondary=secondary)
    return [*passages[:index], new, *passages[index + 1 :]]
