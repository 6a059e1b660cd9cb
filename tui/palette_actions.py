"""What kvale's command palette entries do (`tui.palette` lists them): a new interview,
review, names, export and purge, each refused while an interview is being recorded
where it would disturb it. `tui.app.KvaleApp` is built on `PaletteActions`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from kvale_errors import KvaleError
from tui.i18n import _, ngettext
from tui.screens.dialogs import ConfirmDialog
from tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from store import Project
    from tui.session import InterviewSession


class PaletteActions(App[int]):
    """The palette's actions; the app defines the screens they lead to."""

    project: Project
    session: InterviewSession | None

    @property
    def recording(self) -> bool:
        """An interview is being recorded (started, not stopped)."""
        s = self.session
        return s is not None and bool(s.started) and not bool(s.stopped)

    if TYPE_CHECKING:  # the app defines these (a stub here would be called too:
        # Textual dispatches a message to the handler of every class in the MRO)

        def show_error(
            self, error: BaseException, retry: Callable[[], None] | None = None
        ) -> None: ...

        def on_home_screen_new_interview_requested(self) -> None: ...

    def _not_while_recording(self) -> bool:
        if self.recording:
            self.notify(_("Not while an interview is being recorded."), severity="warning")
            return True
        return False

    def command_new_interview(self) -> None:
        if not self._not_while_recording():
            self.on_home_screen_new_interview_requested()

    def command_review(self) -> None:
        if self._not_while_recording():
            return
        from tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(project=self.project))

    def command_names(self) -> None:
        from tui.screens.names import NamesScreen

        self.push_screen(NamesScreen(self.project))

    def command_export(self) -> None:
        """Pick a format; the whole project is exported (read-only) in a worker."""
        from store.exports import FORMATS
        from tui.screens.review import FORMAT_LABELS
        from tui.screens.review_dialogs import ReviewPick

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.run_export(fmt)

        items = [(f, _(FORMAT_LABELS.get(f, f))) for f in FORMATS]
        self.push_screen(ReviewPick(_("Export as:"), items), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def run_export(self, fmt: str) -> list[Path]:
        from store.corpus import corpus_from_project
        from store.exports import export_corpus

        paths = export_corpus(corpus_from_project(self.project), fmt)
        where = paths[0].parent if paths else ""
        self.call_from_thread(
            self.notify,
            ngettext(
                "Wrote {n} file to {folder}", "Wrote {n} files to {folder}", len(paths)
            ).format(n=len(paths), folder=where),
            title=_("Exported"),
        )
        return paths

    def command_purge(self) -> None:
        """Pick a participant, confirm, delete everything about them."""
        if self._not_while_recording():
            return
        from store.withdrawal import numbered_participants, one_of
        from tui.project_adapter import participant_codes
        from tui.screens.review_dialogs import ReviewPick

        numbered = numbered_participants(self.project)  # one of a couple withdraws alone
        codes = participant_codes(self.project) + numbered
        codes.sort(key=lambda c: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", c)])
        if not codes:
            self.notify(_("The project has no participants yet."))
            return

        def chosen(code: str | None) -> None:
            if not code:
                return

            def answer(yes: bool | None) -> None:
                if yes:
                    self.purge(code)

            group, number = one_of(code)
            if number is not None and code in numbered:
                question = _(
                    "Delete what participant {code} said: their words in {group}'s "
                    "interviews, their coded segments and the recording (it holds their "
                    "voice)? What the others said is kept. This cannot be undone."
                ).format(code=code, group=group)
                yes = _("Delete their words")
            else:
                question = _(
                    "Delete everything about participant {code}: interviews, recordings, "
                    "consent and coded segments? This cannot be undone."
                ).format(code=code)
                yes = _("Delete everything")
            self.push_screen(ConfirmDialog(question, yes=yes, no=_("Keep")), answer)

        self.push_screen(ReviewPick(_("Purge which participant?"), [(c, c) for c in codes]), chosen)

    def purge(self, code: str) -> None:
        from store.withdrawal import withdraw_or_purge
        from tui.deletion_report import deletion_text
        from tui.import_queue import forget_participant

        try:
            report = withdraw_or_purge(self.project, code)
            forget_participant(self.project.path, code)  # the import queue names them too
        except KvaleError as exc:
            self.show_error(exc)
            return
        self.notify(deletion_text(report), title=_("Purged"), timeout=10)
        # a review screen open underneath holds the passages as they were: an edit or an
        # undo there would write the deleted words back, so back to the home screen
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.reload()

    async def action_quit(self) -> None:
        """Quit; during a recording, only after the interviewer says so."""
        if not self.recording:
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                _(
                    "An interview is being recorded. Quit kvale now? The recording stops; "
                    "what was recorded and every marker are kept, and kvale offers to "
                    "resume next time."
                ),
                yes=_("Quit"),
                no=_("Keep recording"),
            ),
            answer,
        )
