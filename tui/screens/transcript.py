"""Transcript view: passages with their question tags and confidence, edited in place.

Keys: t retag · c code · e edit text · w who speaks · s split · m merge with next ·
o the interviewer's notes and bookmarks (shown under the passage they were taken
during) · / search · j jump to a question · escape back. Low-confidence words are
highlighted; capitalised words that look like names are underlined.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from guide.transcript import is_manual
from kvale_errors import KvaleError
from kvale_i18n import format_date
from store.analysis import low_confidence, name_candidates, question_label, question_of
from store.corpus import ReviewInterview, note_line
from store.review import ReviewSession
from tui.i18n import N_, _, current_language, error_text, ngettext
from tui.screens.review_dialogs import ReviewNote, ReviewPick, ReviewSplit, ReviewText
from tui.screens.transcript_dialogs import pick_names, pick_speaker
from tui.screens.undo import UndoMixin
from tui.widgets.passage_text import passage_text

#: the retag list's item for "no question" (`guide.transcript.NO_QUESTION`)
NONE = "-"


class TranscriptScreen(UndoMixin, Screen[None]):
    """One interview's passages, to check tags, fix text and code."""

    # short labels: the footer fits 80 columns (the help screen has the tooltips)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("back")),
        Binding("t", "retag", N_("retag"), tooltip=N_("tag the passage with another question")),
        Binding("c", "code", N_("code"), tooltip=N_("code the passage, or some words of it")),
        Binding("u", "uncode", N_("uncode"), tooltip=N_("remove a code from the passage")),
        Binding("e", "edit", N_("edit"), tooltip=N_("correct the passage's text")),
        *UndoMixin.UNDO_BINDINGS,
        Binding("w", "speaker", N_("who"), tooltip=N_("say who speaks in the passage")),
        Binding("s", "split", N_("split"), tooltip=N_("split the passage in two")),
        Binding("m", "merge", N_("merge"), tooltip=N_("merge with the next passage")),
        Binding("slash", "search", N_("search"), tooltip=N_("search the transcript")),
        Binding("n", "next_match", N_("next match"), show=False),
        Binding("j", "jump", N_("jump"), tooltip=N_("jump to a question")),
        Binding("x", "names", N_("names"), tooltip=N_("decide about possible names")),
        Binding("o", "notes", N_("notes"), tooltip=N_("the interviewer's notes and bookmarks")),
    ]

    DEFAULT_CSS = """
    TranscriptScreen #passages { height: 1fr; }
    TranscriptScreen #summary { height: 1; background: $boost; padding: 0 1; }
    """

    def __init__(self, session: ReviewSession, interview_id: str) -> None:
        super().__init__()
        self.session = session
        self.interview_id = interview_id
        self.search_text = ""
        self.names: set[str] = set()
        #: the passage highlighted first (a segment opened from a code's list)
        self.start_at: int | None = None

    @property
    def interview(self) -> ReviewInterview:
        return self.session.corpus.interview(self.interview_id)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield OptionList(id="passages")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_passages(keep=self.start_at)
        self.query_one(OptionList).focus()

    def after_undo(self) -> None:
        self.refresh_passages()

    def refresh_passages(self, keep: int | None = None) -> None:
        """Rebuild the whole list (after a split, a merge or a name decision)."""
        interview = self.interview
        self.names = {
            c.word for c in name_candidates(self.session.corpus.only(interview.participant))
        }
        view = self.query_one(OptionList)
        index = keep if keep is not None else (view.highlighted or 0)
        view.set_options(
            passage_text(self.session, interview, i, self.names)
            for i in range(len(interview.passages))
        )
        self.refresh_summary()
        if interview.passages:
            view.highlighted = min(index, len(interview.passages) - 1)

    def refresh_one(self, index: int) -> None:
        """Redraw one passage (after a retag, a code or an edit): fast on long transcripts."""
        view = self.query_one(OptionList)
        view.replace_option_prompt_at_index(
            index, passage_text(self.session, self.interview, index, self.names)
        )
        self.refresh_summary()

    def refresh_summary(self) -> None:
        interview = self.interview
        names = self.names
        low = sum(map(low_confidence, interview.passages))  # those marked "?" in the list
        language = current_language()
        self.query_one("#summary", Static).update(
            " · ".join(
                [
                    interview.participant,
                    format_date(interview.date, language),
                    ngettext("{n} word", "{n} words", interview.word_count).format(
                        n=interview.word_count
                    ),
                    ngettext("{n} passage", "{n} passages", len(interview.passages)).format(
                        n=len(interview.passages)
                    ),
                    _("{n} low confidence").format(n=low),
                    ngettext("{n} possible name", "{n} possible names", len(names)).format(
                        n=len(names)
                    ),
                ]
            )
        )

    @property
    def current(self) -> int | None:
        return self.query_one(OptionList).highlighted

    def _do(self, action: str, *args: object, whole: bool = False) -> None:
        """Run a session edit on this interview and redraw: the passage, or the whole
        list when their number changed or ``whole`` (others changed too)."""
        index = self.current
        before = len(self.interview.passages)
        try:
            getattr(self.session, action)(self.interview_id, *args)
        except KvaleError as exc:
            self.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
            return
        if not whole and index is not None and len(self.interview.passages) == before:
            self.refresh_one(index)
        else:
            self.refresh_passages(keep=index)

    def _questions(self) -> list[tuple[str, str]]:
        guide = self.session.corpus.guide_of(self.interview)  # its own guide
        if guide is None:
            return []
        return [(q.id, question_label(guide, q.id, current_language())) for q in guide.questions()]

    def action_retag(self) -> None:
        index = self.current
        if index is None:
            return
        p = self.interview.passages[index]

        def done(qid: str | None) -> None:
            if qid:
                # the others' tags and confidences follow it: the whole list is redrawn
                self._do("retag", index, "" if qid == NONE else qid, whole=True)
                if n := self.session.followed:  # the passages that changed question
                    said = ngettext(
                        "{n} other passage now follows this retag (z undoes both).",
                        "{n} other passages now follow this retag (z undoes both).",
                        n,
                    )
                    self.notify(said.format(n=n), timeout=6)

        # first: none (small talk, the intro, the closing), as a tag of yours
        items = [(NONE, _("No question (small talk, the intro, the closing)"))]
        current = question_of(p) or (NONE if is_manual(p) else None)
        self.app.push_screen(
            ReviewPick(
                _("Which question does this passage answer?"), items + self._questions(), current
            ),
            done,
        )

    def action_code(self) -> None:
        """Code the passage: the code's name, then which words (empty: all of it)."""
        index = self.current
        if index is None:
            return
        existing = ", ".join(c.name for c in self.session.codebook.codes[:12])

        def named(name: str | None) -> None:
            if not name or not name.strip():
                return

            def words(chosen: str | None) -> None:
                if chosen is not None:
                    self._do("code_words", index, name, chosen)

            self.app.push_screen(
                ReviewText(
                    _(
                        "Which words does '{code}' code? Type them as written (empty: the "
                        "whole passage):"
                    ).format(code=name.strip())
                ),
                words,
            )

        prompt = _("Code this passage with (a new or existing code):")
        if existing:
            prompt += "\n" + _("Codes: {names}").format(names=existing)
        self.app.push_screen(ReviewText(prompt), named)

    def action_uncode(self) -> None:
        """Remove one of the passage's codes (the coding, not the code)."""
        index = self.current
        if index is None:
            return
        book = self.session.codebook
        spans = book.spans_on(self.interview_id, self.interview.passages[index])
        if not spans:
            self.notify(_("This passage has no code to remove."), timeout=3)
            return
        items = []
        for span in spans:
            try:
                name = book.code(span.code_id).name
            except KeyError:
                continue
            items.append((span.id, f"[{name}] “{span.text}”"))

        def chosen(span_id: str | None) -> None:
            if span_id:
                try:
                    self.session.uncode(span_id)
                except KvaleError as exc:
                    self.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
                    return
                self.refresh_one(index)
                self.notify(_("Code removed from the passage (z undoes it)."), timeout=3)

        self.app.push_screen(ReviewPick(_("Remove which code from this passage?"), items), chosen)

    def action_edit(self) -> None:
        index = self.current
        if index is None:
            return

        def done(text: str | None) -> None:
            if text is None:
                return
            before = {s.id for s in self.session.detached(self.interview_id)}
            self._do("edit_text", index, " ".join(text.split()))
            lost = [s.text for s in self.session.detached(self.interview_id) if s.id not in before]
            if lost:  # the coding stays in the codebook, in no export: said while z undoes it
                quotes = ", ".join(f"“{words}”" for words in lost)
                said = ngettext(
                    "The edit changed coded words: {quotes} is no longer in the passage, so "
                    "exports leave its coding out. z undoes the edit; or code the new words again.",
                    "The edit changed coded words: {quotes} are no longer in the passage, so "
                    "exports leave their coding out. z undoes the edit; or code the new words "
                    "again.",
                    len(lost),
                )
                self.notify(said.format(quotes=quotes), severity="warning", timeout=12)

        self.app.push_screen(
            ReviewNote(_("Edit the passage"), self.interview.passages[index].text), done
        )

    def action_split(self) -> None:
        index = self.current
        if index is None:
            return
        text = self.interview.passages[index].text

        def done(start_words: str | None) -> None:
            if not start_words:
                return
            # (as written, or else in any case: "takk" finds "Takk")
            wanted = start_words.strip()
            at = text.find(wanted)
            at = at if at >= 0 else text.lower().find(wanted.lower())
            if at == 0:  # the passage's own first words: no first part would be left
                self.notify(
                    _("The passage begins with those words: type where the second part begins."),
                    severity="error",
                )
                return
            if at < 0:
                self.notify(
                    _(
                        "Those words are not inside the passage: type the first words of the "
                        "second part exactly."
                    ),
                    severity="error",
                )
                return
            self._do("split", index, at)

        self.app.push_screen(ReviewSplit(_("Split before these words:"), text), done)

    def action_notes(self) -> None:
        """Pick one of the interviewer's notes or bookmarks and edit its text."""
        notes = self.interview.notes
        if not notes:
            self.notify(_("No notes or bookmarks were taken during this interview."))
            return

        def edit(index: int) -> None:
            def done(text: str | None) -> None:
                if text is None:
                    return
                try:
                    self.session.edit_note(self.interview_id, index, text)
                except KvaleError as exc:
                    self.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
                    return
                self.refresh_passages()

            line = note_line(notes[index], current_language())
            self.app.push_screen(ReviewNote(line, notes[index].text), done)

        def picked(choice: str | None) -> None:
            if choice is not None:
                edit(int(choice))

        items = []
        for i, n in enumerate(notes):
            t = int(n.time)
            line = note_line(n, current_language())
            items.append((str(i), f"{t // 60:02d}:{t % 60:02d}  {line}"))
        self.app.push_screen(ReviewPick(_("Notes and bookmarks:"), items), picked)

    def action_merge(self) -> None:
        index = self.current
        if index is not None:
            self._do("merge", index)

    def action_search(self) -> None:
        def done(text: str | None) -> None:
            if text:
                self.search_text = text
                self.action_next_match()

        self.app.push_screen(ReviewText(_("Search the transcript for:"), self.search_text), done)

    def action_next_match(self) -> None:
        if not self.search_text:
            return
        passages = self.interview.passages
        start = (self.current or 0) + 1
        wanted = self.search_text.casefold()
        for k in range(len(passages)):
            i = (start + k) % len(passages)
            if wanted in passages[i].text.casefold():
                self.query_one(OptionList).highlighted = i
                return
        self.notify(_("'{text}' is not in this transcript.").format(text=self.search_text))

    def action_jump(self) -> None:
        def done(qid: str | None) -> None:
            if not qid:
                return
            for i, p in enumerate(self.interview.passages):
                if question_of(p) == qid:
                    self.query_one(OptionList).highlighted = i
                    return
            self.notify(
                _("No passage is tagged {question} in this interview.").format(question=qid)
            )

        self.app.push_screen(ReviewPick(_("Jump to question:"), self._questions()), done)

    def action_speaker(self) -> None:
        pick_speaker(self)

    def action_names(self) -> None:
        """Decide about the words flagged as possible names: redact, or not a name."""
        pick_names(self)
