"""A kvale project: a folder the researcher chose, with its documents and recordings.

Where everything lives is `store.layout`; the interview documents are
`store.interviews`, recovery after a crash and operations of several writes
`store.recovery`; this module opens and creates projects and keeps their settings,
guides and participants. Every write is atomic (see `store.storage`).

Threads: a `Project` is written from one thread (the app's worker or the main
thread), one process at a time; reads may happen anywhere once a write has returned.

Processes: a writer holds the project's lock (`store.lock`) from `open` to
`close` (or its exit); a second writer meets `store.lock.ProjectBusy`.
``Project.open(path, read_only=True)`` takes no lock and refuses every write:
exports and listings use it while the app is open. Only the lock holder cleans
up temporary files, and only those whose writing process is gone.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from guide.model import Guide
from kvale_errors import N_, StoreError
from store import codec, crypto, recording_keys
from store.backends import MemoryBackend, ReadOnlyBackend
from store.interviews import InterviewDocuments
from store.layout import INTERVIEWS, PROJECT_FILE, RECORDINGS, now_iso
from store.lock import WriterLock, acquire_writer
from store.model import Consent, Participant, ProjectSettings
from store.privacy import check_code
from store.recovery import ProjectRecovery
from store.storage import Backend, DiskBackend, damaged_document, private_dir

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

NUMBERED_CODE = re.compile(r"^I(\d+)$")


class Project(ProjectRecovery, InterviewDocuments):
    """A kvale project folder: the repository over its documents.

    Open one with `Project.open` or create one with `Project.init`; never
    construct it directly.
    """

    def __init__(self, path: Path, backend: Backend, *, lock: WriterLock | None = None) -> None:
        self.path = Path(path)
        self.backend = backend
        self._db: TinyDB = backend.db(PROJECT_FILE)
        self._guides: dict[str, Guide] = {}
        self._lock = lock
        self._journal: dict[str, Any] | None = None
        #: sentences about work the last open completed or undid (an interrupted purge,
        #: import or start); the CLI prints them, the app shows them.
        self.recovered: list[str] = []
        #: interview id -> the sentence saying why its document cannot be read.
        self.damaged: dict[str, str] = {}
        self._fresh: dict[str, dict[str, Any]] = {}  # summaries refreshed in memory only
        self._gone: set[str] = set()  # summaries whose document is gone (read-only)

    @property
    def read_only(self) -> bool:
        """Opened with ``read_only=True``: every write is refused with a sentence."""
        return isinstance(self.backend, ReadOnlyBackend)

    def close(self) -> None:
        """Give up the right to write (the lock); the object must not be used to write again."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        path: Path | str,
        *,
        name: str | None = None,
        backend: Callable[[Path], Backend] | None = None,
        passphrase: str | None = None,
        kdf_n: int | None = None,
    ) -> Project:
        """Create a project in ``path`` (created if missing; must be empty if it exists).

        Args:
            passphrase: encrypt the project's data at rest under this passphrase (see
                `store.crypto`; the CLI and the app always give one unless told not to).
            kdf_n: scrypt's cost (default `store.crypto.DEFAULT_N`; tests use less).

        Raises:
            StoreError: the folder is already a project, is not empty, cannot be written,
                or the passphrase is too short.
        """
        path = Path(path).expanduser().absolute()
        store = (backend or DiskBackend)(path)
        if store.exists(PROJECT_FILE):
            raise StoreError.said(
                N_("{path} is already a kvale project. Open it with --project {path}."), path=path
            )
        if path.exists() and not path.is_dir():
            raise StoreError.said(
                N_("{path} is a file, not a folder. Choose a folder for the project."), path=path
            )
        if path.is_dir() and any(p for p in path.iterdir() if not p.name.startswith(".")):
            raise StoreError.said(
                N_(
                    "{path} is not empty and is not a kvale project. Choose a new or empty "
                    "folder so the project's personal data stays apart from other files."
                ),
                path=path,
            )
        if passphrase is not None:
            crypto.check_passphrase(passphrase)
        try:
            for sub in (path, path / INTERVIEWS, path / RECORDINGS):
                private_dir(sub)
        except OSError as exc:
            raise StoreError.said(
                N_(
                    "kvale cannot create the project folder {path} ({reason}). Choose a folder "
                    "you can write to."
                ),
                path=path,
                reason=exc.strerror or exc,
            ) from exc
        if passphrase is not None and isinstance(store, DiskBackend):
            keys, key = crypto.new_keys(passphrase, n=kdf_n or crypto.DEFAULT_N)
            crypto.write_keys(path, keys)
            crypto.remember(path, key)
        lock = acquire_writer(path) if isinstance(store, DiskBackend) else None
        project = cls(path, store, lock=lock)
        settings = ProjectSettings(name=name or path.name)
        project._db.table("project").upsert(
            Document({"created": now_iso(), "settings": settings.to_dict()}, doc_id=1)
        )
        log.info("created project %s", path)
        return project

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        allow_expired: bool = False,
        read_only: bool = False,
        backend: Callable[[Path], Backend] | None = None,
    ) -> Project:
        """Open the project in ``path``.

        Args:
            path: the project folder.
            allow_expired: open even after the project's end date (for purging).
            read_only: take no lock and refuse every write (exports, listings): works
                while another process writes the project.
            backend: where documents live (default: files in the folder).

        Raises:
            ProjectBusy: (not read-only) another process is writing the project.
            StoreError: no project there, a damaged project document, or the end date passed.
        """
        path = Path(path).expanduser().absolute()
        store: Backend = (backend or DiskBackend)(path)
        if not store.exists(PROJECT_FILE):
            raise StoreError.said(
                N_(
                    "{path} has no kvale project. Create one with `kvale init DIR` or pass "
                    "--project."
                ),
                path=path,
            )
        if isinstance(store, DiskBackend):
            crypto.project_key(path)  # ProjectLocked before anything is taken or read
        if read_only:
            project = cls(path, ReadOnlyBackend(store))
        else:
            lock = acquire_writer(path) if isinstance(store, DiskBackend) else None
            project = cls(path, store, lock=lock)
        try:
            project._project_doc()  # reads and checks the document now
            if not read_only:
                project._recover_journal()
            project._reconcile()
            if not allow_expired:
                project._check_retention()
        except BaseException:
            project.close()
            raise
        return project

    def _project_doc(self) -> dict[str, Any]:
        doc = self._db.table("project").get(doc_id=1)
        if not isinstance(doc, dict):
            raise damaged_document(str(self.path / PROJECT_FILE), "no project record")
        return dict(doc)

    def _check_retention(self) -> None:
        end = self.settings.end_date
        if end is None or dt.date.today() <= end:
            return
        if not self._db.table("interviews").all() and not self._db.table("participants").all():
            return
        raise StoreError.said(
            N_(
                "This project's end date was {end}: its data should have been deleted. Run "
                "`kvale purge --all --project {path}` to delete it, or, if your approval was "
                "extended, change the end date with `kvale project set end-date YYYY-MM-DD "
                "--project {path}`."
            ),
            title=N_("Project past its end date"),
            end=end.isoformat(),
            path=self.path,
        )

    def recording_key(self, iid: str) -> bytes | None:
        """The key that seals this interview's audio; None if the project is not encrypted.

        Made on first use and kept wrapped by the project key in the recording folder
        (`store.recording_keys`); deleting the recording shreds it.
        """
        if isinstance(self.backend, MemoryBackend) or not crypto.is_encrypted(self.path):
            return None
        return recording_keys.recording_key(self.path, self.path / self._recording_rel(iid))

    # --- settings ---------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.settings.name or self.path.name

    @property
    def settings(self) -> ProjectSettings:
        return ProjectSettings.from_dict(self._project_doc().get("settings", {}))

    def save_settings(self, settings: ProjectSettings) -> None:
        doc = self._project_doc()
        doc["settings"] = settings.to_dict()
        self._db.table("project").upsert(Document(doc, doc_id=1))

    def update_settings(self, **changes: Any) -> ProjectSettings:
        """Change some settings (``update_settings(redaction_names=[...])``); returns them."""
        try:
            new = replace(self.settings, **changes)
        except TypeError as exc:
            raise StoreError(f"Unknown project setting: {exc}.") from exc
        self.save_settings(new)
        return new

    # --- guides -----------------------------------------------------------------------

    def add_guide(self, guide: Guide) -> str:
        """Store the guide's exact source text; returns its content hash."""
        digest = guide.content_hash
        table = self._db.table("guides")
        if not table.contains(Query().hash == digest):
            table.insert({"hash": digest, "title": guide.title, "source": guide.source})
        self._guides[digest] = guide
        return digest

    def guide(self, guide_hash: str) -> Guide:
        """The guide with this hash, re-parsed from the exact text stored with it."""
        if guide_hash in self._guides:
            return self._guides[guide_hash]
        row = self._db.table("guides").get(Query().hash == guide_hash)
        if not isinstance(row, dict):
            raise StoreError.said(
                N_(
                    "The project has no guide {guide}; the interview cannot be shown with its "
                    "guide. Restore kvale-project.json from your backup."
                ),
                guide=guide_hash[:12],
            )
        from guide.parser import parse_guide  # imported late: the parser is a heavier module

        guide = parse_guide(str(row["source"]))
        self._guides[guide_hash] = guide
        return guide

    # --- participants -----------------------------------------------------------------

    def next_participant_code(self) -> str:
        """The next code "I<n>": one more than any ever used (purged codes are not reused)."""
        used = [p.code for p in self.participants()]
        used += [s.participant for s in self.interviews()]
        used += [r.code for r in self.purge_records()]
        numbers = [int(mt.group(1)) for c in used if (mt := NUMBERED_CODE.match(c))]
        numbers.append(int(self._project_doc().get("highest_code_number", 0)))
        return f"I{max(numbers, default=0) + 1}"

    def add_participant(self, code: str, consent: Consent | None = None) -> Participant:
        """Add a participant; for one that exists, a given consent replaces the stored one."""
        code = check_code(code)
        if consent is not None and not consent.recorded_at:
            consent = replace(consent, recorded_at=now_iso())
        table = self._db.table("participants")
        row = table.get(Query().code == code)
        if isinstance(row, dict):
            if consent is not None:
                table.update({"consent": codec.consent_to(consent)}, Query().code == code)
            return self.participant(code)
        created = now_iso()
        table.insert({"code": code, "consent": codec.consent_to(consent), "created": created})
        return Participant(code, consent, created)

    def record_consent(self, code: str, consent: Consent) -> Participant:
        """Store (or replace) a participant's consent."""
        return self.add_participant(code, consent)

    def participant(self, code: str) -> Participant:
        row = self._db.table("participants").get(Query().code == code)
        if not isinstance(row, dict):
            raise StoreError.said(N_("There is no participant {code} in this project."), code=code)
        return Participant(str(row["code"]), codec.consent_from(row.get("consent")), row["created"])

    def participants(self) -> list[Participant]:
        return [
            Participant(str(r["code"]), codec.consent_from(r.get("consent")), str(r["created"]))
            for r in self._db.table("participants").all()
        ]

    def has_audio_consent(self, code: str) -> bool:
        """Whether the participant agreed to take part and to audio recording."""
        try:
            consent = self.participant(code).consent
        except StoreError:
            return False
        return consent is not None and consent.interview and consent.audio
