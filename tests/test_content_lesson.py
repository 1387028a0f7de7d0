"""The shipped lesson (content/training-phases) validates and teaches what CONTENT-REVIEW.md says
is right. Each test here fails if an edit brings back one of the source's mistakes, its
mis-decoded characters, or breaks what the quiz, flashcard and mnemonic pages rely on."""
from __future__ import annotations

import re

import pytest

from engine import training_math as tm
from engine.content.__main__ import main as content_cli
from engine.content.loader import DEFAULT_CONTENT_DIR, load_library
from engine.lenient import matches

LESSON_ID = "training-phases"
LESSON_DIR = DEFAULT_CONTENT_DIR / LESSON_ID


@pytest.fixture(scope="module")
def lesson():
    library = load_library(DEFAULT_CONTENT_DIR)
    assert not library.problems, "\n".join(map(str, library.problems))
    assert LESSON_ID in library.lessons
    return library.lessons[LESSON_ID]


def taught_text(lesson) -> list[tuple[str, str]]:
    """Every sentence the lesson states as true, labelled with where it is.

    Left out on purpose: students' lines (a student may voice a misconception for the teacher to
    correct), misconception titles and their `wrong` statements, and flashcard fronts
    (questions)."""
    out = [(f"summary {level}", getattr(lesson.info.summaries, level))
           for level in ("quick", "standard", "detailed")]
    out.append(("description", lesson.info.description))
    for part in lesson.dialogue:
        out += [(f"dialogue {part.id} line {i}", line.text)
                for i, line in enumerate(part.lines) if line.speaker == "Teacher"]
    for t in lesson.topics:
        out += [(f"topic {t.id} explanation", t.explanation), (f"topic {t.id} analogy", t.analogy)]
    out += [(f"concept {c.id}", c.text) for c in lesson.key_concepts]
    out += [(f"example {e.id}", e.text) for e in lesson.examples]
    for aid in lesson.memory_aids:
        out += [(f"memory aid {aid.id}", aid.text), (f"memory aid {aid.id} helps", aid.helps_remember)]
    out += [(f"term {t.id}", t.definition) for t in lesson.glossary]
    for m in lesson.misconceptions:
        out += [(f"misconception {m.id} why", m.why), (f"misconception {m.id} right", m.right)]
    out += [(f"flashcard {c.id} back", c.back) for c in lesson.flashcards]
    return out


def all_text(lesson) -> list[tuple[str, str]]:
    """Everything a student can read, wrong statements included."""
    out = taught_text(lesson)
    for part in lesson.dialogue:
        out += [(f"dialogue {part.id} line {i}", line.text) for i, line in enumerate(part.lines)]
    out += [(f"misconception {m.id}", f"{m.title}\n{m.wrong}") for m in lesson.misconceptions]
    out += [(f"flashcard {c.id} front", c.front) for c in lesson.flashcards]
    for aid in lesson.memory_aids:
        out += [(f"check {c.id}", f"{c.prompt}\n{c.answer}") for c in aid.checks]
    return out


def plain(text: str) -> str:
    """Text without Markdown emphasis and line breaks, so a phrase is found however it wraps."""
    return " ".join(text.replace("**", "").replace("*", "").split())


def assert_nowhere_taught(lesson, pattern: str) -> None:
    rx = re.compile(pattern, re.IGNORECASE)
    hits = [where for where, text in taught_text(lesson) if rx.search(plain(text))]
    assert not hits, f"the lesson teaches {pattern!r} in: {hits}"


# --- it loads -------------------------------------------------------------------------------

def test_shipped_content_validates_and_has_the_lesson(lesson):
    assert lesson.info.id == LESSON_ID
    assert lesson.title


def test_teachers_check_command_passes_on_shipped_content(capsys):
    assert content_cli(["check", str(DEFAULT_CONTENT_DIR)]) == 0
    assert f"ok   {LESSON_ID}" in capsys.readouterr().out


# --- the text is clean ----------------------------------------------------------------------

# The source was once decoded as the wrong code page: `β€’` for •, `β€"` for a dash, `πŸ` before
# emoji. The others are the same accident through Latin-1/Windows-1252, and U+FFFD is a byte
# that could not be decoded at all.
MOJIBAKE = ["β€", "πŸ", "Ÿ", "â€", "Ã", "ðŸ", "\ufffd", "Â "]


