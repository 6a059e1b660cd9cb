"""REFI-QDA project exchange (.qdpx): NVivo, ATLAS.ti and MAXQDA open it already coded.

A .qdpx is a zip with ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``,
REFI-QDA 1.5) and ``Sources/<guid>.txt`` (UTF-8 transcripts). kvale writes:

- a code for every guide question, grouped under its section, under
  "Guide questions"; the research questions, with the researcher's code
  groups under them and their codes inside; ungrouped codes at the top;
- one text source per interview and one case per participant;
- a coded selection (character positions, first character 0, end exclusive)
  for every tagged passage (coded with its question) and every coded span;
- the condensation notes as notes, referenced from their code group.

GUIDs are derived from the project and the item (uuid5), so exporting twice
gives the same file and tools can merge re-imports. `read_qdpx` reads a
.qdpx back (for the round-trip check) and `check_qdpx` checks the essentials
of the schema without the XSD.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from guide.model import Guide
from store.analysis import guide_key, question_label
from store.corpus import Corpus
from store.exports.common import clean_text, layout_transcript, safe_name, target, write_atomic
from store.exports.common import clock as _clock

NS = "urn:QDA-XML:project:1.0"
GUID_RE = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
    r"|^(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$"
)


_xml_safe = clean_text  # the one shared function (store.exports.common)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


@dataclass(frozen=True)
class Selection:
    """A coded selection as exported or read back."""

    source: str  # source name (participant + interview id)
    start: int
    end: int
    code: str  # code name
    text: str  # the selected text


class _Guids:
    def __init__(self, project: str) -> None:
        self.ns = uuid.uuid5(uuid.NAMESPACE_URL, f"kvale:{project}")

    def __call__(self, *key: object) -> str:
        return str(uuid.uuid5(self.ns, "|".join(str(k) for k in key)))


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(
        parent, _q(tag), {k: _xml_safe(v) for k, v in attrs.items() if v is not None}
    )


def build(corpus: Corpus) -> tuple[bytes, dict[str, str], list[Selection]]:
    """The project.qde bytes, the source files (name → text), and the selections written."""
    ET.register_namespace("", NS)
    redactor = corpus.redactor()
    guid = _Guids(corpus.name)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    user = guid("user")
    root = ET.Element(
        _q("Project"),
        {
            "name": redactor(corpus.name),
            "origin": "kvale 0.1.0",
            "creatingUserGUID": user,
            "creationDateTime": now,
        },
    )
    users = _sub(root, "Users")
    _sub(users, "User", guid=user, name="kvale researcher")

    book = corpus.codebook
    code_guid: dict[str, str] = {}  # kvale key ("q:2.1", "c:<id>") → guid
    code_name: dict[str, str] = {}
    codes_el = _sub(_sub(root, "CodeBook"), "Codes")
    guides = corpus.guides()
    mixed = len(guides) > 1

    def qkey(guide: Guide | None, question_id: str) -> str:
        # one guide: "q:2.1" as always (stable GUIDs); several: each guide its own codes
        return f"q:{guide_key(guide)}:{question_id}" if mixed else f"q:{question_id}"

    for guide in guides:
        label = f"Guide questions: {redactor(guide.title)}" if mixed else "Guide questions"
        top_id = guid("guide", guide_key(guide)) if mixed else guid("guide")
        top = _sub(codes_el, "Code", guid=top_id, name=label, isCodable="false")
        _sub(top, "Description").text = _xml_safe(redactor(guide.title))
        for section in guide.sections:
            key = qkey(guide, section.id)
            code_guid[key] = guid(key)
            code_name[key] = question_label(guide, section.id)
            sec_el = _sub(top, "Code", guid=code_guid[key], name=code_name[key], isCodable="true")
            for q in section.questions:
                key = qkey(guide, q.id)
                code_guid[key] = guid(key)
                code_name[key] = question_label(guide, q.id)
                _sub(sec_el, "Code", guid=code_guid[key], name=code_name[key], isCodable="true")

    note_refs: dict[str, list[str]] = {}
    notes: list[tuple[str, str, str]] = []  # guid, name, text
    present = {i.participant for i in corpus.interviews}
    for key, text in book.notes.items():
        group_id, _, participant = key.partition("|")
        # about others than the participants exported (`Corpus.partial`): left out
        others = participant not in present if participant else corpus.partial
        if others:
            continue
        try:
            group = book.group(group_id)
        except KeyError:
            continue
        note_guid = guid("note", key)
        label = f"Condensation: {group.name}" + (f" — {participant}" if participant else "")
        notes.append((note_guid, redactor(label), redactor(text)))
        note_refs.setdefault(group_id, []).append(note_guid)

    def add_codes(parent: ET.Element, group_id: str | None) -> None:
        for c in book.codes_in(group_id):
            key = f"c:{c.id}"
            code_guid[key] = guid(key)
            code_name[key] = redactor(c.name)
            el = _sub(parent, "Code", guid=code_guid[key], name=code_name[key], isCodable="true")
            if c.description:
                _sub(el, "Description").text = _xml_safe(redactor(c.description))

    def add_group(parent: ET.Element, g_id: str) -> None:
        group = book.group(g_id)
        el = _sub(
            parent, "Code", guid=guid("g", g_id), name=redactor(group.name), isCodable="false"
        )
        if group.description:
            _sub(el, "Description").text = _xml_safe(redactor(group.description))
        for ref in note_refs.get(g_id, []):
            _sub(el, "NoteRef", targetGUID=ref)
        add_codes(el, g_id)

    rq_texts = corpus.research_questions()  # of every guide used
    for g in book.groups:
        if g.research_question and g.research_question not in rq_texts:
            rq_texts[g.research_question] = ""
    for rq, text in rq_texts.items():
        label = f"{rq}: {text}" if text else rq
        rq_el = _sub(codes_el, "Code", guid=guid("rq", rq), name=redactor(label), isCodable="false")
        for g in book.groups:
            if g.research_question == rq:
                add_group(rq_el, g.id)
    for g in book.groups:
        if not g.research_question:
            add_group(codes_el, g.id)
    add_codes(codes_el, None)
    if len(codes_el) == 0:  # the schema needs at least one code
        _sub(codes_el, "Code", guid=guid("uncoded"), name="Uncoded", isCodable="true")

    sources: dict[str, str] = {}
    source_notes: dict[str, list[str]] = {}
    selections: list[Selection] = []
    cases: dict[str, list[str]] = {}
    source_els: list[ET.Element] = []
    for interview in corpus.interviews:
        laid, items = layout_transcript(corpus, interview)
        own = corpus.guide_of(interview)
        s_guid = guid("source", interview.id)
        name = f"{interview.participant} {interview.id}"
        src = ET.Element(
            _q("TextSource"),
            {
                "guid": s_guid,
                "name": name,
                "plainTextPath": f"internal://{s_guid}.txt",
                "creatingUser": user,
                "creationDateTime": now,
            },
        )
        _sub(src, "Description").text = (
            f"Interview {interview.id} with {interview.participant}, "
            f"{interview.date or 'no date'}, {round(interview.duration / 60)} min"
        )
        sources[f"{s_guid}.txt"] = laid.text
        for item in items:  # the interviewer's notes and bookmarks: memos on the source
            for when, line in item.notes:
                note_guid = guid("marker", interview.id, f"{when:.3f}", line)
                label = f"{interview.participant} {interview.id} at {_clock(when)}"
                notes.append((note_guid, label, line))
                source_notes.setdefault(s_guid, []).append(note_guid)
        cases.setdefault(interview.participant, []).append(s_guid)
        for item, (start, end) in zip(items, laid.offsets, strict=True):
            marks: list[tuple[int, int, str, str]] = []
            if item.question_id and qkey(own, item.question_id) in code_guid:
                marks.append((start, end, qkey(own, item.question_id), f"p{item.index}"))
            for s in item.spans:
                marks.append(
                    (
                        start + s.char_start,
                        start + s.char_end,
                        f"c:{s.code_id}",
                        f"s{item.index}:{s.char_start}:{s.code_id}",
                    )
                )
            for m_start, m_end, key, ident in marks:
                if key not in code_guid or m_end <= m_start:
                    continue
                selected = laid.text[m_start:m_end]
                sel = _sub(
                    src,
                    "PlainTextSelection",
                    guid=guid("sel", interview.id, ident),
                    name=selected[:60],
                    startPosition=str(m_start),
                    endPosition=str(m_end),
                    creatingUser=user,
                    creationDateTime=now,
                )
                coding = _sub(
                    sel, "Coding", guid=guid("coding", interview.id, ident), creatingUser=user
                )
                _sub(coding, "CodeRef", targetGUID=code_guid[key])
                selections.append(Selection(name, m_start, m_end, code_name[key], selected))
        for ref in source_notes.get(s_guid, []):
            _sub(src, "NoteRef", targetGUID=ref)
        source_els.append(src)

    if cases:
        cases_el = _sub(root, "Cases")
        for participant, refs in cases.items():
            case = _sub(cases_el, "Case", guid=guid("case", participant), name=participant)
            for ref in refs:
                _sub(case, "SourceRef", targetGUID=ref)
    if source_els:
        sources_el = _sub(root, "Sources")
        sources_el.extend(source_els)
    if notes:
        notes_el = _sub(root, "Notes")
        for note_guid, label, text in notes:
            note = _sub(
                notes_el,
                "Note",
                guid=note_guid,
                name=label,
                creatingUser=user,
                creationDateTime=now,
            )
            _sub(note, "PlainTextContent").text = _xml_safe(text)
    ET.indent(root, space=" ")
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml, sources, selections


def export_qdpx(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    """Write ``<project>.qdpx``."""
    path = target(out, default_dir, f"{safe_name(corpus.name)}.qdpx")
    xml, sources, _ = build(corpus)
    buf = io.BytesIO()  # zipped in memory, written atomically (see docx._save)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        for name, text in sources.items():
            zf.writestr(f"Sources/{name}", text.encode("utf-8"))
    return [write_atomic(path, buf.getvalue())]


def read_qdpx(path: Path) -> tuple[ET.Element, dict[str, str], list[Selection]]:
    """Read a .qdpx back: the project element, its source texts, and its coded selections."""
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("project.qde"))
        texts = {
            n.removeprefix("Sources/"): zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.startswith("Sources/")
        }
    names = {c.get("guid"): c.get("name", "") for c in root.iter(_q("Code"))}
    selections = []
    for src in root.iter(_q("TextSource")):
        text = texts.get(str(src.get("plainTextPath", "")).removeprefix("internal://"), "")
        for sel in src.findall(_q("PlainTextSelection")):
            start, end = int(sel.get("startPosition", -1)), int(sel.get("endPosition", -1))
            for ref in sel.iter(_q("CodeRef")):
                selections.append(
                    Selection(
                        src.get("name", ""),
                        start,
                        end,
                        names.get(ref.get("targetGUID"), "?"),
                        text[start:end],
                    )
                )
    return root, texts, selections


def check_qdpx(path: Path) -> list[str]:
    """Problems with the essentials of REFI-QDA in a .qdpx (empty when it is sound).

    Checks the namespace and root, every guid's format and uniqueness, the
    required attributes, that every text source has its text (path or
    content, not both) in the zip, that every CodeRef/NoteRef/SourceRef
    points at an existing element, and that every selection lies in its text.
    """
    problems: list[str] = []
    root, texts, _ = read_qdpx(path)
    if root.tag != _q("Project"):
        problems.append(f"root is {root.tag}, not Project in {NS}")
    if not root.get("name"):
        problems.append("Project has no name")
    guids: dict[str, str] = {}
    for el in root.iter():
        if not el.tag.startswith(f"{{{NS}}}"):
            problems.append(f"element {el.tag} is outside the REFI namespace")
        g = el.get("guid")
        if g is not None:
            if not GUID_RE.match(g):
                problems.append(f"bad guid {g!r} on {el.tag}")
            if g in guids:
                problems.append(f"guid {g} used twice")
            guids[g] = el.tag
        for attr in ("creatingUser", "creatingUserGUID", "targetGUID"):
            v = el.get(attr)
            if v is not None and not GUID_RE.match(v):
                problems.append(f"bad {attr} {v!r}")
    for code in root.iter(_q("Code")):
        for attr in ("guid", "name", "isCodable"):
            if not code.get(attr):
                problems.append(f"Code without {attr}")
        if code.get("isCodable") not in {"true", "false"}:
            problems.append(f"Code {code.get('name')} isCodable={code.get('isCodable')}")
    code_guids = {c.get("guid") for c in root.iter(_q("Code"))}
    for ref in root.iter(_q("CodeRef")):
        if ref.get("targetGUID") not in code_guids:
            problems.append(f"CodeRef to missing code {ref.get('targetGUID')}")
    for tag, kinds in (("NoteRef", {_q("Note")}), ("SourceRef", {_q("TextSource")})):
        for ref in root.iter(_q(tag)):
            if guids.get(str(ref.get("targetGUID"))) not in kinds:
                problems.append(f"{tag} to missing {ref.get('targetGUID')}")
    for src in root.iter(_q("TextSource")):
        p = src.get("plainTextPath")
        content = src.find(_q("PlainTextContent"))
        if (p is None) == (content is None):
            problems.append(f"TextSource {src.get('name')} needs plainTextPath or PlainTextContent")
            continue
        if p is not None:
            if not p.startswith("internal://") or p.removeprefix("internal://") not in texts:
                problems.append(f"TextSource {src.get('name')}: {p} is not in the zip")
                continue
            text = texts[p.removeprefix("internal://")]
        else:
            text = content.text or "" if content is not None else ""
        for sel in src.findall(_q("PlainTextSelection")):
            try:
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError:
                problems.append(f"selection {sel.get('guid')} without integer positions")
                continue
            if not 0 <= start < end <= len(text):
                problems.append(f"selection {start}-{end} outside {src.get('name')} ({len(text)})")
    return problems


def validate_xsd(path: Path, xsd: Path) -> list[str]:
    """Validate project.qde against the REFI-QDA XSD (lxml); the errors, empty when valid."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(xsd)))
    with zipfile.ZipFile(path) as zf:
        doc = etree.fromstring(zf.read("project.qde"))
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
