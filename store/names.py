"""The project's list of names to redact: list, add, remove (``kvale names``, the app).

Entries are kept in ``ProjectSettings.redaction_names`` as "Name" or
"Name=[placeholder]" strings (`store.redaction.redactions_from_setting` reads them).
"""

from __future__ import annotations

from typing import Any

from kvale_errors import N_, StoreError
from store.redaction import DEFAULT_PLACEHOLDER, Redaction, redactions_from_setting


def list_names(project: Any) -> list[Redaction]:
    """The names the project redacts, in the order they were added."""
    return redactions_from_setting(project.settings.redaction_names)


def parse_entry(text: str) -> Redaction:
    """ "Kari" or "Kari Nordmann=[colleague]" as a `Redaction`.

    Raises:
        StoreError: no name before the "=".
    """
    name, sep, placeholder = text.partition("=")
    name = " ".join(name.split())
    if not name:
        raise StoreError.said(N_("Type the name to redact, optionally followed by =[placeholder]."))
    return Redaction(
        name, placeholder.strip() if sep and placeholder.strip() else DEFAULT_PLACEHOLDER
    )


def _entry(r: Redaction) -> str:
    return r.name if r.placeholder == DEFAULT_PLACEHOLDER else f"{r.name}={r.placeholder}"


def add_name(project: Any, text: str) -> Redaction:
    """Add (or change the placeholder of) a name; saved in the project at once."""
    new = parse_entry(text)
    names = [r for r in list_names(project) if r.name.casefold() != new.name.casefold()]
    names.append(new)
    project.update_settings(redaction_names=[_entry(r) for r in names])
    return new


def remove_name(project: Any, name: str) -> Redaction:
    """Stop redacting a name (matched without regard to case).

    Raises:
        StoreError: the name is not on the list (the sentence lists what is).
    """
    wanted = " ".join(name.partition("=")[0].split()).casefold()
    names = list_names(project)
    gone = next((r for r in names if r.name.casefold() == wanted), None)
    if gone is None:
        listed = ", ".join(r.name for r in names) or "none yet"
        raise StoreError.said(
            N_("'{name}' is not on the list of names to redact (the list: {listed})."),
            name=name,
            listed=listed,
        )
    project.update_settings(redaction_names=[_entry(r) for r in names if r is not gone])
    return gone
