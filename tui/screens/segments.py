"""A code's segments across every interview, in one list (retrieval).

Keys: enter open the passage in its transcript · d remove this coding ·
z / ctrl+z undo · y / ctrl+y redo · escape back.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from kvale_errors import KvaleError
from store.exports.common import clock
from store.review import ReviewSession, Segment
from tui.i18n import N_, _, error_text, ngettext
from tui.screens.undo import UndoMixin


def segment_text(segment: Segment) -> Text:
    text = Text(f"{segment.participant:<6} ", style="bold")
    text.append(f"{clock(segment.time)}  ", style="dim")
    if segment.detached:
        text.append(_("(text changed: not found) "), style="yellow")
    text.append(f"“{segment.text}”")
    return text


class SegmentsScreen(UndoMixin, Screen[None]):
    """Every segment coded with one code, across the interviews."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("back")),
        Binding(
            "enter",
            "open",
            N_("open"),
            tooltip=N_("open the passage in its transcript"),
            priority=True,
        ),
        Binding("d", "uncode", N_("remove"), tooltip=N_("remove this coding (the text stays)")),
        *UndoMixin.UNDO_BINDINGS,
    ]

    DEFAULT_CSS = """
    SegmentsScreen #segments { height: 1fr; }
    SegmentsScreen #summary { height: 1; background: $boost; padding: 0 1; }
    """

    def __init__(self, session: ReviewSession, code_id: str) -> None:
        super().__init__()
        self.session = session
        self.code_id = code_id
        self.segments: list[Segment] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield OptionList(id="segments")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.rebuild()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        try:
            name = self.session.codebook.code(self.code_id).name
        except KeyError:  # deleted or merged away (undo brings it back)
            self.segments = []
            self.query_one("#summary", Static).update(_("This code is gone (z brings it back)."))
            self.query_one(OptionList).clear_options()
            return
        self.segments = self.session.segments(self.code_id)
        people = len({s.participant for s in self.segments})
        words = sum(len(s.text.split()) for s in self.segments)
        self.title = _("Code: {name}").format(name=name)
        self.query_one("#summary", Static).update(
            " · ".join(
                [
                    ngettext("{n} segment", "{n} segments", len(self.segments)).format(
                        n=len(self.segments)
                    ),
                    ngettext("{n} participant", "{n} participants", people).format(n=people),
                    ngettext("{n} word", "{n} words", words).format(n=words),
                ]
            )
        )
        view = self.query_one(OptionList)
        keep = view.highlighted or 0
        view.set_options(segment_text(s) for s in self.segments)
        if self.segments:
            view.highlighted = min(keep, len(self.segments) - 1)

    def after_undo(self) -> None:
        self.rebuild()

    @property
    def selected(self) -> Segment | None:
        i = self.query_one(OptionList).highlighted
        return self.segments[i] if i is not None and 0 <= i < len(self.segments) else None

    def action_open(self) -> None:
        segment = self.selected
        if segment is None or segment.passage_index is None:
            self.notify(_("This segment's text is no longer in its passage."), timeout=3)
            return
        from tui.screens.transcript import TranscriptScreen

        screen = TranscriptScreen(self.session, segment.interview_id)
        screen.start_at = segment.passage_index
        self.app.push_screen(screen)

    def action_uncode(self) -> None:
        segment = self.selected
        if segment is None:
            return
        try:
            self.session.uncode(segment.span.id)
        except KvaleError as exc:
            self.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
            return
        self.notify(_("Coding removed (z undoes it)."), timeout=3)
        self.rebuild()
