"""The last lines of the live transcript, dim, under the question."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from audio.types import Segment
from tui.i18n import _


class TranscriptTail(Static):
    """The end of what the live transcriber has heard so far."""

    DEFAULT_CSS = """
    TranscriptTail { height: 4; color: $text-muted; padding: 0 2; border-top: solid $panel; }
    """

    def show(
        self, segments: Sequence[Segment], live: bool, provisional: Sequence[Segment] = ()
    ) -> None:
        """The last committed segments, then the provisional text (italic) after them."""
        if not live:
            self.update(Text(_("(live transcription is off; the interview is transcribed after)")))
            return
        if not segments and not provisional:
            self.update(Text(_("(listening… the transcript appears here after the first chunk)")))
            return
        committed = " ".join(s.text.strip() for s in segments[-6:])
        newest = " ".join(s.text.strip() for s in provisional)
        text = Text("… ")
        text.append(committed[-400:])
        if newest:
            text.append((" " if committed else "") + newest[-300:], style="italic")
        # the end is what matters: keep the last 600 characters
        self.update(text[-600:] if len(text) > 600 else text)
