"""Exports in the interview's language, with Norwegian conventions for a Norwegian project:
A4 pages, page and line numbers in Word, dd.mm.yyyy dates; CSV readable by Excel."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from review_helpers import passage, small_corpus

from audio.gaps import unheard
from guide.bundled import load_bundled
from guide.transcript import Speaker
from store.corpus import Corpus, ReviewInterview
from store.exports import export_corpus
from store.exports.text import member_check
from store.redaction import Redaction

ENGLISH = ["Interviewer", "Transcript", "Thank you", "Page", "words", "Total", "no date"]


def norwegian_corpus(path: Path | None, *, project_language: str | None = "nb") -> Corpus:
    guide = load_bundled("nav-trivsel-nb")
    passages = (
        passage(0.0, "Hvor lenge har du jobbet i NAV?", "1.1", Speaker.INTERVIEWER),
        passage(4.0, "Jeg har jobbet her i tolv år, sammen med Kari.", "1.1"),
        passage(40.0, "I forhold til kollegaer?", "2.2", Speaker.INTERVIEWER),
        passage(44.0, "Vi har et godt lag, og vi spør hverandre om råd.", "2.2"),
    )
    interview = ReviewInterview(
        "I1-20230313", "I1", "2023-03-13", 1820.0, passages, "transcribed", guide, language="nb"
    )
    return Corpus(
        "NAV-trivsel",
        guide,
        [interview],
        redactions=[Redaction("Kari", "[kollega]")],
        path=path,
        language=project_language,
    )


def _texts(xml: str) -> str:
    """The text runs of a document part, one per line."""
    return "\n".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/"))


def test_member_check_letter_speaks_the_interviews_language(tmp_path: Path) -> None:
    text = member_check(norwegian_corpus(tmp_path), "I1")
    assert text.startswith("Transkripsjon av intervjuet ditt (I1)")
    assert "Takk for at du deltok." in text and "Intervju 13.03.2023, 30 min" in text
    assert "] Intervjuer: Hvor lenge" in text and "] Du: Jeg har jobbet" in text
    assert "[kollega]" in text and "Kari" not in text
    for word in [*ENGLISH, "You:", "Interview of"]:
        assert word not in text, word


def test_member_check_never_gives_the_participant_words_no_one_can_be_told_said(
    tmp_path: Path,
) -> None:
    """Small talk whose speaker is not known ("–" in review) is "?" in the letter, with a
    line that says so, not "Du": the participant must not read the interviewer's words
    as their own (a first-time user's finding)."""
    corpus = norwegian_corpus(tmp_path)
    interview = corpus.interviews[0]
    chat = passage(30.0, "Vil du ha en kopp kaffe?", None, Speaker.UNKNOWN)
    ps = interview.passages
    corpus = dataclasses.replace(
        corpus, interviews=[dataclasses.replace(interview, passages=(*ps[:2], chat, *ps[2:]))]
    )
    text = member_check(corpus, "I1")
    assert "] ?: Vil du ha en kopp kaffe?" in text and "Du: Vil du" not in text
    assert "] Du: Jeg har jobbet" in text
    assert "Linjer merket ? er" in text  # what "?" means, in the letter's language
    # and none of that where every line has its speaker
    assert "?:" not in member_check(norwegian_corpus(tmp_path), "I1")


def test_member_check_file_is_named_in_the_letters_language(tmp_path: Path) -> None:
    [path] = export_corpus(norwegian_corpus(tmp_path, project_language="en"), "member-check")
    assert path.name == "respondentvalidering-I1.txt"


def test_member_check_follows_the_interview_not_the_project(tmp_path: Path) -> None:
    """A Norwegian interview in a project set to English: the letter is Norwegian; an
    English interview stays English."""
    nb = norwegian_corpus(tmp_path, project_language="en")
    assert "Takk for at du deltok" in member_check(nb, "I1")
    english = small_corpus(tmp_path)
    letter = member_check(english, "I1")
    assert letter.startswith("Transcript of your interview (I1)")
    assert "] Interviewer: " in letter and "] You: " in letter


def test_word_transcript_is_a4_with_page_and_line_numbers_in_norwegian(tmp_path: Path) -> None:
    paths = export_corpus(norwegian_corpus(tmp_path), "docx")
    assert [p.name for p in paths] == [
        "transkripsjon-I1-I1-20230313.docx",
        "svar-per-spørsmål.docx",
        "koder-og-kondensering.docx",
    ]
    transcript = paths[0]
    doc = Document(str(transcript))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    numbering = section._sectPr.find(qn("w:lnNumType"))
    assert numbering is not None and numbering.get(qn("w:countBy")) == "1"
    assert numbering.get(qn("w:restart")) == "continuous"
    # the schema's order: w:lnNumType after the page margins, before the columns
    tags = [child.tag for child in section._sectPr]
    assert tags.index(qn("w:pgMar")) < tags.index(qn("w:lnNumType")) < tags.index(qn("w:cols"))
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "Side " in footer and " av " in footer
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "I1 — 13.03.2023 — 30 min" in text
    assert "Intervjuer " in text and "1.1 Hvor lenge har du jobbet i NAV?" in text
    xml = _xml(transcript)
    assert 'w:val="nb-NO"' in xml  # Word proofs the text as bokmål
    for path in paths:  # the by-question report and the codes document too
        xml = _xml(path)
        text = _texts(xml)
        for word in [*ENGLISH, "answers by question", "codes and condensation"]:
            assert not re.search(rf"\b{word}\b", text), (path.name, word)
        assert "PAGE" in xml


def test_english_documents_keep_their_paper_and_get_page_numbers(tmp_path: Path) -> None:
    paths = export_corpus(small_corpus(tmp_path), "docx")
    transcript = next(p for p in paths if p.name.startswith("transcript-"))
    doc = Document(str(transcript))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(215.9)) < Mm(1)  # python-docx's US Letter, unchanged
    assert section._sectPr.find(qn("w:lnNumType")) is not None
    footer = section.footer._element.xml
    assert "Page " in footer and " of " in footer and "NUMPAGES" in footer
    assert "Interviewer " in "\n".join(p.text for p in doc.paragraphs)


