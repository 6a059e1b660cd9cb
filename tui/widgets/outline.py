"""The guide outline with coverage marks (asked / skipped / not yet) and section times."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from guide.model import Guide

ASKED, SKIPPED, NOT_YET, CURRENT = "✓", "–", "·", "▸"


def clock(seconds: float) -> str:
    """``mm:ss`` (or ``h:mm:ss``)."""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


class GuideOutline(OptionList):
    """Sections and questions; select one to jump to it."""

    DEFAULT_CSS = """
    GuideOutline { border: none; padding: 0; }
    """

    class QuestionSelected(Message):
        """The interviewer picked a question in the outline."""

        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    def __init__(self, guide: Guide, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.guide = guide
        self.width = 28

    def refresh_marks(
        self,
        current: str | None,
        status: Mapping[str, str],
        section_time: Callable[[str], float],
    ) -> None:
        """Redraw: ``status[qid]`` is asked/skipped/not yet; times per section."""
        width = max(20, (self.size.width or self.width) - 2)
        options: list[Option] = []
        for section in self.guide.sections:
            ids = [section.question.id, *(q.id for q in section.questions)]
            in_section = current in ids
            mark = CURRENT if in_section else _section_mark(ids, status)
            spent = section_time(section.id)
            over = section.planned_minutes is not None and spent > section.planned_minutes * 60
            t = clock(spent) if spent or in_section else ""
            label = Text(f"{mark} {section.id} ")
            room = width - len(label.plain) - 6
            label.append(_clip(section.title, room))
            label.pad_right(max(0, width - len(label.plain) - len(t)))
            label.append(t, style="bold yellow" if over else "dim")
            if in_section:
                label.stylize("bold")
            options.append(Option(label, id=section.question.id))
            if in_section or len(self.guide.sections) <= 3:
                for q in section.questions:
                    qm = CURRENT if q.id == current else _mark(status.get(q.id, NOT_YET))
                    text = Text(f"  {qm} {q.id} {_clip(q.text, width - len(q.id) - 6)}")
                    if q.id == current:
                        text.stylize("bold reverse")
                    options.append(Option(text, id=q.id))
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(options)
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.QuestionSelected(event.option.id))


def _mark(state: str) -> str:
    return {"asked": ASKED, "skipped": SKIPPED}.get(state, NOT_YET)


def _section_mark(ids: list[str], status: Mapping[str, str]) -> str:
    states = [status.get(i, "") for i in ids]
    if all(s == "asked" for s in states):
        return ASKED
    if any(s == "asked" for s in states):
        return ASKED
    if all(s == "skipped" for s in states):
        return SKIPPED
    return NOT_YET


def _clip(text: str, width: int) -> str:
    width = max(4, width)
    return text if len(text) <= width else text[: width - 1] + "…"
