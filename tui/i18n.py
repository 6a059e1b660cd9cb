"""The app's language: ``_`` and ``ngettext`` translate into the UI's current language.

The UI follows the project's language setting (``ProjectSettings.language``; a project
without one takes it from its first interview's language, which defaults from the
guide's), else the researcher's own default (`tui.settings.Settings.language`), else
English. `KvaleApp`
sets it when it opens a project (`use_project_language`). Participant-facing text
(member check, export titles, speaker labels) does not come from here: it follows each
interview's language through `kvale_i18n.translator`.

Strings defined at class level (binding descriptions, column titles) are built before
the language is known: they are marked with `N_` and translated where they are shown;
`translate_bindings` does it for a screen's key bindings (the footer, the help screen
and the command palette read them from there).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kvale_i18n import LANGUAGES, N_, normalise, translator

__all__ = [
    "LANGUAGES",
    "N_",
    "_",
    "current_language",
    "error_text",
    "ngettext",
    "project_language",
    "set_language",
    "status_text",
    "translate_bindings",
    "use_project_language",
]

_language = "en"


def set_language(language: str | None) -> str:
    """Make ``language`` the UI's language ("no"/"nb-NO" count as "nb"); returns the tag used."""
    global _language
    _language = normalise(language)
    return _language


def current_language() -> str:
    """The UI's language tag ("en", "nb" or "nn")."""
    return _language


def _(message: str) -> str:
    """``message`` (an English msgid) in the UI's language."""
    return translator(_language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the UI's language."""
    return translator(_language).ngettext(singular, plural, n)


def project_language(project: Any, fallback: str | None = None) -> str | None:
    """The language a project's UI speaks: its language setting, else ``fallback`` (the
    researcher's default). A project gets its setting from ``kvale init --language`` or,
    when it has none, from the language of its first interview (which the new-interview
    form takes from the guide's language): see `KvaleApp.start_interview`.

    Args:
        project: a `store.Project` (or a stand-in with ``settings``).
        fallback: the researcher's default, used when the project says nothing.
    """
    settings = getattr(project, "settings", None)
    chosen = getattr(settings, "language", None)
    return str(chosen) if chosen else fallback


def use_project_language(project: Any, fallback: str | None = None) -> str:
    """Set the UI's language from a project (see `project_language`); returns the tag."""
    return set_language(project_language(project, fallback))


def error_text(error: BaseException) -> tuple[str, str]:
    """A `KvaleError`'s title and sentence in the UI's language: the sentence is translated
    when the error was made with `KvaleError.said` (its template is a msgid), else shown as
    it was written."""
    title = _(str(getattr(error, "title", "") or "")) or _("Something went wrong")
    template = getattr(error, "template", None)
    in_language = getattr(error, "in_language", None)
    if template and callable(in_language):  # a guide's: where it is, then what
        try:
            return title, str(in_language(_))
        except (KeyError, IndexError, ValueError):  # a broken translation: the English
            return title, str(getattr(error, "sentence", error))
    if template:
        try:
            return title, _(template).format(**getattr(error, "params", {}))
        except (KeyError, IndexError, ValueError):  # a broken translation: the English
            pass
    return title, str(getattr(error, "sentence", error))


def translate_bindings(node: Any) -> None:
    """Translate the descriptions of a node's key bindings (and their tooltips) in place.

    Bindings are declared at class level, in English (marked with `N_`); each node holds
    its own copy of them (``node._bindings``), which is what the footer, the help screen
    and the command palette read.
    """
    bindings = getattr(node, "_bindings", None)
    by_key = getattr(bindings, "key_to_bindings", None)
    if not isinstance(by_key, dict):
        return
    for key, items in by_key.items():
        by_key[key] = [
            dataclasses.replace(
                b,
                description=_(b.description) if b.description else b.description,
                tooltip=_(b.tooltip) if b.tooltip else b.tooltip,
            )
            for b in items
        ]


#: Textual's own strings kvale shows: the footer's command palette key, the palette's
#: prompt and its system commands (`KvaleApp.get_system_commands`), Textual 8.2.8
TEXTUAL_STRINGS = (
    N_("palette"),
    N_("Open the command palette"),
    N_("Search for commands…"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


#: an interview's status (`store.model.InterviewStatus` values) as the researcher reads it
STATUS = {
    "new": N_("new"),
    "recording": N_("recording"),
    "recorded": N_("recorded"),
    "transcribing": N_("transcribing"),
    "transcribed": N_("transcribed"),
    "confirmed": N_("confirmed"),
    "recording_deleted": N_("recording deleted"),
    "recording deleted": N_("recording deleted"),
    "damaged": N_("damaged"),
}


def status_text(status: object) -> str:
    """A status value in the UI's language (an unknown one as it is)."""
    raw = str(getattr(status, "value", status))
    return _(STATUS[raw]) if raw in STATUS else raw


#: why text was removed as not speech (`audio.types.Removal.reason`), as the researcher
#: reads it
REMOVAL_REASONS = {
    "no speech": N_("no speech"),
    "loop": N_("loop"),
    "piled": N_("piled"),
    "duplicate": N_("duplicate"),
}


def removal_reason(reason: str) -> str:
    """A removal's reason in the UI's language (an unknown one as it is)."""
    return _(REMOVAL_REASONS[reason]) if reason in REMOVAL_REASONS else reason