def test_nynorsk_interview_gets_nynorsk_labels(tmp_path: Path) -> None:
    corpus = norwegian_corpus(tmp_path, project_language=None)
    corpus.interviews = [dataclasses.replace(corpus.interviews[0], language="nn")]
    text = member_check(corpus, "I1")
    assert "Takk for at du var med." in text and "] Intervjuar: " in text


def test_markdown_and_text_in_norwegian(tmp_path: Path) -> None:
    corpus = norwegian_corpus(tmp_path)
    [md] = export_corpus(corpus, "md")
    body = md.read_text(encoding="utf-8")
    assert "## Informanter" in body and "Totalt" in body and "I1 — 13.03.2023 — 30 min" in body
    assert "**Intervjuer**" in body and "Ord: " in body
    [txt] = export_corpus(corpus, "txt")
    assert "] Intervjuer: Hvor lenge" in txt.read_text(encoding="utf-8")
    [vtt] = export_corpus(corpus, "vtt")
    assert "<v Intervjuer>" in vtt.read_text(encoding="utf-8")


def test_csv_files_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    """Excel on Windows reads a CSV as the ANSI code page unless it starts with a BOM."""
    corpus = norwegian_corpus(tmp_path)
    for fmt in ("csv", "informants"):
        [path] = export_corpus(corpus, fmt)
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
        assert "Vi har et godt lag" in raw.decode("utf-8-sig") or fmt == "informants"
    [informants] = export_corpus(corpus, "informants")
    assert "Totalt" in informants.read_text(encoding="utf-8-sig")


def test_inaudible_note_in_the_interviews_language() -> None:
    assert unheard(23.4) == "[inaudible, 23 s]"
    assert unheard(23.4, "no") == "[uhørbart, 23 s]"  # Whisper's tag for Norwegian
    assert unheard(7, "nn") == "[uhøyrleg, 7 s]"


def test_a_name_without_a_placeholder_of_its_own_is_written_in_the_project_s_language(
    tmp_path: Path,
) -> None:
    """ "Kari" alone on the list reads "[navn]" in a Norwegian project's exports (nynorsk
    "[namn]", English "[name]"); a placeholder given with the name is kept as given."""
    for language, shown in (("nb", "[navn]"), ("nn", "[namn]"), ("en", "[name]")):
        corpus = norwegian_corpus(tmp_path / language, project_language=language)
        corpus.redactions = [Redaction("Kari"), Redaction("NAV", "[etaten]")]
        for fmt in ("md", "txt", "csv"):
            text = "".join(p.read_text(encoding="utf-8") for p in export_corpus(corpus, fmt))
            assert f"sammen med {shown}." in text and "Kari" not in text, (language, fmt)
            assert "jobbet i [etaten]?" in text


def test_word_files_say_kvale_made_them_now_and_name_nobody(tmp_path: Path) -> None:
    """python-docx's template said "python-docx" made the file in 2013; the properties
    now say kvale, the export's time, the title and the language, and no author."""
    import datetime as dt

    for path in export_corpus(norwegian_corpus(tmp_path), "docx"):
        props = Document(str(path)).core_properties
        assert props.author == "kvale" and props.last_modified_by == "" and props.comments == ""
        assert props.created is not None and props.created.year == dt.date.today().year
        assert props.title and props.language == "nb-NO", (path.name, props.title)
