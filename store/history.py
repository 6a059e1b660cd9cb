"""Undo and redo for a review session: transcript edits, retags and coding.

A `History` keeps snapshots taken before each change: the passages of the
interview the change touched (None when it touched only the codebook) and the
whole codebook as its dictionary. Undo puts a snapshot back and keeps the
present as a redo step; a new change clears the redo steps. Snapshots live in
memory for the session (at most `LIMIT` steps): they hold transcript text, so
they are never written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guide.transcript import Passage

LIMIT = 200


@dataclass(frozen=True)
class Snapshot:
    """The state before one change.

    Attributes:
        label: what the change was ("retag", "code", "rename code"…), for the message.
        interview_id: the interview whose passages are kept, or None.
        passages: those passages (None when the change touched only the codebook).
        codebook: the codebook's `to_dict()`.
    """

    label: str
    interview_id: str | None
    passages: tuple[Passage, ...] | None
    codebook: dict[str, Any]


class History:
    """Two stacks of snapshots: what undo puts back, and what redo puts back."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.undo_steps: list[Snapshot] = []
        self.redo_steps: list[Snapshot] = []

    def record(self, snapshot: Snapshot) -> None:
        """A change is about to happen: keep what was before; redo steps are dropped."""
        self.undo_steps.append(snapshot)
        del self.undo_steps[: -self.limit]
        self.redo_steps.clear()

    def pop_undo(self) -> Snapshot | None:
        return self.undo_steps.pop() if self.undo_steps else None

    def pop_redo(self) -> Snapshot | None:
        return self.redo_steps.pop() if self.redo_steps else None

    def push_redo(self, snapshot: Snapshot) -> None:
        self.redo_steps.append(snapshot)

    def push_undo(self, snapshot: Snapshot) -> None:
        """Keep a step undo can take again (after a redo); redo steps stay."""
        self.undo_steps.append(snapshot)
        del self.undo_steps[: -self.limit]
