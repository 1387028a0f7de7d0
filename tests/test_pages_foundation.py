"""AppTest of the home, Lesson, Glossary and Mnemonics pages, on the shipped lesson."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest


from engine.content import load_library
from engine.glossary import related_terms
from engine.lesson import worked_arithmetic

ROOT = Path(__file__).resolve().parents[1]
LESSON = load_library(ROOT / "content").lessons["training-phases"]


def texts(at) -> str:
    """Everything a student can read on the page, as one string."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info",
                                   "success", "error", "warning", "text") for e in getattr(at, kind)]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page_file", ["app.py", "pages/lesson.py", "pages/glossary.py", "pages/mnemonics.py"])
def test_page_renders_without_error(app_test, page_file):
    at = app_test(page_file)
    assert not at.exception
    assert not at.error
    assert at.title, "every page has a title"


def test_home_links_into_every_part(app_test):
    at = app_test("app.py")
    links = {e.proto.label for e in at.get("page_link")}
    assert {"Lesson", "Glossary", "Mnemonics"} <= links


def test_lesson_opens_on_the_conversation_with_a_speaker_per_line(app_test):
    at = app_test("pages/lesson.py")
    shown = texts(at)
    assert LESSON.info.summaries.quick in shown
    assert f"**{LESSON.dialogue[0].lines[0].speaker}:** {LESSON.dialogue[0].lines[0].text}" in shown
    for part in LESSON.dialogue:
        assert part.title in shown
    assert len(at.chat_message) == sum(len(p.lines) for p in LESSON.dialogue)
    assert "Try your own numbers" not in shown  # other tabs are not built until opened


def test_worked_examples_tab_shows_the_computed_arithmetic(app_test):
    at = app_test("pages/lesson.py", query={"tab": "Worked examples"})
    shown = texts(at)
    # the 1,000 / 32 example: 31 full batches + a batch of 8 = 32, 31 when dropped
    assert any("31 full batches of 32" in m and "8" in m for m in shown.splitlines())
    assert "= 32 (ceil)" in shown and "31 if the last batch is dropped" in shown
    assert not at.chat_message


@pytest.mark.parametrize("tab, expected", [
    ("Explanations", lambda: LESSON.topics[0].explanation),
    ("Key concepts", lambda: f"**{LESSON.key_concepts[0].title}.** {LESSON.key_concepts[0].text}"),
    ("Common misconceptions", lambda: LESSON.misconceptions[0].title),
    ("no-such-tab", lambda: LESSON.dialogue[0].title),
])
def test_each_tab_opens_from_its_link(app_test, tab, expected):
    at = app_test("pages/lesson.py", query={"tab": tab})
    assert not at.exception
    assert expected() in texts(at)


def test_summary_level_switch_changes_the_summary(app_test):
    at = app_test("pages/lesson.py")
    at.segmented_control(key="summary_level").set_value("Detailed").run()
    first_heading = LESSON.info.summaries.detailed.split("\n")[0].strip("# ")
    # Folded away, so the tabs stay near the top; the label says how long it is. Folded, its
    # text is not even sent: opening it (a rerun of the summary block) builds it.
    (folded,) = [e for e in at.expander if e.label.startswith("Detailed summary")]
    assert "min read" in folded.label and not folded.proto.expanded
    assert first_heading not in texts(at)
    at.session_state["summary_detailed"] = True  # what the browser sends when it is opened
    at.run()
    shown = texts(at)
    assert first_heading in shown
    assert LESSON.info.summaries.quick not in shown
    assert any("Explanations tab" in c.value for c in at.caption)
    at.segmented_control(key="summary_level").set_value("Standard").run()
    assert LESSON.info.summaries.standard in texts(at)


def test_every_worked_example_is_computed_not_typed():
    computed = [worked_arithmetic(e) for e in LESSON.examples]
    by_numbers = {(w.n_samples, w.batch_size): w for w in computed if w}
    assert by_numbers[(1000, 32)].iterations_kept == 32
    assert by_numbers[(1000, 32)].iterations_dropped == 31
    assert by_numbers[(1000, 32)].last_batch == 8


