"""Keep the catalogues in step with the code (Babel; the ``dev`` extra).

``python -m kvale_i18n.catalog`` (``make i18n``) extracts every marked string from
tui, store, audio and guide into ``locale/kvale.pot``, merges it into each
language's ``.po`` (new messages come in untranslated, gone ones are dropped) and
compiles the ``.mo`` files gettext reads. ``--check`` changes nothing and exits 1
when a ``.po`` lacks a message of the code, has an untranslated or fuzzy one, or its
``.mo`` is not the compiled ``.po`` (the test suite runs the same checks).

Marked means: ``_("…")``, ``ngettext("…", "…", n)``, ``N_("…")`` (for class-level
constants, translated where shown) and ``translator(lang).gettext("…")``.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kvale_i18n import DOMAIN, LOCALE_DIR

ROOT = LOCALE_DIR.parent.parent
#: where user-visible strings live (bench/ and tests/ print nothing a researcher reads)
SOURCES = ("tui", "store", "audio", "guide")
#: single modules with user-visible strings (the error titles)
MODULES = ("kvale_errors.py",)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
#: languages whose catalogue must be complete (nynorsk falls back to bokmål)
COMPLETE = ("nb",)
TRANSLATED = ("nb", "nn")


def _babel() -> Any:
    try:
        from babel.messages import catalog, extract, mofile, pofile
    except ImportError as exc:  # Babel is a development tool, not a runtime dependency
        raise SystemExit(
            "Babel is needed to update the catalogues: pip install -e '.[dev]'"
        ) from exc
    return catalog, extract, mofile, pofile


def extract(root: Path = ROOT) -> Any:
    """Every marked string in the code, as a Babel ``Catalog`` (the template)."""
    catalog, extract_mod, _mofile, _pofile = _babel()
    template = catalog.Catalog(project="kvale", domain=DOMAIN, charset="utf-8")
    for package in SOURCES:
        found = extract_mod.extract_from_dir(
            root / package,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            template.add(
                message,
                None,
                [(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    for module in MODULES:
        for lineno, message, comments, context in extract_mod.extract_from_file(
            "python", root / module, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            template.add(message, None, [(module, lineno)], auto_comments=comments, context=context)
    return template


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_po(language: str) -> Any:
    _catalog, _extract, _mofile, pofile = _babel()
    with po_path(language).open("rb") as fh:
        return pofile.read_po(fh, locale=language, domain=DOMAIN)


def compiled(po: Any) -> bytes:
    """The ``.mo`` bytes of a catalogue (fuzzy messages left out, as msgfmt does)."""
    _catalog, _extract, mofile, _pofile = _babel()
    buf = io.BytesIO()
    mofile.write_mo(buf, po, use_fuzzy=False)
    return buf.getvalue()


def _ids(catalog: Iterable[Any]) -> set[Any]:
    return {m.id for m in catalog if m.id}


def problems(language: str, template: Any | None = None) -> list[str]:
    """What is wrong with a language's catalogue, one sentence each (empty: nothing)."""
    template = template if template is not None else extract()
    po = read_po(language)
    found: list[str] = []
    wanted, have = _ids(template), _ids(po)
    for missing in sorted(wanted - have, key=str):
        found.append(f"{language}: not in the catalogue: {missing!r}")
    for gone in sorted(have - wanted, key=str):
        found.append(f"{language}: in the catalogue but no longer in the code: {gone!r}")
    if language in COMPLETE:
        for m in po:
            if not m.id:
                continue
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            if m.fuzzy or not all(strings):
                found.append(f"{language}: not translated: {m.id!r}")
    mo = po_path(language).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != compiled(po):
        found.append(f"{language}: {mo.name} is not the compiled {po_path(language).name}")
    return found


def _header(po: Any) -> None:
    po.project, po.version = "kvale", "0.1.0"
    po.copyright_holder = "the kvale developers"
    po.msgid_bugs_address = ""
    po.last_translator = "the kvale developers"
    po.language_team = "the kvale developers"
    po.fuzzy = False


def update() -> None:
    """Write the template, merge it into each ``.po``, compile each ``.mo``."""
    _catalog, _extract, _mofile, pofile = _babel()
    template = extract()
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as fh:
        pofile.write_po(fh, template, omit_header=False, sort_output=True, width=100)
    for language in TRANSLATED:
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            po = read_po(language)
            po.update(template, no_fuzzy_matching=True)
        else:
            from babel.messages.catalog import Catalog

            po = Catalog(locale=language, domain=DOMAIN, project="kvale", charset="utf-8")
            po.update(template, no_fuzzy_matching=True)
        _header(po)
        with path.open("wb") as fh:
            pofile.write_po(fh, po, ignore_obsolete=True, sort_output=True, width=100)
        path.with_suffix(".mo").write_bytes(compiled(read_po(language)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kvale_i18n.catalog", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; report problems")
    args = parser.parse_args(argv)
    if not args.check:
        update()
    template = extract()
    found = [p for lang in TRANSLATED for p in problems(lang, template)]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
