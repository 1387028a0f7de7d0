"""The quiz in a real browser: a wrong answer gets feedback naming the mistake, the right one
the worked solution. The link fixes the question (?kinds=…&seed=…), so the test knows it."""
from __future__ import annotations

from playwright.sync_api import expect

from engine.quiz.session import new_quiz
from tests.browser.conftest import wait_for_app


def test_wrong_answer_then_right_answer(page, base_url):
    question = new_quiz(["iterations-per-epoch"], 2, seed=5).question()
    floor = next(m for m in question.mistakes if m.id == "floor-instead-of-ceil")
    page.goto(f"{base_url}/quiz?kinds=iterations-per-epoch&seed=5&length=2")
    # a cold start: the first quiz also creates the database's tables
    expect(page.get_by_text("Question 1 of 2")).to_be_visible(timeout=30_000)
    n = f"{question.params['n_samples']:,}"
    expect(page.get_by_text(f"{n} samples", exact=False).first).to_be_visible()

    box = page.get_by_role("textbox", name="Your answer (iterations)")
    box.fill(floor.value)
    page.get_by_role("button", name="Check").dblclick()  # one wrong answer, clicked twice
    expect(page.get_by_text("Rounded down instead of up")).to_be_visible()
    expect(page.get_by_text("Try 2 of 3")).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_text("Rounded down instead of up")).to_be_visible()  # the first feedback stays
    expect(page.get_by_text("already tried")).to_have_count(0)
    expect(page.get_by_text("Try 2 of 3")).to_be_visible()
    expect(page.get_by_text("Worked solution")).to_have_count(0)

    box.fill(f"{int(question.answer.value):,}")
    box.press("Enter")  # Enter submits, like the button
    expect(page.get_by_text(f"Right: {int(question.answer.value):,}.")).to_be_visible()
    expect(page.get_by_text("Worked solution")).to_be_visible()
    expect(page.get_by_text(question.solution[-1], exact=False)).to_be_visible()
    next_button = page.get_by_role("button", name="Next question")
    expect(next_button).to_be_visible()
    wait_for_app(page)
    next_button.dblclick()  # a double click must not skip question 2
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    expect(page.get_by_text("Your score")).to_have_count(0)


def test_a_teacher_downloads_the_moodle_export(page, base_url):
    # The box is built when opened and the file when the button is clicked.
    page.goto(f"{base_url}/quiz")
    box = page.get_by_text("For teachers: export questions to Moodle")
    expect(box).to_be_visible(timeout=30_000)
    wait_for_app(page)
    box.click()
    button = page.get_by_role("button", name="Moodle XML")
    expect(button).to_be_visible()
    expect(page.get_by_text("15 questions.")).to_be_visible()  # 3 kinds × 5 variants
    with page.expect_download() as download:
        button.click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("<?xml") and text.count("<question type=\"numerical\">") >= 1
    assert download.value.suggested_filename == "batchwise-quiz.xml"
