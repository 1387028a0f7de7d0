"""Moodle XML and GIFT exports: well-formed, with the structure Moodle imports, and grading in
Moodle (first answer within tolerance wins) agrees with the app's own grading."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from engine.quiz import TEMPLATES, generate, grade
from engine.quiz.export import _inline as inline_html
from engine.quiz.export import gift_escape, to_gift, to_html, to_moodle_xml, variants

KINDS = list(TEMPLATES)


@pytest.fixture(scope="module")
def questions():
    return variants(KINDS, range(5))


@pytest.fixture(scope="module")
def moodle(questions):
    return ET.fromstring(to_moodle_xml(questions).encode("utf-8"))


def moodle_match(question_el: ET.Element, value: Decimal) -> ET.Element | None:
    """qtype_numerical: the first answer whose value ± tolerance holds the response; '*' matches all."""
    for ans in question_el.findall("answer"):
        text = ans.findtext("text")
        if text == "*":
            return ans
        if abs(value - Decimal(text)) <= Decimal(ans.findtext("tolerance")):
            return ans
    return None


def test_moodle_xml_structure(questions, moodle):
    assert moodle.tag == "quiz"
    qs = [q for q in moodle.findall("question") if q.get("type") != "category"]
    cats = [q for q in moodle.findall("question") if q.get("type") == "category"]
    assert len(qs) == len(questions)
    assert {c.findtext("category/text") for c in cats} == {f"$course$/top/Batchwise/{t.title}" for t in TEMPLATES.values()}
    for el, q in zip(qs, questions):
        assert el.get("type") == ("multichoice" if q.answer.kind == "choice" else "numerical")
        assert el.findtext("name/text") == f"{q.kind} (variant {q.seed})"
        assert el.find("questiontext").get("format") == "html"
        assert "Worked solution" in el.findtext("generalfeedback/text")
        assert el.findtext("defaultgrade") == "1" and float(el.findtext("penalty")) > 0
        assert len(el.findall("hint")) == 2  # three tries in interactive mode
        answers = el.findall("answer")
        assert [a.get("fraction") for a in answers].count("100") == 1
        assert all(a.get("fraction") in {"100", "0"} for a in answers)
        assert all(a.findtext("feedback/text") for a in answers)
        if q.answer.kind == "choice":
            assert el.findtext("single") == "true" and len(answers) == len(q.choices)
            continue
        assert all(Decimal(a.findtext("tolerance")) >= 0 for a in answers)
        assert answers[-1].findtext("text") == "*"  # any other number: the hint
        assert len(answers) == 2 + len(q.mistakes)  # right, one per known mistake, catch-all


def test_moodle_grades_like_the_app(questions, moodle):
    qs = [q for q in moodle.findall("question") if q.get("type") == "numerical"]
    numeric = [q for q in questions if q.answer.kind != "choice"]
    for el, q in zip(qs, numeric):
        right = moodle_match(el, Decimal(q.answer.value))
        assert right is not None and right.get("fraction") == "100"
        for m in q.mistakes:
            matched = moodle_match(el, Decimal(m.value))
            assert matched.get("fraction") == "0"
            # the same words the app shows for that mistake, as HTML
            assert matched.findtext("feedback/text") == inline_html(grade(q, m.value).feedback)


def test_prompts_numbers_reach_moodle(questions, moodle):
    qs = [q for q in moodle.findall("question") if q.get("type") != "category"]
    for el, q in zip(qs, questions):
        text = el.findtext("questiontext/text")
        for value in q.params.values():
            if isinstance(value, int) and not isinstance(value, bool) and q.answer.kind != "choice":
                assert f"{value:,}" in text


def test_history_tables_become_html_tables():
    q = generate("early-stopping", 3)
    html = to_html(q.prompt)
    assert html.count("<tr>") == len(q.table["epoch"]) + 1
    assert "<th>validation loss</th>" in html


def test_html_is_escaped():
    assert to_html("**a** <script>alert(1)</script> `x<y`") == (
        "<p><strong>a</strong> &lt;script&gt;alert(1)&lt;/script&gt; <code>x&lt;y</code></p>")


def split_gift(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text.strip()) if not block.startswith("$CATEGORY")]


def unescaped(s: str, ch: str) -> int:
    return len(re.findall(rf"(?<!\\){re.escape(ch)}", s))


def test_gift_structure(questions):
    gift = to_gift(questions)
    blocks = split_gift(gift)
    assert len(blocks) == len(questions)  # blank lines separate questions, and only questions
    for block, q in zip(blocks, questions):
        body = "\n".join(line for line in block.splitlines() if not line.startswith("//"))
        assert body.startswith(f"::{gift_escape(q.kind + ' (variant ' + str(q.seed) + ')')}::[html]")
        assert unescaped(body, "{") == 1 and unescaped(body, "}") == 1 and body.rstrip().endswith("}")
        answers = body[body.index(" {") + 2:].strip().rstrip("}").splitlines()
        if q.answer.kind == "choice":
            assert sum(a.strip().startswith("=") for a in answers) == 1
            assert sum(a.strip().startswith("~") for a in answers) == len(q.choices) - 1
        else:
            assert answers[0] == "#"
            entries = [a.strip() for a in answers[1:] if not a.strip().startswith("####")]
            assert len(entries) == 1 + len(q.mistakes)
            value, tol = re.match(r"=([\d.]+):([\d.]+)#", entries[0]).groups()
            assert abs(Decimal(q.answer.value) - Decimal(value)) <= Decimal(tol)
            for entry, m in zip(entries[1:], q.mistakes):
                mv, mt = re.match(r"=%0%([\d.]+):([\d.]+)#", entry).groups()
                assert abs(Decimal(m.value) - Decimal(mv)) <= Decimal(mt)
        assert "####" in body  # the worked solution as general feedback


def test_gift_escapes_its_special_characters():
    assert gift_escape("a=b: {c} ~d #e \\") == "a\\=b\\: \\{c\\} \\~d \\#e \\\\"
    assert "\n" not in gift_escape("line one\n\nline two")


def test_epoch_questions_ask_for_the_epoch_number_and_answer_epoch_n():
    q = generate("early-stopping", 4)
    xml = to_moodle_xml([q])
    assert "Answer with a whole number (the epoch number)" in xml and "(epoch)" not in xml
    assert f"Right: after epoch {int(q.answer.value)}." in xml
