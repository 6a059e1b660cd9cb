"""Analysis over a `Corpus`: by-question matrix, word counts, informant table, name flags.

These are the views the thesis built by hand (chapter 3.6): every
participant's answers to one guide question side by side; the word counts
at each stage (17 585 transcript words → 5 290 coded → 1 904 condensed); the
informant table (participant, date, length, words, with a total); and the
capitalised words that look like names of third parties, for the researcher
to decide whether to redact them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date as Date

from guide.model import Guide
from guide.sentences import ends_sentence
from guide.transcript import NO_QUESTION, Passage, Speaker
from kvale_i18n import translator
from store.corpus import Corpus, ReviewInterview, count_words

LOW_CONFIDENCE = 0.6  # a tag or a word below this is shown for the researcher to check
UNTAGGED = NO_QUESTION  # question id of passages with no tag, or "no question" by hand


# --- by question ----------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One participant's answer to one question: their passages, in order."""

    interview_id: str
    participant: str
    passages: tuple[tuple[int, Passage], ...]  # (index in the interview, passage)
    #: per passage, which participant says it ("I3-2": `ReviewInterview.participant_label`;
    #: "" the interviewer's); () all the participant's
    labels: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The passages' text; in a couple or group interview whose participants both
        answered, each one's words after their label ("I3-1: … I3-2: …")."""
        if len({who for who in self.labels if who}) > 1:
            return " ".join(
                f"{who}: {p.text.strip()}" if who else p.text.strip()
                for who, (_, p) in zip(self.labels, self.passages, strict=True)
            )
        return " ".join(p.text.strip() for _, p in self.passages)

    @property
    def words(self) -> int:
        return sum(count_words(p.text) for _, p in self.passages)


def _answer(interview: ReviewInterview, found: tuple[tuple[int, Passage], ...]) -> Answer:
    # (the interviewer's passages, shown on request, without one)
    labels = tuple(
        interview.participant_label(p) if p.speaker is Speaker.PARTICIPANT else "" for _, p in found
    )
    return Answer(interview.id, interview.participant, found, labels)


def question_of(passage: Passage) -> str:
    """The question id a passage is tagged with ("" when untagged)."""
    return passage.primary.question_id if passage.primary is not None else UNTAGGED


def by_question(
    corpus: Corpus, question_id: str, *, include_interviewer: bool = False
) -> list[Answer]:
    """Every interview's passages tagged with ``question_id``, one `Answer` per interview.

    Interviews that did not answer the question get an empty `Answer`, so a
    missing answer shows as a gap, not as nothing.
    """
    answers = []
    guide, qid = split_question_key(corpus, question_id)
    if corpus.mixed:  # only the interviews that followed this question's guide
        for interview in corpus.interviews:
            if guide_key(corpus.guide_of(interview)) != guide_key(guide):
                continue
            found = tuple(
                (i, p)
                for i, p in enumerate(interview.passages)
                if question_of(p) == qid
                and (include_interviewer or p.speaker != Speaker.INTERVIEWER)
            )
            answers.append(_answer(interview, found))
        return answers
    for interview in corpus.interviews:
        found = tuple(
            (i, p)
            for i, p in enumerate(interview.passages)
            if question_of(p) == question_id
            and (include_interviewer or p.speaker != Speaker.INTERVIEWER)
        )
        answers.append(_answer(interview, found))
    return answers


def question_matrix(corpus: Corpus) -> dict[str, dict[str, int]]:
    """Words per question id per interview id: the question × participant matrix."""
    matrix: dict[str, dict[str, int]] = defaultdict(dict)
    for interview in corpus.interviews:
        for p in interview.passages:
            if p.speaker == Speaker.INTERVIEWER:
                continue
            row = matrix[question_key(corpus, interview, question_of(p))]
            row[interview.id] = row.get(interview.id, 0) + count_words(p.text)
    return dict(matrix)


def guide_key(guide: Guide | None) -> str:
    """A short, stable name for a guide in question keys ("3f2a9c1d")."""
    return guide.content_hash[:8] if guide is not None else "noguide"


def question_key(corpus: Corpus, interview: ReviewInterview, question_id: str) -> str:
    """A question as project-wide views name it: its id, prefixed by its guide's key
    ("3f2a9c1d:1.1") when the interviews followed different guides, so the same id in
    two guides (two different questions) is never merged."""
    if not corpus.mixed:
        return question_id
    return f"{guide_key(corpus.guide_of(interview))}:{question_id}"


