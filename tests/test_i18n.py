"""The message catalogues: every user-visible string is in them, bokmål is complete, and
each compiled .mo is its .po (so a fresh install reads what the .po says)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

pytest.importorskip("babel", reason="Babel (the dev extra) extracts the catalogue")

from kvale_i18n import LOCALE_DIR, format_date, normalise, translator
from kvale_i18n.catalog import MODULES, SOURCES, extract, problems, read_po

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def template():  # type: ignore[no-untyped-def]
    return extract()


def test_extraction_finds_the_marked_strings(template) -> None:  # type: ignore[no-untyped-def]
    ids = {m.id for m in template if m.id}
    # one from each kind of mark: _(), N_() on a binding, ngettext, translator().gettext
    assert "No interviews yet. Press n to start one." in ids
    assert "New interview" in ids
    assert ("{n} word", "{n} words") in ids
    assert "Interviewer" in ids and "[inaudible, {seconds} s]" in ids
    assert len(ids) > 150


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_catalogue_matches_the_code(template, language: str) -> None:  # type: ignore[no-untyped-def]
    """Fails when a marked string is missing from a catalogue (run ``make i18n``), when
    bokmål leaves one untranslated or fuzzy, or when a .mo is stale."""
    assert problems(language, template) == []


def test_nynorsk_translates_the_participant_facing_text() -> None:
    po = read_po("nn")
    done = {m.id for m in po if m.id and m.string and not m.fuzzy}
    for msgid in [
        "Interviewer",
        "You",
        "[inaudible, {seconds} s]",
        "Transcript of your interview ({participant})",
        "Page {page} of {pages}",
    ]:
        assert msgid in done, msgid
    every = [m.id for m in po if m.id]
    assert len(done) >= 0.9 * len(every)  # nearly all; the rest comes from bokmål


def test_placeholders_survive_translation() -> None:
    """A translation that drops or renames a {placeholder} would raise in .format()."""
    for language in ("nb", "nn"):
        for m in read_po(language):
            if not m.id or not m.string:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            wanted = set(re.findall(r"\{(\w+)\}", ids[-1]))
            for s in strings:
                if s:
                    assert set(re.findall(r"\{(\w+)\}", s)) == wanted, (language, m.id, s)


def _string_args(call: ast.Call) -> list[str]:
    return [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


#: calls whose string arguments the researcher reads
_SHOWN = {
    "notify": "first",
    "Static": "first",
    "Label": "first",
    "Button": "first",
    "Checkbox": "first",
    "TextDialog": "first",
    "ReviewText": "first",
    "ReviewNote": "first",
    "ReviewPick": "first",
    "ConfirmDialog": "first",
    "ErrorDialog": "all",
    "Binding": "third",
    "add_columns": "all",
    "add_column": "first",
    "update": "first",
    "Text": "first",
    "add_heading": "first",
    "add_paragraph": "first",
}
#: words that are no language: the app's name, file formats
_NOT_WORDS = {"kvale", "CSV", "JSON", "SRT", "WebVTT", "REFI", "QDA", "qdpx", "docx"}


def _unmarked(path: Path) -> list[str]:
    """String literals shown straight to the researcher without a gettext mark."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        which = _SHOWN.get(name)
        if which is None:
            continue
        args = list(node.args)
        if which == "first":
            args = args[:1]
        elif which == "third":
            args = args[2:3]
        for arg in args:
            texts = []
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                texts = [arg.value]
            elif isinstance(arg, ast.JoinedStr):
                texts = [
                    v.value
                    for v in arg.values
                    if isinstance(v, ast.Constant) and isinstance(v.value, str)
                ]
            for text in texts:
                words = set(re.findall(r"[A-Za-z]{3,}", text)) - _NOT_WORDS
                if words:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}")
    return found


def test_no_unmarked_string_is_shown_in_the_app() -> None:
    """Every literal the app passes to a widget, a notification, a dialog or a key binding
    goes through gettext (``_``/``N_``); an unmarked one would stay English."""
    files = sorted((ROOT / "tui").rglob("*.py"))
    files = [f for f in files if "demo" not in f.parts or f.name == "__init__.py"]
    found = [line for f in files for line in _unmarked(f)]
    assert found == []


def test_no_unmarked_string_in_the_documents() -> None:
    """The .docx documents' headings and paragraphs are marked too (the participant's
    transcript, the by-question report, the codes document)."""
    assert _unmarked(ROOT / "store" / "exports" / "docx.py") == []


def test_sources_cover_every_package() -> None:
    assert set(SOURCES) == {"tui", "store", "audio", "guide"}
    assert MODULES == ("kvale_errors.py",)


def test_language_tags() -> None:
    assert normalise("no") == normalise("nb-NO") == normalise("nb_NO") == "nb"
    assert normalise("nn") == "nn" and normalise(None) == normalise("de") == "en"
    assert translator("no").gettext("Interviewer") == "Intervjuer"
    assert translator("en").gettext("Interviewer") == "Interviewer"
    assert isinstance(translator("de"), gettext.NullTranslations)
    assert format_date("2023-03-13", "nb") == "13.03.2023"
    assert format_date("2023-03-13", "en") == "2023-03-13"
    assert format_date("not a date", "nb") == "not a date"


