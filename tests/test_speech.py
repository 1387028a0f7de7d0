"""The lesson read aloud: what the speech synthesiser is given, and the queue per part."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.content import load_library
from engine.speech import (audio_book, dialogue_tracks, language_of, plain, prose_lines,
                           sentences, speakable, speaker_role, summary_tracks, topic_tracks)

ROOT = Path(__file__).resolve().parents[1]
LESSON = load_library(ROOT / "content").lessons["training-phases"]
# What a voice can read naturally: words and ordinary punctuation; no digits (numbers are
# said as words), no Markdown marks, no maths or arrows.
READABLE = re.compile(r"[A-Za-z ,.;:?!'\"()\-]+")


@pytest.mark.parametrize("written, said", [
    ("1,000 ÷ 32", "one thousand divided by thirty-two"),
    ("10 × 32 = 320", "ten times thirty-two equals three hundred and twenty"),
    ("ceil(N / B)", "the ceiling of N divided by B"),
    ("floor(1,000 / 32) = 31", "the floor of one thousand divided by thirty-two equals thirty-one"),
    ("⌈N / B⌉", "the ceiling of N divided by B"),
    ("⌊N / B⌋", "the floor of N divided by B"),
    ("1,000 − 992 = 8", "one thousand minus nine hundred and ninety-two equals eight"),
    ("(10 epochs → 320)", "(ten epochs gives three hundred and twenty)"),
    ("N − (ceil(N / B) − 1) × B", "N minus (the ceiling of N divided by B minus one) times B"),
    ("x ≈ 3", "x is about three"),
    ("lr ≤ 0.1", "lr at most zero point one"),
])
def test_formulas_are_said_as_a_teacher_would(written, said):
    assert speakable(written) == said


@pytest.mark.parametrize("written, said", [
    ("31.25", "thirty-one point two five"),
    ("90 %", "ninety percent"),
    ("100%", "one hundred percent"),
    ("1e-3", "ten to the power of minus three"),
    ("2.5e4", "two point five times ten to the power of four"),
    ("the 3rd epoch", "the third epoch"),
    ("(Keskar et al., 2017)", "(Keskar and colleagues, twenty seventeen)"),
    ("2000 samples", "two thousand samples"),
    ("from 0.75–1.5", "from zero point seven five to one point five"),
    ("it fell to -5", "it fell to minus five"),
    ("10,000 samples", "ten thousand samples"),
])
def test_numbers_are_read_as_words(written, said):
    assert speakable(written) == said


@pytest.mark.parametrize("written, said", [
    ("`drop_last`", "drop last"),
    ("PyTorch `drop_last=True`", "PyTorch drop last set to True"),
    ("`DataLoader(drop_last=True)`", "Data Loader with drop last set to True"),
    ("`model.fit()`", "model dot fit"),
    ("set drop_last to True", "set drop last to True"),
    ("`batchSize`", "batch Size"),
])
def test_code_names_are_said_as_words(written, said):
    assert speakable(written) == said


@pytest.mark.parametrize("written, said", [
    ("the **epoch** is *not* a batch", "the epoch is not a batch"),
    ("__strong__ and _soft_ and ~~gone~~", "strong and soft and gone"),
    ("### Epochs", "Epochs"),
    ("- **Loss**: what training minimises", "Loss: what training minimises"),
    ("see [the glossary](https://example.org/x)", "see the glossary"),
    ("a <b>bold</b> claim", "a bold claim"),
    ("e.g. a batch, i.e. one step", "for example a batch, that is one step"),
])
def test_markdown_marks_and_abbreviations_are_not_read_out(written, said):
    assert speakable(written) == said


def test_shown_text_keeps_the_symbols_and_drops_only_the_marks():
    assert plain("**320** updates: 10 × 32, `drop_last=True`") == "320 updates: 10 × 32, drop_last=True"
    assert plain("<img src=x onerror=alert(1)>") == "<img src=x onerror=alert(1)>"  # data, shown as typed


def test_paragraphs_are_cut_into_sentences_but_not_at_abbreviations():
    text = "Large batches generalise worse (Keskar et al., 2017). Why 32? 1,000 divided by 32 is 31.25. Use e.g. Adam. Not B. If B is big"
    assert sentences(text) == ["Large batches generalise worse (Keskar et al., 2017).", "Why 32?",
                               "1,000 divided by 32 is 31.25.", "Use e.g. Adam.", "Not B.", "If B is big"]


def test_teacher_and_students_get_their_own_role():
    assert speaker_role("Teacher") == "teacher"
    assert speaker_role("teacher (Ms Lee)") == "teacher"
    assert speaker_role("Student 3") == "student"
    assert speaker_role("Amira") == "student"


def test_each_dialogue_part_is_a_queue_of_its_lines_in_order():
    tracks = dialogue_tracks(LESSON)
    assert [t.title for t in tracks] == [p.title for p in LESSON.dialogue]
    first = tracks[0]
    assert len(first.lines) == len(LESSON.dialogue[0].lines)
    assert [l.speaker for l in first.lines] == [l.speaker for l in LESSON.dialogue[0].lines]
    assert first.lines[0].role == "teacher" and first.lines[1].role == "student"
    said = " ".join(s.spoken for s in first.lines[0].sentences)
    assert said.startswith("Today we'll start with a fundamental idea") and "**" not in said
    iterations = tracks[1]
    why_32 = next(l for l in iterations.lines if l.sentences[0].shown == "Why 32?")
    assert [s.spoken for s in why_32.sentences] == ["Why thirty-two?", "one thousand divided by thirty-two is thirty-one point two five."]


def test_explanations_read_the_title_the_text_and_the_analogy():
    topic = next(t for t in topic_tracks(LESSON) if t.id == "last-partial-batch")
    headings = [l.sentences[0].shown for l in topic.lines if l.kind == "heading"]
    assert headings == ["The last, partial batch (drop_last)", "Packing eggs into boxes"]
    said = " ".join(s.spoken for l in topic.lines for s in l.sentences)
    assert "Data Loader with drop last set to True" in said
    assert "the ceiling of one thousand divided by thirty-two equals thirty-two" in said


def test_a_list_in_a_summary_is_read_item_by_item():
    detailed = summary_tracks(LESSON, ["detailed"])[0]
    items = [l for l in detailed.lines if l.kind == "item"]
    assert items[0].sentences[0].spoken == "the ceiling of N divided by B when the last, smaller batch is kept (the default);"
    assert items[1].sentences[0].spoken == "the floor of N divided by B when it is dropped (PyTorch drop last set to True)."
    assert detailed.lines[0].kind == "heading" and detailed.lines[0].sentences[0].shown == "The three units of a training run"


@pytest.mark.parametrize("kind", ["dialogue", "topics", "summary"])
def test_every_line_of_the_shipped_lesson_is_readable(kind):
    book = audio_book(LESSON, kind)
    spoken = [s["spoken"] for t in book["tracks"] for l in t["lines"] for s in l["sentences"]]
    assert spoken, "nothing to read"
    unreadable = [s for s in spoken if not READABLE.fullmatch(s)]
    assert unreadable == []
    shown = [s["shown"] for t in book["tracks"] for l in t["lines"] for s in l["sentences"]]
    assert not [s for s in shown if re.search(r"\*\*|`|^#|^- ", s)]
    json.dumps(book)  # the player is handed plain data


def test_a_lesson_added_as_files_gets_audio_with_no_code_change(tmp_path):
    shutil.copytree(ROOT / "tests" / "fixtures" / "lessons" / "mini-lesson", tmp_path / "mini-lesson")
    mini = load_library(tmp_path).lessons["mini-lesson"]
    book = audio_book(mini, "dialogue")
    assert book["language"] == "en"
    assert [l["speaker"] for l in book["tracks"][0]["lines"]] == ["Teacher", "Student 1"]
    assert book["tracks"][0]["lines"][1]["sentences"][0]["spoken"] == "We might jump over the valley."
    assert audio_book(mini, "summary", ["standard"])["tracks"][0]["title"] == "Standard summary"


def test_the_language_defaults_to_english_and_a_bad_tag_is_ignored():
    assert language_of(LESSON) == "en"

    class Info:
        language = "fr-FR"

    class Other:
        info = Info()

    assert language_of(Other()) == "fr-FR"
    Info.language = "<script>"
    assert language_of(Other()) == "en"


def test_in_a_language_without_words_only_markdown_and_code_are_prepared():
    # The voice reads "1.000" or "31,25" by its own language's conventions.
    assert speakable("**1.000** Beispiele, `drop_last=True`, 31,25 %", "de") == "1.000 Beispiele, drop last=True, 31,25 %"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        audio_book(LESSON, "songs")


def test_a_very_long_sentence_is_read_in_clauses():
    long = ("While training, you watch the loss and the accuracy on the training data and on a "
            "held-out validation set: when training loss keeps falling but validation loss starts "
            "to rise, the model is overfitting; early stopping then ends training at the best "
            "validation epoch, which is kept.")
    assert len(long) > 200
    assert sentences(long) == [
        "While training, you watch the loss and the accuracy on the training data and on a held-out validation set:",
        "when training loss keeps falling but validation loss starts to rise, the model is overfitting;",
        "early stopping then ends training at the best validation epoch, which is kept."]
    assert sentences("Short: and sweet; kept whole.") == ["Short: and sweet; kept whole."]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AB 0123456789.,-−–—+=×÷/%eE*_`#[]()<>→≈⌈⌉⌊⌋~^|&!?\n:;'\"αη²é")), max_size=80))
def test_any_text_prepares_without_failing_and_without_markdown_marks(text):
    said = speakable(text)
    assert not re.search(r"[*_`#\[\]<>|~^]", said)
    for line in prose_lines(text, "en"):
        assert all(s.spoken for s in line.sentences)