def split_question_key(corpus: Corpus, key: str) -> tuple[Guide | None, str]:
    """(the guide, the question id) of a key from `question_ids`."""
    if corpus.mixed:
        prefix, sep, qid = key.partition(":")
        if sep:
            for g in corpus.guides():
                if guide_key(g) == prefix:
                    return g, qid
    return corpus.guide, key


def question_ids(corpus: Corpus) -> list[str]:
    """The guide's question ids in order, then any other tags found, then untagged.

    With several guides: the same for each guide in turn, as question keys
    (`question_key`).
    """
    if corpus.mixed:
        keys: list[str] = []
        for g in corpus.guides():
            mine = [i for i in corpus.interviews if guide_key(corpus.guide_of(i)) == guide_key(g)]
            part = Corpus(corpus.name, g, mine)
            keys += [f"{guide_key(g)}:{q}" for q in question_ids(part)]
        return keys
    ids: list[str] = list(corpus.guide.ids) if corpus.guide is not None else []
    seen = set(ids)
    extra: list[str] = []
    for interview in corpus.interviews:
        for p in interview.passages:
            q = question_of(p)
            if q not in seen:
                seen.add(q)
                extra.append(q)
    return ids + sorted(q for q in extra if q) + ([UNTAGGED] if UNTAGGED in extra else [])


def corpus_question_label(corpus: Corpus, key: str, language: str | None = None) -> str:
    """A question key's label; with several guides, prefixed by its guide's title."""
    guide, qid = split_question_key(corpus, key)
    label = question_label(guide, qid, language)
    if corpus.mixed and guide is not None:
        return f"{guide.title} · {label}"
    return label


def question_label(guide: Guide | None, question_id: str, language: str | None = None) -> str:
    """ "2.1 In relation to the work with users?" (or "untagged", in ``language``)."""
    if question_id == UNTAGGED:
        return translator(language).gettext("untagged")
    if guide is not None:
        try:
            return f"{question_id} {guide.question(question_id).text}"
        except KeyError:
            pass
    return question_id


# --- word counts ----------------------------------------------------------------


@dataclass(frozen=True)
class WordCounts:
    """Words at each stage of the analysis (the thesis: 17 585 → 5 290 → 1 904)."""

    transcript: int
    coded: int
    condensed: int


def coded_words(corpus: Corpus) -> int:
    """Words inside coded spans, each word counted once however many codes it has."""
    total = 0
    for interview in corpus.interviews:
        found, _ = corpus.codebook.resolve(interview.id, interview.passages)
        by_passage: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for span, index in found:
            by_passage[index].append((span.char_start, span.char_end))
        for index, ranges in by_passage.items():
            text = interview.passages[index].text
            covered = bytearray(len(text))
            for start, end in ranges:
                covered[start:end] = b"\x01" * (end - start)
            total += sum(1 for m in re.finditer(r"\S+", text) if any(covered[m.start() : m.end()]))
    return total


def word_counts(corpus: Corpus) -> WordCounts:
    """Transcript words → coded words → condensation words."""
    transcript = sum(i.word_count for i in corpus.interviews)
    condensed = sum(count_words(t) for t in corpus.codebook.notes.values())
    return WordCounts(transcript, coded_words(corpus), condensed)


def group_word_counts(corpus: Corpus) -> dict[str, WordCounts]:
    """The same three counts per code group (transcript = all words of its participants)."""
    result: dict[str, WordCounts] = {}
    book = corpus.codebook
    for group in book.groups:
        code_ids = {c.id for c in book.codes_in(group.id)}
        coded = sum(count_words(s.text) for s in book.spans if s.code_id in code_ids)
        condensed = sum(
            count_words(v) for k, v in book.notes.items() if k.split("|")[0] == group.id
        )
        result[group.id] = WordCounts(0, coded, condensed)
    return result


# --- informant table --------------------------------------------------------------


@dataclass(frozen=True)
class InformantRow:
    participant: str
    date: str  # as the thesis printed it: "13.03.2023"
    minutes: int
    words: int


def informant_table(
    corpus: Corpus, language: str | None = None
) -> tuple[list[InformantRow], InformantRow]:
    """One row per interview (participant, date, length, words) and the total row
    ("Total" in ``language``; None: English)."""
    rows = []
    for interview in sorted(corpus.interviews, key=_participant_key):
        rows.append(
            InformantRow(
                interview.participant,
                _thesis_date(interview.date),
                round(interview.duration / 60),
                interview.word_count,
            )
        )
    total = InformantRow(
        translator(language).gettext("Total"),
        "",
        sum(r.minutes for r in rows),
        sum(r.words for r in rows),
    )
    return rows, total


