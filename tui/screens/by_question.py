"""By question: pick a guide question, see every participant's answer to it.

The question × participant view the thesis built by hand. The left list shows
each question with its word count over all interviews; the right shows each
participant's answer with its word count and codes, in sequence or side by
side (``v``).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from store.analysis import by_question, corpus_question_label, question_ids, question_matrix
from store.review import ReviewSession
from tui.i18n import N_, _, current_language, ngettext


class ByQuestionScreen(Screen[None]):
    """Every participant's answers to one question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("Back")),
        Binding("v", "toggle_layout", N_("Side by side / in sequence")),
    ]

    DEFAULT_CSS = """
    ByQuestionScreen #questions { width: 38; }
    ByQuestionScreen #answers { width: 1fr; }
    ByQuestionScreen #answers.side { layout: horizontal; overflow-x: auto; }
    ByQuestionScreen #answers.side .answer { width: 40; }
    ByQuestionScreen .answer { height: auto; padding: 0 1; margin-bottom: 1; }
    ByQuestionScreen .answer-head { text-style: bold; }
    """

    def __init__(self, session: ReviewSession, question_id: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.ids = question_ids(session.corpus)
        self.question_id = question_id or (self.ids[0] if self.ids else "")
        self.side_by_side = False

    def compose(self) -> ComposeResult:
        yield Header()
        matrix = question_matrix(self.session.corpus)
        options = []
        for qid in self.ids:
            words = sum(matrix.get(qid, {}).values())
            label = corpus_question_label(self.session.corpus, qid, current_language())
            options.append(Option(f"{label[:30]:<30} {words:>5}", id=qid or "-"))
        with Horizontal():
            yield OptionList(*options, id="questions")
            yield VerticalScroll(id="answers")
        yield Footer()

    def on_mount(self) -> None:
        questions = self.query_one(OptionList)
        if self.question_id in self.ids:
            questions.highlighted = self.ids.index(self.question_id)
        questions.focus()
        self.show(self.question_id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        qid = "" if event.option.id == "-" else str(event.option.id)
        if qid != self.question_id:
            self.show(qid)

    def show(self, question_id: str) -> None:
        """Fill the right side with every participant's answer to this question."""
        self.question_id = question_id
        corpus = self.session.corpus
        answers = by_question(corpus, question_id)
        total = sum(a.words for a in answers)
        answered = sum(1 for a in answers if a.passages)
        self.sub_title = (
            f"{corpus_question_label(corpus, question_id, current_language())} — "
            + _("{answered}/{all} participants").format(answered=answered, all=len(answers))
            + " · "
            + ngettext("{n} word", "{n} words", total).format(n=total)
        )
        box = self.query_one("#answers", VerticalScroll)
        box.set_class(self.side_by_side, "side")
        book = corpus.codebook
        texts = []
        for a in answers:
            codes: list[str] = []
            for _index, p in a.passages:
                for span in book.spans_on(a.interview_id, p):
                    try:
                        codes.append(book.code(span.code_id).name)
                    except KeyError:
                        continue
            tags = "".join(f"[{c}]" for c in dict.fromkeys(codes))
            said = ngettext("{n} word", "{n} words", a.words).format(n=a.words)
            head = f"{a.participant}  ({said})  {tags}"
            body = a.text if a.passages else _("— no answer —")
            texts.append(f"[b]{_escape(head)}[/b]\n{_escape(body)}")
        blocks = list(box.query(".answer").results(Static))
        if len(blocks) != len(texts):
            # first time (or the interviews changed): one block per interview, reused after
            box.remove_children()
            box.mount_all(Static(t, classes="answer") for t in texts)
        else:
            for block, text in zip(blocks, texts, strict=True):
                block.update(text)
        box.scroll_home(animate=False)

    def action_toggle_layout(self) -> None:
        self.side_by_side = not self.side_by_side
        self.show(self.question_id)


def _escape(text: str) -> str:
    return text.replace("[", r"\[")
