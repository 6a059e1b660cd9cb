"""The help screen (`?`)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tui.i18n import N_, _

HELP = N_("""\
# kvale — keys

## Home
| key | does |
|---|---|
| **n** | start a new interview |
| **v** / **enter** | review and code: transcripts, by question, codes, exports |
| **?** | this help |
| **q** | quit |

## Conduct (while recording)
| key | does |
|---|---|
| **n** / **p** | next / previous question |
| **j** | jump to a question (or pick it in the outline) |
| **k** | mark the next probe asked |
| **s** | skip this question |
| **b** | bookmark this moment |
| **m** | write a timestamped note |
| **r** | pause / resume recording |
| **x** | add a name to the redaction list |
| **q** | stop the interview (asks first; recording goes on meanwhile) |

Every key above is saved at once: a crash loses nothing.

## Confirm
| key | does |
|---|---|
| **space** | play the selected passage |
| **e** | correct its text |
| **D** | confirm and delete the recording |
""")


class HelpScreen(ModalScreen[None]):
    """Key bindings for every screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", N_("Close"))
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Markdown(_(HELP))

    def action_close(self) -> None:
        self.dismiss(None)