def test_glossary_filters_as_you_type(app_test):
    at = app_test("pages/glossary.py")
    all_terms = len(LESSON.glossary)
    assert f"{all_terms} of {all_terms} terms" in texts(at)
    at.text_input(key="glossary_filter").input("epoch").run()
    headings = [m.value.split("\n")[0] for m in at.markdown if m.value.startswith("#### ")]
    assert headings[0] == "#### Epoch"
    assert len(headings) < all_terms
    at.text_input(key="glossary_filter").input("zzzz-no-such-term").run()
    assert "No term matches" in texts(at)


def test_glossary_related_term_link_filters_to_that_term(app_test):
    at = app_test("pages/glossary.py")
    at.text_input(key="glossary_filter").input("iteration").run()
    shown = [m.value.split("\n")[0][5:] for m in at.markdown if m.value.startswith("#### ")]
    iteration = next(t for t in LESSON.glossary if t.id == "iteration")
    related = [t.term for t in related_terms(LESSON, iteration)]
    hidden = [name for name in related if name not in shown]
    # A related term on the page is a link to its heading; one the filter hides is a chip.
    entry = next(m.value for m in at.markdown if m.value.startswith("#### Iteration\n"))
    for name in related:
        assert (f"[{name}](#" in entry) == (name in shown)
    assert at.pills(key="rel-iteration").options == hidden
    assert 0 < len(hidden) < len(related)  # some as links above, the rest as chips, so it says why
    assert at.pills(key="rel-iteration").label == "Related, hidden by the filter"
    at.pills(key="rel-iteration").set_value(hidden[0]).run()
    headings = [m.value.split("\n")[0] for m in at.markdown if m.value.startswith("#### ")]
    assert headings[0] == f"#### {hidden[0]}"


def _lea_check():
    for aid in LESSON.memory_aids:
        for check in aid.checks:
            if "LEA" in check.prompt and "E" in check.prompt:
                return aid, check
    raise AssertionError("the LEA acronym self-check is missing from the lesson")


@pytest.mark.parametrize("typed, shown", [("  epoch. ", "success"), ("Error", "error"), ("", "warning")])
def test_mnemonic_self_check_gives_instant_feedback(app_test, typed, shown):
    aid, check = _lea_check()
    key = f"{aid.id}-{check.id}"
    at = app_test("pages/mnemonics.py")
    at.text_input(key=f"answer-{key}").input(typed)
    at.get("form")  # forms submit through their button
    next(b for b in at.button if b.proto.form_id == f"form-{key}").click().run()
    assert not at.exception
    assert len(getattr(at, shown)) == 1
    if shown == "error":
        assert "Epoch" in at.error[0].value


def test_a_second_lesson_folder_appears_with_no_code_change(app_test, tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "tests" / "fixtures" / "lessons" / "mini-lesson", content / "mini-lesson")
    monkeypatch.setenv("BATCHWISE_CONTENT_DIR", str(content))
    at = app_test("pages/lesson.py")
    picker = at.selectbox(key="lesson")
    assert picker.options == [LESSON.title, "Learning rate in one page"]
    picker.set_value("mini-lesson").run()
    assert at.title[0].value == "Learning rate in one page"
    assert at.query_params["lesson"] == ["mini-lesson"] or at.query_params["lesson"] == "mini-lesson"


def test_broken_content_file_is_shown_to_the_teacher_not_a_traceback(app_test, tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "tests" / "fixtures" / "lessons" / "mini-lesson", content / "mini-lesson")
    (content / "mini-lesson" / "glossary.yaml").write_text("terms:\n  - id: x\n")
    monkeypatch.setenv("BATCHWISE_CONTENT_DIR", str(content))
    at = app_test("app.py")
    assert not at.exception
    problems = [t.value for t in at.text]
    assert any(p.startswith("content/mini-lesson/glossary.yaml: terms[0] (id 'x').term: Field required") for p in problems)