def test_nynorsk_falls_back_to_bokmal_then_english() -> None:
    nn = translator("nn")
    assert nn.gettext("Interviewer") == "Intervjuar"  # its own
    untranslated = [m.id for m in read_po("nn") if m.id and not m.string]
    if untranslated:  # a message nynorsk lacks comes from bokmål, never English
        msgid = untranslated[0]
        single = msgid if isinstance(msgid, str) else msgid[0]
        assert nn.gettext(single) == translator("nb").gettext(single)


def test_catalogues_are_package_data() -> None:
    """The .mo files are installed with the package (pyproject package-data)."""
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = conf["tool"]["setuptools"]["package-data"]["kvale_i18n"]
    assert "locale/*/LC_MESSAGES/*.mo" in data
    for language in ("nb", "nn"):
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "kvale.mo").is_file()


def test_errors_made_with_said_are_shown_in_the_ui_language() -> None:
    from audio.devices import NO_MICROPHONE
    from kvale_errors import AudioError, StoreError
    from tui.i18n import error_text, set_language

    error = AudioError.said(NO_MICROPHONE)
    assert str(error) == NO_MICROPHONE  # the CLI and the log keep the English sentence
    try:
        set_language("nb")
        title, sentence = error_text(error)
        assert title == "Lydproblem" and sentence.startswith("Fant ingen mikrofon.")
        full = AudioError.said(
            "The disk is full, so recording stopped. What was recorded until now is kept in "
            "{folder}. Free some space (delete or move files) before recording again.",
            folder="/p/recordings/I1",
        )
        assert "/p/recordings/I1" in error_text(full)[1]
        assert error_text(full)[1].startswith("Disken er full")
        plain = StoreError("Something only English says.")  # not made with said: as written
        assert error_text(plain) == ("Problem med prosjektet", "Something only English says.")
    finally:
        set_language(None)
    assert error_text(error) == ("Audio problem", NO_MICROPHONE)


def _calls_of_gettext(tree: ast.AST) -> list[tuple[ast.Call, bool, bool]]:
    """Every ``_``/``ngettext`` call: (call, runs at import time, inside an f-string)."""
    found: list[tuple[ast.Call, bool, bool]] = []

    def visit(node: ast.AST, in_function: bool, in_fstring: bool) -> None:
        for child in ast.iter_child_nodes(node):
            function = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            fstring = in_fstring or isinstance(child, ast.JoinedStr)
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in ("_", "ngettext")
            ):
                found.append((child, not in_function, in_fstring))
            visit(child, function, fstring)

    visit(tree, False, False)
    return found


def test_gettext_runs_when_shown_and_babel_can_see_it() -> None:
    """``_()`` at module or class level would fix a string in the language of whichever
    app imported the module first (use ``N_`` there, ``_`` where it is shown); ``_()``
    inside an f-string is invisible to Babel's extractor (on Python 3.11), so its string
    would never reach the catalogue."""
    problems = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call, at_import, in_fstring in _calls_of_gettext(tree):
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            if at_import:
                problems.append(f"{where}: _() runs at import time (use N_)")
            literal = any(isinstance(a, ast.Constant) for a in call.args)
            if in_fstring and literal:
                problems.append(f"{where}: _() inside an f-string (Babel cannot extract it)")
    assert problems == []


def test_review_edits_that_cannot_be_done_say_so_in_the_ui_language() -> None:
    """Merging the last passage, an empty passage, a split not between words: the review
    screen's refusals are translated, under a title that says what is wrong (not
    "Project problem")."""
    from guide.transcript import Passage
    from kvale_errors import StoreError
    from store.codebook import Codebook
    from store.editing import edit_text, merge, split
    from tui.i18n import error_text, set_language

    passages = [Passage(0.0, 1.0, "Takk til deg.")]
    book = Codebook()
    refusals = []
    for attempt in (
        lambda: merge(passages, 0, book, "i1"),
        lambda: edit_text(passages, 0, "  ", book, "i1"),
        lambda: split(passages, 0, 0, book, "i1"),
    ):
        with pytest.raises(StoreError) as caught:
            attempt()
        refusals.append(caught.value)
    try:
        set_language("nn")
        shown = [error_text(e) for e in refusals]
    finally:
        set_language(None)
    assert shown == [
        (
            "Ingenting å slå saman med",
            "Det siste avsnittet har ikkje noko neste avsnitt å slå seg saman med.",
        ),
        ("Tomt avsnitt", "Eit avsnitt kan ikkje vere tomt. Slå det heller saman med naboen."),
        ("Ikkje mellom to ord", "Set markøren mellom to ord inne i avsnittet for å dele det."),
    ]