def _participant_key(interview: ReviewInterview) -> tuple[int, str, str]:
    digits = re.sub(r"\D", "", interview.participant)
    return (int(digits) if digits else 10**9, interview.participant, interview.date)


def _thesis_date(iso: str) -> str:
    try:
        return Date.fromisoformat(iso[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return iso


def format_informant_table(corpus: Corpus, language: str | None = None) -> str:
    """The informant table as aligned plain text (Tabell 1 of the thesis), its headings in
    ``language`` (None: English)."""
    _ = translator(language).gettext
    rows, total = informant_table(corpus, language)
    head = [_("Informant"), _("Date"), _("Length"), _("Words")]
    lines = [f"{head[0]:<10} {head[1]:<11} {head[2]:>8} {head[3]:>8}"]
    for r in [*rows, total]:
        lines.append(f"{r.participant:<10} {r.date:<11} {r.minutes:>4} min {r.words:>8,}")
    return "\n".join(lines).replace(",", " ")


# --- names that may need redaction ---------------------------------------------

_COMMON_CAPITALISED = {
    # English
    "i", "i'm", "i've", "i'd", "i'll", "ok", "okay", "mr", "mrs", "ms", "dr",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "english", "norwegian",
    "christmas", "easter", "covid", "teams", "zoom",
    # Norwegian (nouns are not capitalised, so few false alarms)
    "nav", "jeg", "norge", "norsk", "oslo", "mandag", "tirsdag", "onsdag", "torsdag",
    "fredag", "lørdag", "søndag", "januar", "februar", "mars", "mai", "juni", "juli",
    "desember", "oktober", "jul", "påske", "gud",
}  # fmt: skip

_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class NameCandidate:
    """A capitalised word that may be a third party's name."""

    word: str
    count: int
    interviews: tuple[str, ...]
    example: str  # a short context


def name_candidates(corpus: Corpus) -> list[NameCandidate]:
    """Capitalised words inside sentences that look like names, most frequent first.

    A word is a candidate when it is capitalised but not at the start of a
    sentence, is not a common capitalised word (weekdays, "I", "NAV"), does not
    occur in the guide, is not already on the redaction list, was not marked
    "not a name" by the researcher, and is never written in lower case
    elsewhere in the corpus.
    """
    redactor = corpus.redactor()
    dismissed = {w.casefold() for w in corpus.codebook.not_names}
    guide_words: set[str] = set()
    for guide in corpus.guides():
        for q in guide.questions():
            guide_words.update(w.casefold() for w in _WORD.findall(q.text))
        guide_words.update(w.casefold() for w in _WORD.findall(guide.title))
    lower_seen: set[str] = set()
    hits: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for interview in corpus.interviews:
        for p in interview.passages:
            text = redactor(p.text)
            for m in _WORD.finditer(text):
                word = m.group(0)
                if word[0].islower():
                    lower_seen.add(word.casefold())
                    continue
                if not word[0].isupper() or (word.isupper() and len(word) > 1):
                    continue  # acronyms are not names
                before = text[: m.start()]
                # after a sentence end, or a colon (speech quoted after it starts anew)
                if not before.strip() or ends_sentence(before) or before.rstrip().endswith(":"):
                    continue
                # an English possessive ("Monday's", "Olsen's"), or a Norwegian one ("Karis")
                key = re.sub(r"['’]s?$", "", word)
                if key == word and word.endswith("s") and len(word) > 3:
                    key = word.rstrip("s")
                if key.casefold() in _COMMON_CAPITALISED or key.casefold() in guide_words:
                    continue
                context = text[max(0, m.start() - 30) : m.end() + 30].strip()
                hits[key].append((interview.participant, context))
    result = []
    for word, found in hits.items():
        if word.casefold() in lower_seen or word.casefold() in dismissed:
            continue
        participants = tuple(sorted({p for p, _ in found}))
        result.append(NameCandidate(word, len(found), participants, found[0][1]))
    return sorted(result, key=lambda c: (-c.count, c.word))


def low_confidence(passage: Passage) -> bool:
    """Whether the passage's tag is below `LOW_CONFIDENCE` (for the researcher to check;
    an untagged passage is not: it has no tag to doubt)."""
    return passage.primary is not None and passage.primary.confidence < LOW_CONFIDENCE


def low_confidence_words(passage: Passage, threshold: float = LOW_CONFIDENCE) -> list[int]:
    """Indices of the passage's words the engine was unsure of."""
    return [i for i, w in enumerate(passage.words) if w.probability < threshold]
