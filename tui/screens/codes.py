"""Codes: create codes and code groups, place groups under research questions, condense.

A tree of research questions → code groups → codes (with how many spans
each has), and the word counts at each stage (transcript → coded →
condensed). Keys: n new code · g new group · m move code to a group ·
r place group under a research question · e condensation note · escape back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

from kvale_errors import KvaleError
from store.analysis import word_counts
from store.review import ReviewSession
from tui.i18n import N_, _, error_text, ngettext
from tui.screens.dialogs import ConfirmDialog
from tui.screens.review_dialogs import ReviewNote, ReviewPick, ReviewText
from tui.screens.segments import SegmentsScreen
from tui.screens.undo import UndoMixin


class CodesScreen(UndoMixin, Screen[None]):
    """The codebook as a tree, with condensation notes."""

    # short labels: the footer fits 80 columns (the help screen has the tooltips)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("back")),
        # priority: the tree's own enter would take the key; on a group it still folds
        Binding(
            "enter",
            "segments",
            N_("segments"),
            tooltip=N_("the code's segments across the interviews"),
            priority=True,
        ),
        Binding("n", "new_code", N_("new"), tooltip=N_("new code")),
        Binding("R", "rename", N_("rename"), tooltip=N_("rename the code")),
        Binding("M", "merge", N_("merge"), tooltip=N_("merge the code into another code")),
        Binding("d", "delete", N_("delete"), tooltip=N_("delete the code (its codings) or group")),
        *UndoMixin.UNDO_BINDINGS,
        Binding("g", "new_group", N_("group"), tooltip=N_("new code group")),
        Binding("m", "move_code", N_("move"), tooltip=N_("move the code into a group")),
        Binding(
            "r", "place_group", N_("RQ"), tooltip=N_("place the group under a research question")
        ),
        Binding("e", "condense", N_("condense"), tooltip=N_("write a condensation of the group")),
    ]

    DEFAULT_CSS = """
    CodesScreen #counts { height: 1; background: $boost; padding: 0 1; }
    CodesScreen Tree { height: 1fr; }
    """

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counts")
        yield Tree(_("Codebook"), id="tree")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.rebuild()
        self.query_one(Tree).focus()

    def rebuild(self) -> None:
        corpus = self.session.corpus
        book = corpus.codebook
        counts = word_counts(corpus)
        self.query_one("#counts", Static).update(
            _("{transcribed} words transcribed → {coded} coded → {condensed} condensed").format(
                transcribed=counts.transcript, coded=counts.coded, condensed=counts.condensed
            )
            + " · "
            + ngettext("{n} code", "{n} codes", len(book.codes)).format(n=len(book.codes))
            + " · "
            + ngettext("{n} group", "{n} groups", len(book.groups)).format(n=len(book.groups))
        )
        tree: Tree[tuple[str, str]] = self.query_one(Tree)
        tree.clear()
        uses: dict[str, int] = {}
        for s in book.spans:
            uses[s.code_id] = uses.get(s.code_id, 0) + 1

        def add_group(parent: object, group_id: str) -> None:
            group = book.group(group_id)
            node = parent.add(f"▣ {group.name}", data=("group", group.id), expand=True)  # type: ignore[attr-defined]
            for code in book.codes_in(group.id):
                node.add_leaf(f"{code.name} ({uses.get(code.id, 0)})", data=("code", code.id))

        rqs = corpus.research_questions()  # of every guide the interviews used
        for g in book.groups:
            if g.research_question and g.research_question not in rqs:
                rqs[g.research_question] = ""
        for rq, text in rqs.items():
            rq_node = tree.root.add(f"{rq} {text}", data=("rq", rq), expand=True)
            for g in book.groups:
                if g.research_question == rq:
                    add_group(rq_node, g.id)
        for g in book.groups:
            if not g.research_question:
                add_group(tree.root, g.id)
        for code in book.codes_in(None):
            tree.root.add_leaf(f"{code.name} ({uses.get(code.id, 0)})", data=("code", code.id))
        tree.root.expand()

    def _selected(self, kind: str) -> str | None:
        node = self.query_one(Tree).cursor_node
        data = node.data if node is not None else None
        if data is None or data[0] != kind:
            return None
        return str(data[1])

    def _run(self, action: str, *args: object) -> None:
        try:
            getattr(self.session, action)(*args)
        except KvaleError as exc:
            self.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
            return
        self.rebuild()

    def after_undo(self) -> None:
        self.rebuild()

    def on_screen_resume(self) -> None:
        self.rebuild()

    def action_segments(self) -> None:
        """On a code: its segments across the interviews; elsewhere: fold or unfold."""
        code_id = self._selected("code")
        if code_id is None:
            node = self.query_one(Tree).cursor_node
            if node is not None and node.allow_expand:
                node.toggle()
            else:
                self.notify(_("Put the cursor on a code to list its segments."), timeout=3)
            return
        self.app.push_screen(SegmentsScreen(self.session, code_id))

    def action_rename(self) -> None:
        code_id = self._selected("code")
        if code_id is None:
            self.notify(_("Put the cursor on a code to rename it."), timeout=3)
            return
        old = self.session.codebook.code(code_id).name

        def done(name: str | None) -> None:
            if name and name.strip() and name.strip() != old:
                self._run("rename_code", code_id, name)

        self.app.push_screen(
            ReviewText(_("New name of the code '{name}':").format(name=old), old), done
        )

    def action_merge(self) -> None:
        code_id = self._selected("code")
        if code_id is None:
            self.notify(_("Put the cursor on the code to merge into another."), timeout=3)
            return
        book = self.session.codebook
        others = [(c.id, c.name) for c in book.codes if c.id != code_id]
        if not others:
            self.notify(_("There is no other code to merge it into."), timeout=3)
            return

        def done(into: str | None) -> None:
            if into:
                self._run("merge_codes", code_id, into)

        self.app.push_screen(
            ReviewPick(
                _("Merge '{name}' into (its segments move there, the code goes):").format(
                    name=book.code(code_id).name
                ),
                others,
            ),
            done,
        )

    def action_delete(self) -> None:
        code_id = self._selected("code")
        group_id = self._selected("group")
        if code_id is None and group_id is None:
            self.notify(_("Put the cursor on a code or a code group to delete it."), timeout=3)
            return
        book = self.session.codebook
        if code_id is not None:
            n = sum(1 for sp in book.spans if sp.code_id == code_id)
            question = _(
                "Delete the code '{name}' and its {n} codings? The text stays; z undoes it."
            ).format(name=book.code(code_id).name, n=n)
        else:
            question = _(
                "Delete the group '{name}'? Its codes stay, ungrouped; its condensations "
                "go. z undoes it."
            ).format(name=book.group(group_id).name)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            if code_id is not None:
                self._run("delete_code", code_id)
            else:
                self._run("delete_group", group_id)

        self.app.push_screen(ConfirmDialog(question, yes=_("Delete"), no=_("Keep")), answer)

    def _groups(self) -> list[tuple[str, str]]:
        return [(g.id, g.name) for g in self.session.codebook.groups]

    def action_new_code(self) -> None:
        group = self._selected("group")

        def done(name: str | None) -> None:
            if name and name.strip():
                self._run("add_code", name, group)

        self.app.push_screen(ReviewText(_("Name of the new code:")), done)

    def action_new_group(self) -> None:
        rq = self._selected("rq")

        def done(name: str | None) -> None:
            if name and name.strip():
                self._run("add_group", name, rq)

        self.app.push_screen(ReviewText(_("Name of the new code group:")), done)

    def action_move_code(self) -> None:
        code_id = self._selected("code")
        if code_id is None:
            self.notify(_("Put the cursor on a code first."))
            return

        def done(group_id: str | None) -> None:
            if group_id is not None:
                self._run("move_code", code_id, None if group_id == "-" else group_id)

        self.app.push_screen(
            ReviewPick(_("Move the code into group:"), [*self._groups(), ("-", _("(no group)"))]),
            done,
        )

    def action_place_group(self) -> None:
        group_id = self._selected("group")
        if group_id is None:
            self.notify(_("Put the cursor on a code group first."))
            return
        rqs = list(self.session.corpus.research_questions().items())

        def done(rq: str | None) -> None:
            if rq is not None:
                self._run("place_group", group_id, None if rq == "-" else rq)

        items = [(k, f"{k} {v}") for k, v in rqs] + [("-", _("(no research question)"))]
        self.app.push_screen(ReviewPick(_("Place the group under:"), items), done)

    def action_condense(self) -> None:
        group_id = self._selected("group")
        if group_id is None:
            self.notify(_("Put the cursor on a code group first."))
            return
        participants = list(dict.fromkeys(i.participant for i in self.session.corpus.interviews))
        items = [("*", _("The group overall"))] + [
            (p, _("Participant {participant}").format(participant=p)) for p in participants
        ]
        book = self.session.codebook

        def write(who: str | None) -> None:
            if who is None:
                return
            participant = None if who == "*" else who

            def save(text: str | None) -> None:
                if text is not None:
                    self._run("set_note", group_id, text, participant)

            label = _("overall") if participant is None else participant
            self.app.push_screen(
                ReviewNote(
                    _("Condensation of '{group}' — {who}").format(
                        group=book.group(group_id).name, who=label
                    ),
                    book.note(group_id, participant),
                ),
                save,
            )

        self.app.push_screen(ReviewPick(_("Condense for:"), items), write)
