"""z / ctrl+z undo and y / ctrl+y redo on the review screens (`store.history`)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from store.review import ReviewSession
from tui.i18n import N_, _


class UndoMixin:
    """For screens with a ``session`` (`store.review.ReviewSession`): undo and redo
    actions that call ``after_undo`` to redraw."""

    UNDO_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("z,ctrl+z", "undo", N_("undo"), tooltip=N_("undo the last change")),
        Binding("y,ctrl+y", "redo", N_("redo"), tooltip=N_("redo what was undone")),
    ]

    session: ReviewSession

    def after_undo(self) -> None:
        """Redraw after an undo or redo (screens override)."""

    def action_undo(self) -> None:
        step = self.session.undo()
        if step is None:
            self.notify(_("Nothing to undo."), timeout=2)  # type: ignore[attr-defined]
            return
        self.after_undo()
        self.notify(  # type: ignore[attr-defined]
            _("Undone: {what}. y redoes it.").format(what=_(step.label)), timeout=3
        )

    def action_redo(self) -> None:
        step = self.session.redo()
        if step is None:
            self.notify(_("Nothing to redo."), timeout=2)  # type: ignore[attr-defined]
            return
        self.after_undo()
        self.notify(_("Redone: {what}.").format(what=_(step.label)), timeout=3)  # type: ignore[attr-defined]
