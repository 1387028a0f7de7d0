"""Export generated variants for a teacher's LMS: Moodle XML and GIFT.

Moodle XML: numerical questions (multichoice for concept questions). Each known mistake
becomes an extra 0 % answer carrying its feedback, so Moodle names the mistake just as the
app does; a final `*` answer gives the hint for any other wrong number. The worked solution is
the general feedback; two hints give three tries in Moodle's "interactive with multiple tries"
behaviour (invalid input costs no try there either). Structure follows moodle/moodle
question/format/xml (`test_import_numerical_19`).

Moodle numerical answers are "value ± tolerance", so a range of right answers (any batch size
from 30 to 32) is exported as its midpoint ± half its width; Moodle will then also accept
non-whole numbers inside it, which the question text rules out.

GIFT carries fixed numbers only, which is what these are: every variant is already computed.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Iterable

from .build import plain
from .grading import correct_answer_text
from .model import Question
from .templates import generate

CATEGORY = "$course$/top/Batchwise"


def variants(template_ids: Iterable[str], seeds: Iterable[int]) -> list[Question]:
    seeds = list(seeds)
    return [generate(tid, s) for tid in template_ids for s in seeds]


# --- our Markdown (bold, code, bullets, quotes, pipe tables) to HTML --------------------------

def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def to_html(markdown: str) -> str:
    """The small Markdown subset our prompts use, as one line of HTML (GIFT needs one line)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = block.splitlines()
        if all(line.startswith("|") for line in lines):
            rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines
                    if not re.fullmatch(r"\|[-:| ]+\|?", line)]
            head, body = rows[0], rows[1:]
            out.append("<table border=\"1\"><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head) + "</tr>"
                       + "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in body)
                       + "</table>")
        elif all(line.startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{_inline(line[2:])}</li>" for line in lines) + "</ul>")
        elif all(line.startswith(">") for line in lines):
            out.append("<blockquote>" + _inline(" ".join(line.lstrip("> ") for line in lines)) + "</blockquote>")
        else:
            out.append("<p>" + _inline(" ".join(lines)) + "</p>")
    return "".join(out)


def _solution_html(q: Question) -> str:
    return "<p><strong>Worked solution</strong></p><ol>" + "".join(f"<li>{_inline(s)}</li>" for s in q.solution) + "</ol>"


def _name(q: Question) -> str:
    return f"{q.kind} (variant {q.seed})"


def _numeric_answer(low: str, high: str) -> tuple[str, str]:
    lo, hi = Decimal(low), Decimal(high)
    half = (hi - lo) / 2
    # six decimals are plenty inside any window here (the narrowest is about ±0.0001)
    return plain(round(lo + half, 6) if half else lo), plain(round(half, 6))


# --- Moodle XML ---------------------------------------------------------------------------------

def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html", **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, {**({"format": fmt} if fmt else {}), **attrs})
    ET.SubElement(el, "text").text = text
    return el


def _moodle_question(q: Question) -> ET.Element:
    mc = q.answer.kind == "choice"
    el = ET.Element("question", {"type": "multichoice" if mc else "numerical"})
    _text(el, "name", _name(q), fmt=None)
    prompt = to_html(q.prompt)
    if q.answer.kind == "real":
        prompt += f"<p>Unit: {html.escape(q.answer.unit)}.</p>"
    elif not mc:
        what = "the epoch number" if q.answer.unit == "epoch" else q.answer.unit
        prompt += f"<p>Answer with a whole number ({html.escape(what)}).</p>"
    _text(el, "questiontext", prompt)
    _text(el, "generalfeedback", _solution_html(q))
    ET.SubElement(el, "defaultgrade").text = "1"
    ET.SubElement(el, "penalty").text = "0.3333333"
    ET.SubElement(el, "hidden").text = "0"
    ET.SubElement(el, "idnumber").text = f"batchwise-{q.template_id}-{q.seed}"
    if mc:
        ET.SubElement(el, "single").text = "true"
        ET.SubElement(el, "shuffleanswers").text = "1"
        ET.SubElement(el, "answernumbering").text = "ABCD"
        by_letter = {m.choice: m for m in q.mistakes}
        for letter, option in zip("ABCDEF", q.choices):
            right = letter == q.answer.value
            ans = _text(el, "answer", _inline(option), fraction="100" if right else "0")
            feedback = "Right." if right else (by_letter[letter].feedback if letter in by_letter else q.hint)
            _text(ans, "feedback", _inline(feedback))
    else:
        value, tol = _numeric_answer(q.answer.low, q.answer.high)
        answers = [("100", value, tol, f"Right: {correct_answer_text(q)}.")]
        answers += [("0", *_numeric_answer(m.low, m.high), m.feedback) for m in q.mistakes]
        answers.append(("0", "*", "0", f"Not quite. {q.hint}"))
        for fraction, text, tolerance, feedback in answers:
            ans = _text(el, "answer", text, fmt="moodle_auto_format", fraction=fraction)
            _text(ans, "feedback", _inline(feedback))
            ET.SubElement(ans, "tolerance").text = tolerance
        ET.SubElement(el, "unitgradingtype").text = "0"
        ET.SubElement(el, "unitpenalty").text = "0.1000000"
        ET.SubElement(el, "showunits").text = "3"  # no unit input: the number alone is graded
        ET.SubElement(el, "unitsleft").text = "0"
    for hint in (q.hint, "Check each step against the lesson's formulas: N ÷ B, rounding, × epochs."):
        _text(el, "hint", _inline(hint))
    return el


def to_moodle_xml(questions: Iterable[Question]) -> str:
    quiz = ET.Element("quiz")
    last_kind = None
    for q in questions:
        if q.kind != last_kind:  # one category per question kind, so Moodle can draw random ones
            cat = ET.SubElement(quiz, "question", {"type": "category"})
            _text(cat, "category", f"{CATEGORY}/{q.kind}", fmt=None)
            last_kind = q.kind
        quiz.append(_moodle_question(q))
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


# --- GIFT ----------------------------------------------------------------------------------------

def gift_escape(text: str) -> str:
    """GIFT's special characters, backslash-escaped; newlines folded (a blank line would end
    the question)."""
    text = re.sub(r"\s*\n\s*", " ", text)
    return re.sub(r"([\\~=#{}:])", r"\\\1", text)


def _gift_question(q: Question) -> str:
    head = f"// {q.kind}, variant {q.seed} ({q.template_id})\n::{gift_escape(_name(q))}::[html]{gift_escape(to_html(q.prompt))}"
    if q.answer.kind == "choice":
        by_letter = {m.choice: m for m in q.mistakes}
        lines = []
        for letter, option in zip("ABCDEF", q.choices):
            if letter == q.answer.value:
                lines.append(f"={gift_escape(_inline(option))}#Right.")
            else:
                fb = by_letter[letter].feedback if letter in by_letter else q.hint
                lines.append(f"~{gift_escape(_inline(option))}#{gift_escape(_inline(fb))}")
        return _gift_block(head, "", lines, q)
    value, tol = _numeric_answer(q.answer.low, q.answer.high)
    lines = [f"={value}:{tol}#{gift_escape(_inline('Right: ' + correct_answer_text(q) + '.'))}"]
    for m in q.mistakes:
        mv, mt = _numeric_answer(m.low, m.high)
        lines.append(f"=%0%{mv}:{mt}#{gift_escape(_inline(m.feedback))}")
    return _gift_block(head, "#", lines, q)


def _gift_block(head: str, mark: str, lines: list[str], q: Question) -> str:
    # general feedback (the worked solution) goes last inside the braces, after ####
    body = "\n".join("  " + line for line in lines + [f"####{gift_escape(_solution_html(q))}"])
    return f"{head} {{{mark}\n{body}\n}}"


def to_gift(questions: Iterable[Question]) -> str:
    parts = []
    last_kind = None
    for q in questions:
        if q.kind != last_kind:
            parts.append(f"$CATEGORY: {CATEGORY}/{q.kind}")
            last_kind = q.kind
        parts.append(_gift_question(q))
    return "\n\n".join(parts) + "\n"