def test_no_mis_decoded_characters_in_any_content_file():
    files = sorted(DEFAULT_CONTENT_DIR.rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        for noise in MOJIBAKE:
            assert noise not in text, f"{path.name} contains mis-decoded {noise!r}"


def test_no_source_page_chrome_copied(lesson):
    for where, text in all_text(lesson):
        for chrome in ("Unlock Audio", "Signup and Enroll", "0:00", "Youtube"):
            assert chrome not in text, f"{where} copies the source page's {chrome!r}"


def test_no_html_in_text_rendered_as_markdown(lesson):
    tag = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
    for where, text in all_text(lesson):
        assert not tag.search(text), f"{where} contains HTML"


# --- every CONTENT-REVIEW row is honoured ---------------------------------------------------

def test_iteration_is_one_update_on_one_batch_not_a_number_of_batches(lesson):
    definition = lesson.term("iteration").definition.lower()
    assert "number of batches needed" not in definition
    assert not re.search(r"^\s*the number of batches", definition)
    assert re.search(r"\bone\b.*update", definition) and "one batch" in definition
    concept = next(c for c in lesson.key_concepts if "iteration" in c.terms and c.title == "Iteration")
    assert "number of batches needed" not in concept.text.lower()
    assert "one" in concept.text.lower() and "update" in concept.text.lower()
    assert_nowhere_taught(lesson, r"iteration (is|refers to|means) the number of batches")


def test_ten_iterations_is_one_pass_not_ten(lesson):
    assert_nowhere_taught(lesson, r"pass(es|ed)? through (the|all the) data 10 times")
    assert_nowhere_taught(lesson, r"10 iterations,? (you|we) pass")
    part = next(p for p in lesson.dialogue if p.id == "iterations-in-training")
    teacher = " ".join(line.text for line in part.lines if line.speaker == "Teacher")
    assert "**once**" in teacher and "10 batches" in teacher


def test_ten_epochs_is_not_ten_iterations(lesson):
    assert_nowhere_taught(lesson, r"10 epochs (might |will |would )?(lead to|means?|gives?|is) 10 iterations")
    example = lesson.example("batch-32-ten-epochs")
    assert tm.total_iterations(example.n_samples, example.batch_size, example.epochs) == 320


def test_accuracy_is_on_a_named_split_not_unseen_data(lesson):
    assert_nowhere_taught(lesson, r"accuracy (shows|indicates|measures) (our|the) model.{0,3}s? performance on unseen")
    accuracy = lesson.term("accuracy").definition.lower()
    assert "correct predictions" in accuracy and "on a named set of data" in accuracy
    assert not re.search(r"(performance|predictions) on unseen data", accuracy)
    assert "validation" in lesson.term("validation-accuracy").definition.lower()
    assert "training data" in lesson.term("training-accuracy").definition.lower()


def test_overfitting_sign_is_training_loss_down_validation_loss_up(lesson):
    sign = re.compile(r"training loss (is )?still falling while the validation loss rises", re.I)
    assert sign.search(plain(lesson.term("overfitting").definition))
    assert sign.search(plain(lesson.info.summaries.detailed))
    final_part = next(p for p in lesson.dialogue if p.id == "monitoring-loss-and-accuracy")
    teacher = " ".join(line.text for line in final_part.lines if line.speaker == "Teacher")
    assert sign.search(plain(teacher))
    # The source's "loss falls, accuracy flat → overfitting" may appear only as the misconception.
    assert_nowhere_taught(lesson, r"accuracy flat(lines?|tens?|s)?[^.?]*\b(means|is a sign of|signals|indicates) overfitting")
    assert "validation" in lesson.term("early-stopping").definition.lower()


def test_batch_size_is_a_trade_off_not_more_precise(lesson):
    assert_nowhere_taught(lesson, r"(higher|more|less)[- ]precis\w* minim")
    assert_nowhere_taught(lesson, r"small(er)? batch(es| size)?s? (always|will) (give|lead)")
    detailed = lesson.info.summaries.detailed
    assert "Keskar" in detailed and "sharp" in detailed.lower()
    assert 'Neither is "more precise"' in detailed
    assert "trade-off" in lesson.topics[[t.id for t in lesson.topics].index("batch-size")].explanation


MARATHON_MAPPING = [
    (r"whole course is the dataset", "course = dataset"),
    (r"full lap[^.]* is (one |an )?epoch", "lap = epoch"),
    (r"stretch between two checkpoints is (one |a )?batch", "stretch = batch"),
    (r"checkpoint[^.]*(stop|stopping|stops)[^.]*(pace|adjust)[^.]* is (one |an )?iteration|(stop|stopping|stops)[^.]*checkpoint[^.]*(pace|adjust)[^.]* is (one |an )?iteration", "stop-and-adjust = iteration"),
]


@pytest.mark.parametrize("where", ["topic", "story"])
def test_marathon_analogy_uses_one_consistent_mapping(lesson, where):
    if where == "topic":
        text = lesson.topics[[t.id for t in lesson.topics].index("epochs-iterations-batch-size")].analogy
    else:
        text = next(a for a in lesson.memory_aids if a.id == "marathon-story").text
    flat = plain(text)
    for pattern, meaning in MARATHON_MAPPING:
        if where == "story" and meaning == "course = dataset":
            pattern = r"marathon course \(the dataset\)"
        assert re.search(pattern, flat, re.I), f"marathon {where} does not map {meaning}"
    # The source's muddle: distance = epochs, friends = batch size.
    assert "friends" not in flat.lower()
    assert not re.search(r"distance[^.]*epochs", flat, re.I)


def test_thirty_two_iterations_is_explained_as_31_full_plus_one_of_8(lesson):
    detailed = plain(lesson.info.summaries.detailed)
    assert "31 full batches" in detailed and "last batch of 8" in detailed and "32 iterations" in detailed
    assert "or 31 if that last batch is dropped" in detailed


# --- misconceptions that quizzes and flashcards reuse by id ---------------------------------

REQUIRED_MISCONCEPTIONS = [
    "iteration-is-number-of-batches", "iterations-are-passes", "epochs-equal-iterations",
    "accuracy-means-unseen", "overfitting-sign", "larger-batch-more-precise",
    "small-batch-always-better", "floor-instead-of-ceil", "last-batch-is-full",
    "n-times-b", "forgot-times-epochs",
]


def test_every_reviewed_mistake_is_a_misconception(lesson):
    ids = {m.id for m in lesson.misconceptions}
    assert set(REQUIRED_MISCONCEPTIONS) <= ids
    assert len(lesson.misconceptions) >= 10
    for m in lesson.misconceptions:
        assert m.terms, f"misconception {m.id} names no glossary terms"
        assert m.wrong != m.right


@pytest.mark.parametrize("mid, in_wrong, in_right", [
    ("iteration-is-number-of-batches", "number of batches", "**one** weight update"),
    ("iterations-are-passes", "10 times", "**once**"),
    ("epochs-equal-iterations", "10 iterations", "**320**"),
    ("forgot-times-epochs", "32 iterations", "320"),
    ("n-times-b", "32,000", "32"),
    ("floor-instead-of-ceil", "31 iterations", "**32**"),
    ("last-batch-is-full", "32 samples", "**8**"),
    ("accuracy-means-unseen", "unseen data", "**validation**"),
    ("overfitting-sign", "accuracy flatlines", "**validation**"),
    ("larger-batch-more-precise", "precision minima", 'Neither is "more'),
    ("small-batch-always-better", "always", "trade-off"),
])
def test_misconception_states_the_mistake_and_the_correction(lesson, mid, in_wrong, in_right):
    m = next(m for m in lesson.misconceptions if m.id == mid)
    assert in_wrong in m.wrong
    assert in_right in m.right


def test_misconception_numbers_agree_with_training_math(lesson):
    by_id = {m.id: m for m in lesson.misconceptions}
    n, b, e = 1000, 32, 10
    assert str(tm.total_iterations(n, b, e)) in by_id["forgot-times-epochs"].right
    assert str(tm.iterations_per_epoch(n, b)) in by_id["forgot-times-epochs"].wrong
    assert f"= **{tm.last_batch_size(n, b)}**" in by_id["last-batch-is-full"].right
    assert f"= {tm.iterations_per_epoch(n, b, drop_last=True)}" in by_id["ceil-when-dropping"].right
    assert f"{tm.samples_processed(n, b, e):,}" in by_id["samples-equal-iterations-times-b"].right
    assert f"{tm.samples_processed(n, b, e, drop_last=True):,}" in by_id["samples-equal-iterations-times-b"].right
    whole_run = -(-tm.samples_processed(n, b, e) // b)
    assert whole_run != tm.total_iterations(n, b, e) and f"so {whole_run} iterations" in by_id["rounded-whole-run"].wrong
    assert f"**{tm.total_iterations(n, b, e)}**" in by_id["rounded-whole-run"].right


# --- worked examples ------------------------------------------------------------------------

def _numbers(text: str) -> set[int]:
    return {int(x.replace(",", "")) for x in re.findall(r"\d[\d,]*\d|\d", text)}


def _computed(e) -> set[int]:
    n, b = e.n_samples, e.batch_size
    values = {n, b, tm.iterations_per_epoch(n, b), tm.iterations_per_epoch(n, b, drop_last=True),
              tm.last_batch_size(n, b)}
    if e.epochs:
        values |= {e.epochs, tm.total_iterations(n, b, e.epochs), tm.samples_processed(n, b, e.epochs)}
    return values


def test_numeric_examples_never_hard_code_a_number_the_engine_disagrees_with(lesson):
    numeric = [e for e in lesson.examples if e.n_samples is not None]
    assert len(numeric) >= 4
    for e in numeric:
        assert e.batch_size is not None, f"example {e.id} has samples but no batch size"
        assert tm.explain_iterations(e.n_samples, e.batch_size, e.epochs)
        stray = _numbers(e.text) - _computed(e)
        assert not stray, f"example {e.id} states {sorted(stray)}, which the engine does not compute"


@pytest.mark.parametrize("eid, n, b, epochs, per_epoch, dropped, last", [
    ("batch-32-one-epoch", 1000, 32, None, 32, 31, 8),
    ("batch-32-ten-epochs", 1000, 32, 10, 32, 31, 8),
    ("batch-100-exact", 1000, 100, None, 10, 10, 100),
    ("batch-bigger-than-dataset", 50, 64, None, 1, 0, 50),
])
def test_required_worked_example(lesson, eid, n, b, epochs, per_epoch, dropped, last):
    e = lesson.example(eid)
    assert (e.n_samples, e.batch_size, e.epochs) == (n, b, epochs)
    assert tm.iterations_per_epoch(n, b) == per_epoch
    assert tm.iterations_per_epoch(n, b, drop_last=True) == dropped
    assert tm.last_batch_size(n, b) == last


def test_bigger_batch_example_really_is_bigger_than_its_dataset(lesson):
    e = lesson.example("batch-bigger-than-dataset")
    assert e.batch_size > e.n_samples


def test_non_numeric_examples_show_accuracy_on_a_split_and_a_loss_curve(lesson):
    acc = lesson.example("validation-accuracy-45-of-50")
    assert acc.n_samples is None and "45 ÷ 50" in acc.text and "**90 %**" in acc.text
    assert 45 / 50 == 0.9
    curves = lesson.example("reading-loss-curves")
    rows = re.findall(r"^\| (\d+) \| ([\d.]+) \| ([\d.]+) \|$", curves.text, re.M)
    assert len(rows) >= 6
    train = [float(r[1]) for r in rows]
    val = [float(r[2]) for r in rows]
    assert train == sorted(train, reverse=True), "training loss should keep falling in this example"
    best = val.index(min(val)) + 1
    assert f"after epoch {best}" in curves.text and f"from epoch {best}" in curves.text
    # Patience 3: the run stops once 3 epochs in a row bring no new best validation loss.
    assert len(rows) - best == 3 and f"stops after epoch {len(rows)}" in curves.text


# --- glossary -------------------------------------------------------------------------------

REQUIRED_TERMS = [
    "epoch", "iteration", "batch", "batch-size", "mini-batch", "dataset", "training-set",
    "validation-set", "test-set", "loss", "loss-function", "accuracy", "training-accuracy",
    "validation-accuracy", "learning-rate", "gradient", "weight-update", "overfitting",
    "underfitting", "early-stopping", "patience", "drop-last", "last-partial-batch",
    "batch-gradient-descent", "stochastic-gradient-descent", "mini-batch-gradient-descent",
    "generalisation", "divergence",
]


def test_glossary_has_every_required_term(lesson):
    ids = [t.id for t in lesson.glossary]
    assert len(ids) >= 18
    missing = set(REQUIRED_TERMS) - set(ids)
    assert not missing, f"glossary lacks {sorted(missing)}"


def test_glossary_terms_link_to_each_other_and_to_examples(lesson):
    for t in lesson.glossary:
        assert t.related, f"term {t.id} has no related terms"
        assert t.id not in t.related, f"term {t.id} lists itself as related"
    assert "B" in lesson.term("batch-size").alternatives
    assert "SGD" in lesson.term("stochastic-gradient-descent").alternatives
    assert "generalization" in lesson.term("generalisation").alternatives
    assert "batch-32-one-epoch" in lesson.term("iteration").examples
    assert "reading-loss-curves" in lesson.term("overfitting").examples


def test_glossary_definitions_use_the_corrected_formulas(lesson):
    assert "ceil(N / B)" in lesson.term("iterations-per-epoch").definition
    assert "floor(N / B)" in lesson.term("drop-last").definition
    assert "epochs × iterations per epoch" in lesson.term("total-iterations").definition
    assert "N − (ceil(N / B) − 1) × B" in lesson.term("last-partial-batch").definition
    assert "Keskar" in lesson.term("sharp-minimum").definition


# --- dialogue, summaries, topics, concepts --------------------------------------------------

def test_dialogue_keeps_the_four_parts_as_a_teacher_student_conversation(lesson):
    assert [p.id for p in lesson.dialogue] == [
        "understanding-epochs", "iterations-in-training", "batch-size-significance",
        "monitoring-loss-and-accuracy"]
    speakers = {line.speaker for p in lesson.dialogue for line in p.lines}
    assert speakers == {"Teacher", "Student 1", "Student 2", "Student 3", "Student 4"}
    for part in lesson.dialogue:
        assert part.lines[0].speaker == "Teacher"
        assert part.lines[-1].speaker == "Teacher", f"part {part.id} ends on an uncorrected student line"


def test_summaries_grow_from_quick_to_detailed(lesson):
    s = lesson.info.summaries
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", s.quick) if x]
    assert 1 <= len(sentences) <= 2
    # CONTENT-REVIEW: the overview names monitoring loss and accuracy too, not only the three units.
    assert all(word in s.quick for word in ("epoch", "iteration", "batch", "loss", "accuracy", "validation"))
    assert len(s.quick) < len(s.standard) < len(s.detailed)
    assert "\n" not in s.standard.strip(), "the standard summary is one paragraph"
    headings = re.findall(r"^#{2,4} (.+)$", s.detailed, re.M)
    assert len(headings) >= 6
    for topic in ("Epochs", "Iterations", "Batch size", "Monitoring loss and accuracy",
                  "Training versus validation", "overfitting", "Early stopping"):
        assert any(topic.lower() in h.lower() for h in headings), f"detailed summary lacks a {topic!r} section"


def test_topics_each_have_an_explanation_and_an_analogy(lesson):
    ids = {t.id for t in lesson.topics}
    assert {"epochs", "iterations", "batch-size", "monitoring-loss-and-accuracy",
            "training-vs-validation", "last-partial-batch", "early-stopping"} <= ids
    for t in lesson.topics:
        assert len(t.explanation) > 150 and len(t.analogy) > 100 and t.explanation != t.analogy


def test_key_concepts_cover_the_lesson_and_name_their_terms(lesson):
    titles = {c.title for c in lesson.key_concepts}
    assert {"Epoch", "Iteration", "Batch size", "Monitoring loss", "Monitoring accuracy",
            "Total iterations", "Training versus validation"} <= titles
    for c in lesson.key_concepts:
        assert c.terms, f"key concept {c.id} names no terms"
    accuracy = next(c for c in lesson.key_concepts if c.title == "Monitoring accuracy")
    assert "named split" in accuracy.text and "validation" in accuracy.text


# --- memory aids and their self-checks ------------------------------------------------------

def _aid(lesson, aid_id):
    return next(a for a in lesson.memory_aids if a.id == aid_id)


def test_memory_aids_of_every_kind_each_with_one_to_three_checks(lesson):
    assert {a.kind for a in lesson.memory_aids} == {"rhyme", "story", "gem", "acronym"}
    assert {"epochs-rhyme", "marathon-story", "ebi", "lea", "every-example-once"} <= {a.id for a in lesson.memory_aids}
    check_ids = [c.id for a in lesson.memory_aids for c in a.checks]
    assert len(check_ids) == len(set(check_ids)), "check ids repeat across memory aids"
    for a in lesson.memory_aids:
        assert 1 <= len(a.checks) <= 3, f"memory aid {a.id} has {len(a.checks)} checks"
        for c in a.checks:
            assert len(c.answer.split()) <= 4, f"check {c.id}: answer too long to type"
            assert c.answer.lower() not in [x.lower() for x in c.alternatives]


def test_acronyms_spell_their_letters(lesson):
    lea = _aid(lesson, "lea")
    assert lea.kind == "acronym"
    assert [(l.letter, l.stands_for) for l in lea.letters] == [("L", "Loss"), ("E", "Epoch"), ("A", "Accuracy")]
    ebi = _aid(lesson, "ebi")
    assert "".join(l.letter for l in ebi.letters) == "EBI"
    for aid in (lea, ebi):
        for letter in aid.letters:
            assert letter.stands_for.lower().startswith(letter.letter.lower())


def test_lea_self_check_asks_what_e_stands_for(lesson):
    check = next(c for c in _aid(lesson, "lea").checks if "what does E stand for" in c.prompt)
    assert check.answer == "Epoch"


def test_memory_aid_checks_with_numbers_agree_with_training_math(lesson):
    checks = {c.id: c for a in lesson.memory_aids for c in a.checks}
    assert checks["round-example"].answer == str(tm.iterations_per_epoch(1000, 32))
    assert checks["divide-multiply-total"].answer == str(tm.total_iterations(1000, 32, 10))


@pytest.mark.parametrize("siblings", [
    ["round-keep", "round-drop"],
    ["marathon-lap", "marathon-checkpoint-stop", "marathon-stretch"],
    ["lea-e", "lea-l", "lea-a"],
    ["ebi-i", "ebi-b"],
    ["rhyme-which-metrics", "rhyme-which-split"],
])
def test_one_self_checks_answer_is_not_accepted_by_its_sibling(lesson, siblings):
    """Opposite questions (round up vs down, lap vs stretch) must not accept each other's answer,
    or the self-check would praise exactly the confusion it is there to catch."""
    checks = {c.id: c for a in lesson.memory_aids for c in a.checks}
    for own in siblings:
        assert matches(checks[own].answer, checks[own].answer, checks[own].alternatives)
        for other in siblings:
            if other != own:
                for typed in [checks[other].answer, *checks[other].alternatives]:
                    assert not matches(typed, checks[own].answer, checks[own].alternatives), \
                        f"check {own} accepts {typed!r}, the answer to {other}"


def test_rhymes_keep_their_line_breaks_when_rendered(lesson):
    # st.markdown joins single newlines into one line; a trailing backslash is a hard break.
    for aid in lesson.memory_aids:
        if aid.kind == "rhyme":
            lines = aid.text.split("\n")
            assert len(lines) >= 2, f"rhyme {aid.id} is one line"
            assert all(line.endswith("\\") for line in lines[:-1]), f"rhyme {aid.id} would render as one line"


def test_every_example_once_gem_says_one_batch_one_update(lesson):
    text = _aid(lesson, "every-example-once").text
    assert "Every example Once" in text and "one batch, one update" in text


# --- hand-written flashcards ----------------------------------------------------------------

def test_flashcards_are_hand_written_with_typed_alternatives(lesson):
    assert 8 <= len(lesson.flashcards) <= 15
    term_names = {t.term.lower() for t in lesson.glossary}
    for card in lesson.flashcards:
        assert card.alternatives, f"card {card.id} accepts no typed alternatives"
        assert card.front.lower() not in term_names, f"card {card.id} just repeats a glossary term"


@pytest.mark.parametrize("card_id, expected", [
    ("card-iterations-1000-32", tm.iterations_per_epoch(1000, 32)),
    ("card-iterations-drop-last", tm.iterations_per_epoch(1000, 32, drop_last=True)),
    ("card-last-batch-size", tm.last_batch_size(1000, 32)),
    ("card-total-10-epochs", tm.total_iterations(1000, 32, 10)),
    ("card-batch-100", tm.iterations_per_epoch(1000, 100)),
    ("card-batch-equals-dataset", tm.iterations_per_epoch(1000, 1000)),
])
def test_numeric_flashcards_agree_with_training_math(lesson, card_id, expected):
    card = next(c for c in lesson.flashcards if c.id == card_id)
    assert card.back.split()[0] == str(expected)
    assert str(expected) in card.alternatives
    assert _numbers(card.front) <= {1000, 32, 100, 10} | {expected}


# --- early stopping, as Keras and PyTorch really behave (issue #13) ---------------------------

_SENTENCE = re.compile(r"(?<=[.!?:;])\s+")
_RESTORES_BEST = re.compile(
    r"\b(restor\w*|keeps?|kept|keeping|puts? back|brings? back|comes? back|go(es)? back)\b[^.;]*\bbest\b"
    r"|\bbest\b[^.;]*\b(restored|kept|comes? back|put back)\b", re.I)


def _early_stopping_texts(lesson) -> list[tuple[str, str]]:
    words = re.compile(r"early stopping|patience|EarlyStopping|best (epoch|evening|photo|weights)", re.I)
    return [(where, plain(text)) for where, text in taught_text(lesson) if words.search(plain(text))]


def test_early_stopping_never_taught_as_always_restoring_the_best_weights(lesson):
    """Keras's `restore_best_weights` defaults to False and PyTorch has no built-in early
    stopping: a text saying the best weights come back must say that it takes
    restore_best_weights (the simulator defaults to False too)."""
    from engine.simulator.config import SimConfig

    assert SimConfig().restore_best_weights is False
    hits = []
    for where, text in _early_stopping_texts(lesson):
        for sentence in _SENTENCE.split(text):
            if _RESTORES_BEST.search(sentence) and "restore_best_weights" not in text:
                hits.append(f"{where}: {sentence}")
    assert not hits, "restoring the best weights taught without restore_best_weights:\n" + "\n".join(hits)
    # where the best weights are mentioned at all, the default (the last epoch's weights) is said too
    detailed = plain(lesson.info.summaries.detailed)
    assert re.search(r"last epoch.s weights", detailed) and "default is False" in detailed


def test_early_stopping_stops_patience_epochs_after_the_best_not_at_it(lesson):
    assert_nowhere_taught(lesson, r"(ends|stops) training at the best")
    assert_nowhere_taught(lesson, r"stops? at the best (validation )?epoch")
    example = plain(lesson.example("reading-loss-curves").text)
    assert "stops after epoch 8" in example and "keeps epoch 8's weights" in example


def test_no_mnemonic_teaches_stopping_at_the_first_rise(lesson):
    """The early-stopping question marks "stopped at the first rise" wrong; no rhyme may teach it."""
    assert_nowhere_taught(lesson, r"validation (loss )?up[^.]*time to stop")
    assert_nowhere_taught(lesson, r"rises,? and that is when early stopping")
    assert_nowhere_taught(lesson, r"(validation loss|it) (starts to )?rises?[^.]*early stopping (ends|stops)")
    aid = next(a for a in lesson.memory_aids if a.id == "train-down-val-up")
    assert "patience" in plain(aid.text).lower() and "first rise" in plain(aid.helps_remember)


def test_validation_error_is_not_a_name_for_validation_loss(lesson):
    """"Validation error" usually means 1 − accuracy: the lesson corrects "loss = 1 − accuracy"."""
    assert "validation error" not in [a.lower() for a in lesson.term("validation-loss").alternatives]
    assert_nowhere_taught(lesson, r"validation error")
    assert "val_loss" in lesson.term("validation-loss").alternatives


def test_patience_is_worded_as_keras_counts_it(lesson):
    """Keras stops at the end of the patience-th epoch without improvement: "tolerated before
    training stops" reads as one epoch later."""
    definition = plain(lesson.term("patience").definition)
    assert "tolerated" not in definition
    assert re.search(r"(patience|set to) 3, training stops at the end of the third", definition)
    assert "3 epochs after the best" in definition


def test_race_day_is_the_test_set_not_validation(lesson):
    assert_nowhere_taught(lesson, r"race day[^.]*validation set")
    story = plain(next(a for a in lesson.memory_aids if a.id == "marathon-story").text)
    assert re.search(r"race day[^.]*test set", story, re.I)
