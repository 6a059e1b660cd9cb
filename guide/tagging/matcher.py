"""Lexical and character-level likeness of transcript text to the guide's questions.

Both sides are normalised and stemmed (`guide.text`); heard words count as guide words
when they match exactly or fuzzily (rapidfuzz ratio, so inflections and ASR slips
still match); words shared by many questions weigh less (idf). ASR garbles words
beyond that ("masstirke trinselen" for "styrker trivselen"), yet the letters mostly
survive: a character-level score compares the texts with spaces dropped. Nothing here
compares meanings: the matching is on words and letters only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from guide.model import Guide, Question
from guide.sentences import split_sentences
from guide.tagging.options import TaggingOptions
from guide.tagging.units import question_like
from guide.text import normalise, stem, stemmer_language, tokens


class Matcher:
    """The guide's questions as stemmed token sets, with idf weights and a fuzzy lexicon."""

    def __init__(self, guide: Guide, language: str, options: TaggingOptions) -> None:
        self.language = language
        self.options = options
        self.questions: list[Question] = list(guide.questions())
        self.order = {q.id: i for i, q in enumerate(self.questions)}
        self.section = {q.id: q.section_id for q in self.questions}
        # per question, whether it is a theme heading that is no question
        # ("Informasjon"): a title, seldom asked aloud
        self.titles = [q.is_section and not question_like(q.text, language) for q in self.questions]
        heading = {s.id: s.question.text for s in guide.sections}
        self.variants: dict[str, list[list[str]]] = {}
        self.bags: dict[str, set[str]] = {}
        for q in self.questions:
            own = tokens(q.text, language)
            variants = [own]
            sentences = split_sentences(q.text, at_semicolons=True)
            if len(sentences) > 1:  # a long question is often asked one sentence at a time
                # one-word parts ("Hva trenger du?") would match any answer: left out
                variants += [v for x in sentences if len(v := tokens(x, language)) >= 2]
            if not q.is_section:
                variants.append(tokens(f"{heading.get(q.section_id, '')} {q.text}", language))
            # a probe read out asks its question again, or in its place (one of a
            # single content word, "Why?", would match any sentence: left out)
            variants += [v for p in q.probes if len(v := tokens(p.text, language)) >= 2]
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
                parts = split_sentences(q.text, at_semicolons=True)
                parts = (
                    [x for x in parts if len(tokens(x, language)) >= 2] if len(parts) > 1 else []
                )
                forms = {normalise(x).replace(" ", "") for x in [q.text, *parts]}
                self.spellings[key] = sorted(f for f in forms if len(f) >= 4)
        self._chars: dict[str, dict[str, float]] = {}
        flat = [(f, k) for k, fs in enumerate(self.spellings.values()) for f in fs]
        self._forms = ([f for f, _k in flat], np.array([k for _f, k in flat], dtype=np.int64))
        self._form_len = np.array([len(f) for f, _k in flat], dtype=np.float64)
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
        # Norwegian builds words: a noun from a verb ("trivsel" from "trives"), and
        # compounds ("sosialpolitiske" holds "politisk"). A heard word counts as a guide
        # word with the same root, or as a compound of the guide's whose last part
        # begins as the heard word does
        self._roots: dict[str, set[str]] = {}
        # the stemmer strips one ending: "lederen" gives "leder", "leder" gives "led".
        # Stemmed once more, both come to the same stem: a heard word counts as each
        # guide word whose stem stemmed again is its own stemmed again
        self._again: dict[str, set[str]] = {}
        for cand in self.vocab:
            self._again.setdefault(stem(cand, language), set()).add(cand)
        self._parts: dict[str, set[str]] = {}
        if stemmer_language(language) == "norwegian":
            for cand in self.vocab:
                self._roots.setdefault(_root(cand), set()).add(cand)
                for i in range(3, len(cand) - 5):
                    self._parts.setdefault(cand[i : i + 6], set()).add(cand)
        self._lex: dict[str, frozenset[str]] = {}
        self._asked: dict[tuple[str, bool], dict[str, float]] = {}
        self._by_token: dict[str, list[tuple[str, frozenset[str], float]]] | None = None

    def opens(self) -> npt.NDArray[np.bool_]:
        """Per question (N,), whether it opens its theme: a theme's own question, or the
        first under a theme title (`titles`)."""
        qs = self.questions
        return np.array(
            [
                q.is_section
                or (i > 0 and self.titles[i - 1] and qs[i - 1].section_id == q.section_id)
                for i, q in enumerate(qs)
            ],
            dtype=bool,
        )

    def lexicon(self, token: str) -> frozenset[str]:
        """The guide tokens a transcript token counts as (exact or fuzzy match)."""
        hit = self._lex.get(token)
        if hit is None:
            found = {token} if token in self.idf else set()
            found |= self._again.get(stem(token, self.language), set())
            found |= self._roots.get(_root(token), set()) if len(_root(token)) >= 4 else set()
            if len(token) >= 6:
                found |= self._parts.get(token[:6], set())
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
                # the same stem inflected or in a compound ("organisasjonen" for
                # "organisatoriske", "politikken" in "sosialpolitiske")
                for cand in self.vocab:
                    if len(cand) >= 5 and (
                        (cand[:6] == token[:6] and len(token) >= 6 and len(cand) >= 6)
                        or (len(token) >= 5 and token in cand)
                        or cand in token
                    ):
                        found.add(cand)
            hit = frozenset(found)
            self._lex[token] = hit
        return hit

    def coverage(self, wanted: Sequence[str] | set[str], heard: set[str]) -> float:
        """Idf-weighted share of the ``wanted`` tokens that were ``heard`` (0–1)."""
        idf = self.idf
        total = math.fsum(idf.get(t, 1.0) for t in wanted)
        if total <= 0:
            return 0.0
        return math.fsum(idf.get(t, 1.0) for t in heard.intersection(wanted)) / total

    def _index(self) -> dict[str, list[tuple[str, frozenset[str], float]]]:
        """Guide token -> the variants (question id, token set, total weight) holding it."""
        if self._by_token is None:
            self._by_token = {}
            for qid, variants in self.variants.items():
                for v in variants:
                    vs = frozenset(v)
                    entry = (qid, vs, math.fsum(self.idf.get(t, 1.0) for t in v))
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
        rest = without_lead_in(text)
        if rest:
            out.update(self.char_scores(rest))
        sn = normalise(text).replace(" ", "")
        if len(sn) < 4:
            return out
        # every spelling at once (rapidfuzz's cdist); a long spelling is also looked
        # for inside a longer text, discounted by the length ratio
        forms, keys = self._forms
        r = process.cdist([sn], forms, scorer=fuzz.ratio)[0].astype(np.float64)
        inner = np.flatnonzero((self._form_len < len(sn)) & (self._form_len >= 8))
        if len(inner):
            part = process.cdist([sn], [forms[i] for i in inner], scorer=fuzz.partial_ratio)[0]
            part = part * np.sqrt(self._form_len[inner] / len(sn))
            r[inner] = np.maximum(r[inner], part)
        best = np.full(len(self.spellings), 0.0)
        np.maximum.at(best, keys, r)
        ratios = dict(zip(self.spellings, best.tolist(), strict=True))
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

    def ask_scores(self, text: str, asks: bool) -> dict[str, float]:
        """Score of ``text`` as an asking of each question (only non-zero scores)."""
        key = (text, asks)
        cached = self._asked.get(key)
        if cached is not None:
            return cached
        out: dict[str, float] = {}
        self._asked[key] = out
        rest = without_lead_in(text)
        if rest:
            out.update(self.ask_scores(rest, asks))
        toks = tokens(text, self.language)
        if not toks or len(toks) > self.options.max_unit_tokens:
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
                cov = math.fsum(self.idf.get(x, 1.0) for x in vs if x in heard) / total
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
            if bag.isdisjoint(heard):
                continue
            s = self.coverage(bag - shared if shared else bag, heard)
            if s > 0:
                out[qid] = s
        return out


# Norwegian derivational endings (after the stemmer): "trivsel", "kjærlighet",
# "ledelse", "ledning"; the first of these that leaves a root of four letters or more goes
_SUFFIXES = ("else", "sel", "het", "skap", "ning", "ing", "lig", "isk", "er", "e")


def _root(token: str) -> str:
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def language_of(guide: Guide, language: str | None) -> str:
    return language or guide.language or "en"


def without_lead_in(text: str) -> str:
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