def test_try_your_own_numbers_recomputes_the_arithmetic(app_test):
    at = app_test("pages/lesson.py", query={"tab": "Worked examples"})
    at.text_input(key="try_n").input("500")
    at.text_input(key="try_b").input("64")
    at.text_input(key="try_e").input("3").run()
    shown = texts(at)
    # 500 = 7 × 64 + 52: 8 iterations kept, 7 dropped, 24 updates over 3 epochs
    assert "7 full batches of 64 cover 448 samples; 52 are left over" in shown
    assert "Over 3 epochs: 3 × 8 = 24 iterations" in shown


def test_worked_division_never_rounds_to_a_misleading_whole_number(app_test):
    at = app_test("pages/lesson.py", query={"tab": "Worked examples"})
    at.text_input(key="try_n").input("1000")
    at.text_input(key="try_b").input("999").run()
    shown = texts(at)
    assert "1,000 samples ÷ batch size 999 ≈ 1.001" in shown
    assert "1 full batch of 999 covers 999 samples; 1 is left over" in shown



@pytest.mark.parametrize("typed, read", [("1e3", "N = 1,000"), ("1,000", "N = 1,000"),
                                         ("1 000", "N = 1,000"), ("１０００", "N = 1,000")])
def test_try_your_own_numbers_reads_numbers_as_people_write_them(app_test, typed, read):
    at = app_test("pages/lesson.py", query={"tab": "Worked examples"})
    at.text_input(key="try_n").input(typed).run()
    assert not at.exception and not at.error
    assert any(read in c.value for c in at.caption)
    assert "31 full batches of 32" in texts(at)


@pytest.mark.parametrize("typed, says", [("2.5", "whole number from 1 to 10,000,000 (you typed 2.5)"),
                                         ("0", "(you typed 0)"), ("1e9", "read as 1,000,000,000"),
                                         ("lots", "Type a number"), ("", "Type a number first")])
def test_try_your_own_numbers_says_what_it_cannot_read(app_test, typed, says):
    at = app_test("pages/lesson.py", query={"tab": "Worked examples"})
    at.text_input(key="try_n").input(typed).run()
    assert not at.exception
    assert any(says in e.value for e in at.error)
    assert not any(c.value.startswith("Read as") for c in at.caption)


def test_one_sample_in_one_batch_reads_as_english(app_test):
    at = app_test("pages/lesson.py", query={"tab": "Worked examples"})
    at.text_input(key="try_n").input("1").run()
    assert "one batch of 1 sample" in texts(at) and "1 = 1 samples" not in texts(at)


def test_home_cards_are_laid_out_row_by_row_in_menu_order(app_test):
    at = app_test("app.py")
    links = [p.proto.label for p in at.main.get("page_link")]
    from ui.setup import menu_entries
    staff_only = ("app.py", "pages/roster.py", "pages/admin.py")  # reached from the Teacher page
    assert links == [label for path, label, _ in menu_entries() if path not in staff_only]
    assert links[:3] == ["Lesson", "Glossary", "Mnemonics"] and "Sign in" in links


def test_glossary_filter_box_sends_what_is_typed_without_enter(app_test):
    at = app_test("pages/glossary.py")
    box = at.text_input(key="glossary_filter")
    assert box.proto.live_debounce_ms == 200  # ms of pause before the list follows the typing
    assert "as you type" in box.proto.help


def test_a_lesson_file_edited_on_a_running_server_is_shown(app_test, tmp_path, monkeypatch):
    import ui.setup

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    monkeypatch.setenv("BATCHWISE_CONTENT_DIR", str(content))
    at = app_test("pages/lesson.py")
    assert at.title[0].value == LESSON.title
    info = content / LESSON.id / "lesson.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace(LESSON.title, "Edited while running", 1),
                    encoding="utf-8")
    monkeypatch.setattr(ui.setup, "SIGNATURE_TTL_S", 0.0)  # the files are looked at again on the next run
    at.run()
    assert at.title[0].value == "Edited while running"
