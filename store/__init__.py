"""kvale store package: the project folder, its documents and their lifecycle."""

from store.model import (
    Consent,
    DeletionRecord,
    Interview,
    InterviewStatus,
    InterviewSummary,
    Participant,
    ProjectSettings,
    PurgeRecord,
    PurgeReport,
    RecordingRef,
)
from store.project import Project

__all__ = [
    "Consent",
    "DeletionRecord",
    "Interview",
    "InterviewStatus",
    "InterviewSummary",
    "Participant",
    "Project",
    "ProjectSettings",
    "PurgeRecord",
    "PurgeReport",
    "RecordingRef",
]
