"""A guide as plain text for the terminal (``kvale guide show``) and advice for ``check``."""

from __future__ import annotations

from guide.model import Guide, Question


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _words(text: str) -> int:
    return len(text.split())


def _first_words(text: str, width: int = 72) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _question_lines(question: Question, indent: str) -> list[str]:
    lines: list[str] = []
    inner = indent + " " * (len(question.id) + 2)
    if question.description:
        lines.extend(f"{inner}({paragraph})" for paragraph in question.description.split("\n\n"))
    for probe in question.probes:
        lines.append(f"{inner}- {probe.id}  {probe.text}")
    for note in question.notes:
        lines.append(f"{inner}note: {note}")
    if question.keywords:
        lines.append(f"{inner}keywords: {', '.join(question.keywords)}")
    return lines


def format_outline(guide: Guide) -> str:
    """The guide's outline with ids, one question per line, for a terminal.

    Args:
        guide: a parsed guide.

    Returns:
        Plain text (no colour codes), ending without a newline.
    """
    questions = sum(len(section.questions) + 1 for section in guide.sections)
    probes = sum(len(q.probes) for q in guide.questions())
    planned = [s.planned_minutes for s in guide.sections if s.planned_minutes is not None]
    facts = [
        f"language {guide.language}" if guide.language else "language not set",
        _count(len(guide.sections), "section"),
        _count(questions, "question"),
        _count(probes, "probe"),
    ]
    if planned:
        facts.append(f"{sum(planned):g} min planned")
    out = [guide.title, " · ".join(facts)]
    if guide.research_questions:
        out.append("")
        out.append("Research questions")
        width = max(len(rq) for rq in guide.research_questions)
        out.extend(f"  {rq:<{width}}  {text}" for rq, text in guide.research_questions.items())
    if guide.intro:
        out.append("")
        out.append(f"Intro, read aloud ({_words(guide.intro)} words)")
        out.append(f"  {_first_words(guide.intro)}")
    for section in guide.sections:
        out.append("")
        tags = []
        if section.research_question:
            tags.append(section.research_question)
        if section.planned_minutes is not None:
            tags.append(f"{section.planned_minutes:g} min")
        suffix = f"  [{' · '.join(tags)}]" if tags else ""
        out.append(f"{section.id}  {section.title}{suffix}")
        out.extend(_question_lines(section.question, ""))
        for question in section.questions:
            out.append(f"  {question.id}  {question.text}")
            out.extend(_question_lines(question, "  "))
    if guide.closing:
        out.append("")
        out.append(f"Closing, read aloud ({_words(guide.closing)} words)")
        out.append(f"  {_first_words(guide.closing)}")
    return "\n".join(out)


def guide_warnings(guide: Guide) -> list[str]:
    """Advice about a guide that parsed: things that are allowed but probably unintended.

    Returns:
        Sentences, each naming the line it is about; empty when there is nothing to say.
    """
    warnings: list[str] = []
    with_minutes = [s for s in guide.sections if s.planned_minutes is not None]
    if with_minutes and len(with_minutes) < len(guide.sections):
        for section in guide.sections:
            if section.planned_minutes is None:
                warnings.append(
                    f"line {section.question.line}: section {section.id} has no planned "
                    "minutes while other sections do — add {min=…} to its heading"
                )
    used = {s.research_question for s in guide.sections}
    for rq in guide.research_questions:
        if rq not in used:
            warnings.append(
                f"research question {rq} is not linked to any section — add {{rq={rq}}} to "
                "the heading of the sections that serve it"
            )
    return warnings
