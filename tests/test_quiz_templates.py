"""Every question kind over 1,000+ seeds: its own answer is right, its prompt shows its numbers,
each known wrong answer gets its own feedback, and the answers agree with brute force."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import training_math as tm
from engine.answers import parse_number
from engine.quiz import TEMPLATES, Question, generate, grade
from engine.quiz import mistakes as mistakes_module
from engine.quiz.concepts import plain_text
from engine.quiz.histories import keras_early_stopping
from tests.conftest import ROOT

SEEDS = range(1_000)
NUMERIC = [tid for tid, t in TEMPLATES.items() if t.group != "Concepts"]
CONCEPT = [tid for tid, t in TEMPLATES.items() if t.group == "Concepts"]

# The mistakes each kind is about: each must be offered (and so recognised) in most variants.
# (The rest are dropped only in the variants where their value happens to equal a likelier one.)
EXPECTED_MISTAKES = {
    "iterations-per-epoch": {"floor-instead-of-ceil": 1.0, "unrounded-division": 1.0, "n-times-b": 1.0},
    "iterations-drop-last": {"ceil-instead-of-floor": 1.0, "unrounded-division-drop-last": 1.0, "n-times-b": 1.0},
    "last-batch-size": {"last-batch-is-full": 1.0, "full-batches-total": 0.9, "remainder-as-fraction": 0.95},
    "total-iterations": {"forgot-times-epochs": 1.0, "epochs-equal-iterations": 0.9,
                         "floor-instead-of-ceil": 0.9, "counted-samples": 0.95, "n-times-b": 1.0},
    "epochs-for-updates": {"epochs-equal-iterations": 0.95, "rounded-epochs-down": 0.95},
    "samples-processed": {"forgot-times-epochs-samples": 1.0, "counted-iterations": 0.95,
                          "multiplied-by-batch-size": 1.0},
    "batch-size-for-iterations": {"floor-instead-of-ceil": 0.9, "n-times-b": 1.0},
    "gradient-accumulation": {"micro-batches-as-updates": 1.0, "multiplied-by-accumulation": 1.0,
                              "floor-instead-of-ceil": 0.75},
    "time-per-epoch": {"time-per-sample": 0.95, "wrong-time-unit": 0.95},
    "accuracy": {"wrong-split": 1.0, "error-rate": 0.95, "fraction-not-percent": 1.0},
    "lowest-validation-loss": {"training-not-validation": 1.0, "counted-from-zero": 1.0,
                               "gave-the-loss-value": 1.0},
    "early-stopping": {"stop-at-best-epoch": 1.0, "patience-off-by-one": 1.0},
}


def ambiguous_point(q, text: str) -> bool:
    """"38.113" for a count, when 38,113 is the answer or another known slip."""
    other = parse_number(text).thousands_reading
    return (q.answer.kind == "integer" and other is not None
            and (q.answer.accepts(other) or any(m.matches(other) for m in q.mistakes)))


def shown(value) -> str | None:
    if isinstance(value, bool) or value in ("", None):
        return None
    return f"{value:,}" if isinstance(value, int) else str(value)


def test_at_least_ten_numeric_kinds_and_concept_kinds():
    assert len(NUMERIC) >= 10
    assert CONCEPT and all(TEMPLATES[t].available() for t in CONCEPT)
    assert set(EXPECTED_MISTAKES) == set(NUMERIC)


@pytest.mark.parametrize("tid", list(TEMPLATES))
def test_every_seed_own_answer_prompt_and_known_mistakes(tid):
    template = TEMPLATES[tid]
    offered = Counter()
    for seed in SEEDS:
        q = generate(tid, seed)
        assert q.template_id == tid and q.seed == seed and q.kind == template.title
        right = grade(q, q.answer.value)
        assert right.status == "correct", (seed, q.answer, right.feedback)
        assert right.solution and right.solution == q.solution
        for name in template.shown:
            text = shown(q.params[name])
            if text:
                assert text in q.prompt, (seed, name, text)
        for m in q.mistakes:
            g = grade(q, m.value)
            if ambiguous_point(q, m.value):  # 38.113 where 38,113 is also known: asked, free
                assert g.status == "invalid" and "could be" in g.feedback, (seed, m)
                continue
            assert (g.status, g.mistake, g.feedback) == ("incorrect", m.id, m.feedback), (seed, m)
            offered[m.id] += 1
        if q.answer.kind == "integer":  # the same answer written another way is still right
            value = int(Decimal(q.answer.value))
            for form in (f"{value:,}", f"{value}.0", f"{value:_}", f" {value} "):
                assert grade(q, form).status == "correct", form
    for mistake_id, share in EXPECTED_MISTAKES.get(tid, {}).items():
        assert offered[mistake_id] >= share * len(SEEDS), (mistake_id, offered)


@pytest.mark.parametrize("tid", list(TEMPLATES))
def test_same_seed_same_question_other_seed_other_question(tid):
    assert generate(tid, 42) == generate(tid, 42)
    prompts = {(generate(tid, s).prompt, generate(tid, s).choices) for s in range(40)}
    assert len(prompts) >= (12 if tid in CONCEPT else 35)


def test_questions_are_the_same_in_another_process():
    """Deterministic across runs and hash seeds, which per-student assignments rely on."""
    code = ("import json; from engine.quiz import TEMPLATES, generate; "
            "print(json.dumps([generate(t, s).to_dict() for t in TEMPLATES for s in (0, 7, 123456789)]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": ""})
    here = [json.loads(json.dumps(generate(t, s).to_dict())) for t in TEMPLATES for s in (0, 7, 123456789)]
    assert json.loads(out.stdout) == here


@pytest.mark.parametrize("tid", list(TEMPLATES))
def test_question_round_trips_through_json_and_public_view_hides_the_answer(tid):
    for seed in range(25):
        q = generate(tid, seed)
        again = Question.from_dict(json.loads(json.dumps(q.to_dict())))
        assert again == q
        assert grade(again, q.answer.value).status == "correct"
        public = q.public_dict()
        json.dumps(public)
        assert not {"answer", "mistakes", "solution", "hint"} & set(public)
        assert public["prompt"] == q.prompt and public["choices"] == list(q.choices)


def test_unknown_kind_or_bad_seed():
    with pytest.raises(ValueError, match="Unknown question kind"):
        generate("no-such-kind", 1)
    for bad in (1.5, "3", None, True):
        with pytest.raises(ValueError, match="seed"):
            generate("iterations-per-epoch", bad)


@pytest.mark.parametrize("tid", NUMERIC)
def test_unreadable_input_is_invalid_and_says_why(tid):
    q = generate(tid, 3)
    for text, says in [("abc", "number"), ("", "number"), ("1/0", "calculation"), ("nan", "finite"),
                       ("inf", "finite"), ("9" * 10_000, "too long")]:
        g = grade(q, text)
        assert g.status == "invalid" and not g.counts_as_try
        assert says in g.feedback.lower()


@settings(max_examples=150, deadline=None)
@given(tid=st.sampled_from(list(TEMPLATES)), seed=st.integers(0, 10**9), text=st.text(max_size=50))
def test_grading_never_raises(tid, seed, text):
    g = grade(generate(tid, seed), text)
    assert g.status in {"correct", "incorrect", "invalid"} and g.feedback


def test_realistic_and_varied_parameters():
    ns, bs = set(), set()
    for tid in ("iterations-per-epoch", "total-iterations", "last-batch-size", "samples-processed"):
        for seed in SEEDS:
            p = generate(tid, seed).params
            assert 100 <= p["n_samples"] <= 1_000_000 and 1 <= p["batch_size"] <= 4096
            ns.add(p["n_samples"])
            bs.add(p["batch_size"])
    assert len(ns) > 1000 and len(bs) > 300
    assert {32, 64, 128, 256} <= bs and any(b & (b - 1) for b in bs)  # powers of two, and not
    answers = Counter(generate("iterations-per-epoch", s).answer.value for s in SEEDS)
    assert answers.most_common(1)[0][1] < 40  # no answer is right more than 4 % of the time


# --- answers against brute force -------------------------------------------------------------

def test_counting_answers_match_the_formulas():
    for seed in range(300):
        p = generate("iterations-per-epoch", seed).params
        n, b = p["n_samples"], p["batch_size"]
        assert generate("iterations-per-epoch", seed).answer.value == str(math.ceil(Fraction(n, b)))
        q = generate("iterations-drop-last", seed)
        assert q.answer.value == str(q.params["n_samples"] // q.params["batch_size"])
        q = generate("last-batch-size", seed)
        n, b = q.params["n_samples"], q.params["batch_size"]
        assert q.answer.value == str(n - (n // b) * b)  # a partial batch always exists here
        q = generate("total-iterations", seed)
        n, b, e = q.params["n_samples"], q.params["batch_size"], q.params["epochs"]
        assert q.answer.value == str(e * math.ceil(Fraction(n, b)))
        q = generate("samples-processed", seed)
        n, b, e = q.params["n_samples"], q.params["batch_size"], q.params["epochs"]
        assert q.answer.value == str(e * ((n // b) * b if q.params["drop_last"] else n))


def test_epochs_needed_is_the_fewest_that_reach_the_updates():
    for seed in range(300):
        q = generate("epochs-for-updates", seed)
        n, b, u, e = q.params["n_samples"], q.params["batch_size"], q.params["updates"], int(q.answer.value)
        assert tm.total_iterations(n, b, e) >= u
        assert e == 1 or tm.total_iterations(n, b, e - 1) < u


def test_every_accepted_batch_size_gives_exactly_k_iterations_and_no_other_does():
    for seed in range(300):
        q = generate("batch-size-for-iterations", seed)
        n, k = q.params["n_samples"], q.params["iterations"]
        low, high = int(q.answer.low), int(q.answer.high)
        for b in range(max(1, low - 3), high + 4):
            gives_k = tm.iterations_per_epoch(n, b) == k
            assert gives_k == (low <= b <= high), (n, k, b)
            assert (grade(q, str(b)).status == "correct") == gives_k
        # iterations only fall as B grows, so checking around the edges covers every B
        assert tm.iterations_per_epoch(n, 1) >= k >= tm.iterations_per_epoch(n, n)


def test_other_batch_sizes_are_told_what_they_give():
    q = generate("batch-size-for-iterations", 5)
    n, k = q.params["n_samples"], q.params["iterations"]
    wrong = int(q.answer.high) * 3
    g = grade(q, str(wrong))
    assert g.status == "incorrect"
    assert f"{tm.iterations_per_epoch(n, wrong):,} iterations" in g.feedback


def test_gradient_accumulation_counts_groups_of_micro_batches():
    for seed in range(300):
        q = generate("gradient-accumulation", seed)
        n, b, a = q.params["n_samples"], q.params["batch_size"], q.params["accumulation_steps"]
        micro = tm.batch_sizes(n, b)
        groups = [micro[i:i + a] for i in range(0, len(micro), a)]  # the last group may be short
        assert q.answer.value == str(len(groups))
        assert sum(map(sum, groups)) == n


def test_time_per_epoch_within_the_stated_tolerance():
    for seed in range(300):
        q = generate("time-per-epoch", seed)
        p = q.params
        seconds = tm.iterations_per_epoch(p["n_samples"], p["batch_size"]) * Decimal(p["seconds_per_iteration"])
        value = seconds / 60 if q.answer.unit == "minutes" else seconds
        assert abs(Decimal(q.answer.value) - value) <= Decimal(q.answer.tolerance)
        assert f"±{q.answer.tolerance}" in q.prompt.replace(",", "")
        assert grade(q, str(value + Decimal(q.answer.tolerance) * Decimal("0.9"))).status == "correct"
        assert grade(q, str(value + Decimal(q.answer.tolerance) * 3)).status == "incorrect"


def test_accuracy_is_correct_over_total_on_the_named_split():
    for seed in range(300):
        q = generate("accuracy", seed)
        split = q.params["split"]
        value = Fraction(q.params[f"{split}_correct"], q.params[f"{split}_total"]) * 100
        assert abs(Fraction(q.answer.value) - value) <= Fraction(1, 100)
        assert f"**{split} accuracy**" in q.prompt
        assert grade(q, q.answer.value + "%").status == "correct"


def test_lowest_validation_loss_epoch_read_from_the_table():
    for seed in range(300):
        q = generate("lowest-validation-loss", seed)
        val = [Decimal(v) for v in q.table["validation loss"]]
        assert q.answer.value == str(val.index(min(val)) + 1)


class KerasEarlyStoppingOracle:
    """keras/src/callbacks/early_stopping.py, transliterated with floats: mode="min", no
    baseline, start_from_epoch=0."""

    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, -abs(min_delta)  # Keras flips the sign for "min"
        self.wait, self.best, self.stopped_epoch, self.stop_training = 0, math.inf, 0, False

    def on_epoch_end(self, epoch, current):
        self.wait += 1
        if current - self.min_delta < self.best:  # _is_improvement
            self.best, self.wait = current, 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch, self.stop_training = epoch, True


def keras_stop(losses, patience, min_delta=0.0):
    cb = KerasEarlyStoppingOracle(patience, min_delta)
    for epoch, loss in enumerate(losses):
        cb.on_epoch_end(epoch, float(loss))
        if cb.stop_training:
            return cb.stopped_epoch + 1  # Keras prints "Epoch {stopped_epoch + 1}: early stopping"
    return None


def test_early_stopping_questions_follow_keras():
    for seed in range(500):
        q = generate("early-stopping", seed)
        val = q.table["validation loss"]
        md = float(q.params["min_delta"] or 0)
        assert q.answer.value == str(keras_stop(val, q.params["patience"], md))
        assert f"patience={q.params['patience']}" in q.prompt


@settings(max_examples=300, deadline=None)
@given(losses=st.lists(st.integers(1, 60).map(lambda i: Decimal(i) / 20), min_size=1, max_size=30),
       patience=st.integers(1, 6), min_delta=st.sampled_from([Decimal(0), Decimal("0.1"), Decimal("0.12")]))
def test_early_stopping_rule_matches_keras(losses, patience, min_delta):
    # min_delta 0.12 never lands exactly on a threshold between multiples of 0.05, so float
    # rounding inside the oracle cannot decide a tie differently
    ties = min_delta == Decimal("0.1")
    run = keras_early_stopping(losses, patience, min_delta)
    if not ties:
        assert run.stopped_epoch == keras_stop(losses, patience, float(min_delta))
    if run.stopped_epoch:
        assert run.stopped_epoch == run.best_epoch + patience


# --- feedback ties to the lesson -------------------------------------------------------------

def test_feedback_names_the_mistake_with_the_questions_numbers_and_links_the_lesson():
    q = generate("iterations-per-epoch", 11)
    n, b = q.params["n_samples"], q.params["batch_size"]
    floor = grade(q, str(n // b))
    assert floor.mistake == "floor-instead-of-ceil" and "round **up**" in floor.feedback.lower().replace("round **up**", "round **up**")
    assert f"{n:,}" in floor.feedback and f"{n % b:,}" not in floor.feedback  # the principle, not the numbers that give the answer
    assert floor.misconception and floor.misconception["id"] == "floor-instead-of-ceil"
    assert floor.misconception["right"]
    product = grade(q, f"{n * b:,}")
    assert product.mistake == "n-times-b" and product.misconception["id"] == "n-times-b"
    assert "31.25" not in product.feedback or n == 1000
    q = generate("total-iterations", 4)
    forgot = grade(q, str(tm.iterations_per_epoch(q.params["n_samples"], q.params["batch_size"])))
    assert forgot.mistake == "forgot-times-epochs" and forgot.misconception["id"] == "forgot-times-epochs"
    q = generate("iterations-drop-last", 2)
    ceil = grade(q, str(tm.iterations_per_epoch(q.params["n_samples"], q.params["batch_size"])))
    assert ceil.mistake == "ceil-instead-of-floor" and ceil.misconception["id"] == "ceil-when-dropping"


def test_a_missing_lesson_entry_leaves_the_feedback_intact(monkeypatch):
    monkeypatch.setitem(mistakes_module.CATALOGUE, "n-times-b",
                        mistakes_module.MistakeKind("Multiplied", "no-such-misconception", "A rule."))
    q = generate("iterations-per-epoch", 11)
    g = grade(q, str(q.params["n_samples"] * q.params["batch_size"]))
    assert g.status == "incorrect" and g.mistake == "n-times-b" and g.feedback and g.misconception is None
    assert g.reminder == ""  # no lesson entry, no box


def test_unknown_wrong_answer_gets_a_hint_not_a_named_mistake():
    q = generate("iterations-per-epoch", 11)
    g = grade(q, str(int(q.answer.value) + 1000))
    assert g.status == "incorrect" and g.mistake is None and q.hint in g.feedback
    assert "not quite" not in g.feedback.lower()  # the page heads it "Not quite." once
    q = generate("concept-term", 3)
    wrong = next(c for c in "ABCD" if c != q.answer.value)
    assert "not quite" not in grade(q, wrong).feedback.lower()


# --- fixes after a learner trial --------------------------------------------------------------

def test_drop_last_solutions_count_the_dropped_batch_out_throughout():
    """6,857 samples, batch 1,024, 5 epochs, dropped: the solution said 5 × 7 = 35 iterations
    and 5 × 6,857 samples, then gave 5 × 6,144 = 30,720."""
    dropped_seen = 0
    for seed in range(400):
        q = generate("samples-processed", seed)
        n, b, e = q.params["n_samples"], q.params["batch_size"], q.params["epochs"]
        text = "\n".join(q.solution)
        if not q.params["drop_last"]:
            assert f"{e * n:,} samples" in text
            continue
        dropped_seen += 1
        kept, full = tm.iterations_per_epoch(n, b), tm.iterations_per_epoch(n, b, drop_last=True)
        assert f"{e * n:,}" not in text and f"{e:,} × {kept:,} " not in text and "(ceil)" not in text
        assert f"{e:,} × {full:,} = {e * full:,}" in text
        assert q.solution[-1].endswith(f"= {int(q.answer.value):,} samples.")
    assert dropped_seen > 50
    for seed in range(200):
        q = generate("iterations-drop-last", seed)
        assert "(ceil)" not in "\n".join(q.solution)
        assert q.solution[-1].endswith(f"iterations per epoch = {int(q.answer.value):,} (floor).")


def test_times_the_batch_size_is_a_named_mistake_wherever_it_fits():
    for seed in range(200):
        q = generate("total-iterations", seed)
        n, b, e = q.params["n_samples"], q.params["batch_size"], q.params["epochs"]
        for wrong in (n * b, e * n * b):
            g = grade(q, f"{wrong:,}")
            if e * n != n * b:  # else the batch size equals the epochs: "counted samples" comes first
                assert g.mistake == "n-times-b" and f"{n:,} × {b:,}" in g.feedback, seed
        q = generate("samples-processed", seed)
        n, b, e = q.params["n_samples"], q.params["batch_size"], q.params["epochs"]
        g = grade(q, str(e * n * b))
        assert g.mistake == "multiplied-by-batch-size" and f"{e:,} × {n:,} × {b:,}" in g.feedback


def test_epoch_answers_read_epoch_11_not_11_epoch():
    for tid, before in (("early-stopping", "after epoch "), ("lowest-validation-loss", "epoch ")):
        for seed in range(30):
            q = generate(tid, seed)
            shown_answer = grade(q, "abc").correct_answer
            assert shown_answer == f"{before}{int(q.answer.value):,}"
            assert "epoch" not in grade(q, "-3").feedback.replace("an epoch number", "")


def test_every_lesson_box_is_the_lessons_entry_for_that_very_mistake_and_has_no_numbers():
    """Each numeric mistake shows a lesson box only when the lesson has an entry for exactly
    that mistake; the box's rule carries no example numbers to confuse with the question's."""
    import re
    for tid in NUMERIC:
        for seed in range(60):
            q = generate(tid, seed)
            for m in q.mistakes:
                g = grade(q, m.value)
                if g.reminder:
                    assert g.misconception and not re.search(r"\d", g.reminder), (tid, m.id)
    q = next(q for q in (generate("samples-processed", s) for s in range(50)) if not q.params["drop_last"])
    g = grade(q, str(q.params["n_samples"]))  # forgot × epochs on a samples question
    assert g.misconception is None and "iterations" not in g.reminder
    g = grade(q, str(q.params["epochs"] * tm.iterations_per_epoch(q.params["n_samples"], q.params["batch_size"])
                     * q.params["batch_size"]))
    assert g.misconception["id"] == "samples-equal-iterations-times-b"


def test_non_whole_answer_to_a_count_is_free_unless_it_is_a_known_mistake():
    q = generate("iterations-per-epoch", 11)
    n, b = q.params["n_samples"], q.params["batch_size"]
    assert grade(q, str(Decimal(n) / b)).mistake == "unrounded-division"
    assert grade(q, str(round(Decimal(n) / b, 1))).mistake == "unrounded-division"
    odd = grade(q, str(int(q.answer.value) + 500) + ".5")
    assert odd.status == "invalid" and "whole number" in odd.feedback
    assert grade(q, "-5").status == "invalid"
    assert grade(q, "50%").status == "invalid"


def test_percent_questions_accept_the_sign_and_spot_a_fraction():
    q = generate("accuracy", 9)
    split = q.params["split"]
    c, t = q.params[f"{split}_correct"], q.params[f"{split}_total"]
    assert grade(q, f"{100 * c / t:.2f}%").status == "correct"
    assert grade(q, f"{100 * c / t:.2f} %").status == "correct"
    assert grade(q, f"{c / t:.4f}").mistake == "fraction-not-percent"


# --- concept questions -----------------------------------------------------------------------

def test_term_questions_use_the_glossary_with_plausible_distractors():
    lib = mistakes_module.library()
    related_used = 0
    for seed in range(300):
        q = generate("concept-term", seed)
        lesson = lib.lessons[q.params["lesson"]]
        term = lesson.term(q.params["term"])
        assert len(q.choices) == 4 == len(set(q.choices))
        assert q.choices["ABCD".index(q.answer.value)] == term.term
        assert term.term.lower() not in q.prompt.lower()
        assert grade(q, term.term).status == "correct"  # the option's text works as well as its letter
        assert grade(q, "Z").status == "invalid"
        for m in q.mistakes:
            chosen = q.choices["ABCD".index(m.value)]
            assert grade(q, m.value).mistake == m.id and chosen in grade(q, m.value).feedback
        if term.related:
            related_used += any(lesson.term(r).term in q.choices for r in term.related if r != term.id)
    assert related_used > 100


def test_true_statement_questions_use_the_lessons_misconceptions():
    lib = mistakes_module.library()
    for seed in range(200):
        q = generate("concept-true-statement", seed)
        target = next(m for m in lib.lessons[q.params["lesson"]].misconceptions if m.id == q.params["misconception"])
        assert q.choices["ABCD".index(q.answer.value)] == plain_text(target.statement)
        assert target.wrong not in q.choices  # beside its twin it would give the answer away
        assert any(target.wrong in step for step in q.solution)  # so it is quoted in the solution
        for m in q.mistakes:
            g = grade(q, m.value)
            assert g.mistake == m.id and g.misconception and g.misconception["id"] == m.id


def test_a_grade_hides_the_solution_until_it_is_revealed():
    q = generate("iterations-per-epoch", 11)
    g = grade(q, str(q.params["n_samples"] // q.params["batch_size"]))
    hidden = g.public_dict(reveal=False)
    assert hidden["solution"] == [] and hidden["correct_answer"] == "" and hidden["feedback"] == g.feedback
    shown_ = g.public_dict(reveal=True)
    assert list(shown_["solution"]) == list(q.solution) and q.answer.value in shown_["correct_answer"]
    json.dumps(hidden)
