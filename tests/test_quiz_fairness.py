"""Generator-level fairness over thousands of seeds (issue #13): one right option only; the
right option's length and formatting carry no signal; every tolerance excludes every named slip;
every slip is named when made; no feedback shown before the last try contains the answer."""
from __future__ import annotations

import random
import re
from collections import Counter
from decimal import Decimal

import pytest

from engine.quiz import TEMPLATES, generate, grade
from engine.quiz.build import is_correct, plain
from engine.quiz.concepts import definition_for_quiz, names, plain_text
from engine.quiz.mistakes import library
from tests.test_quiz_templates import ambiguous_point

NUMERIC = [tid for tid, t in TEMPLATES.items() if t.group != "Concepts"]
SEEDS = range(600)
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
# constants of a method, not of this question's answer ("× 60" for minutes, "× 100" for percent)
_METHOD = re.compile(r"(×|by|÷) (60|100)\b")


def numbers(text: str) -> list[Decimal]:
    return [Decimal(x.replace(",", "")) for x in _NUMBER.findall(_METHOD.sub("", text))]


def raw_parts(tid: str, seed: int) -> dict:
    """What the template builds, before slips that can't be told apart are dropped."""
    return TEMPLATES[tid].build(random.Random(f"batchwise-quiz/{tid}/{seed}"))


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9,]+", text.lower())} - {"the", "a", "an", "of", "is", "in", "and", "at", "to", "set"}


# --- one right option -------------------------------------------------------------------------

def test_which_term_never_offers_a_second_name_for_the_right_term():
    lesson = library().ordered()[0]
    for seed in range(2_000):
        q = generate("concept-term", seed)
        term = lesson.term(q.params["term"])
        for choice in q.choices:
            other = next(t for t in lesson.glossary if t.term == choice)
            if other.id != term.id:
                assert not names(other) & names(term), (seed, term.term, other.term)
    # the pairs the glossary itself calls the same thing are never offered together
    for a, b in (("batch", "mini-batch"), ("iteration", "weight-update")):
        assert names(lesson.term(a)) & names(lesson.term(b))


def test_blanking_hides_only_the_terms_own_spellings():
    lesson = library().ordered()[0]
    quiz = {t.id: definition_for_quiz(t) for t in lesson.glossary}
    for t in lesson.glossary:
        assert t.term.lower() not in quiz[t.id].lower(), t.id
    assert "for instance" in quiz["sample"]           # "instance" is another name, not a spelling
    assert "one step" in quiz["iteration"]              # "step" is not blanked out of its sentence
    assert "often written B" in quiz["batch-size"]
    assert "… function" not in quiz["loss"]


# --- the form gives nothing away --------------------------------------------------------------

def test_which_term_cannot_be_answered_from_the_words_or_lengths():
    """The right term's words are blanked from its description; a distractor's words showing
    there would let a student rule it out (or pick the one option whose words never show)."""
    n = 2_000
    most = least = 0.0
    rank = Counter()
    for seed in range(n):
        q = generate("concept-term", seed)
        text = _words(q.prompt.split(">", 1)[1])
        scores = [len(_words(c) & text) / max(1, len(_words(c))) for c in q.choices]
        right = "ABCD".index(q.answer.value)
        for pick, total in ((max, "most"), (min, "least")):
            best = [i for i, s in enumerate(scores) if s == pick(scores)]
            share = (right in best) / len(best)
            most, least = (most + share, least) if total == "most" else (most, least + share)
        lengths = [len(c) for c in q.choices]
        rank[sorted(lengths, reverse=True).index(lengths[right])] += 1
    assert most / n <= 0.32 and least / n <= 0.32, (most / n, least / n)  # chance: 0.25
    assert max(rank.values()) / n <= 0.31, rank



def test_true_statement_length_formatting_and_wording_carry_no_signal():
    """Strategies that use only the form: pick by length rank, pick from the two most alike
    options, pick the option most like the others. None may do much better than chance."""
    n = 3_000
    rank, only_digits, in_twin_pair, central = Counter(), 0, 0, 0
    for seed in range(n):
        q = generate("concept-true-statement", seed)
        right = "ABCD".index(q.answer.value)
        lengths = [len(c) for c in q.choices]
        rank[sorted(lengths, reverse=True).index(lengths[right])] += 1
        ws = [_words(c) for c in q.choices]

        def alike(i: int, j: int) -> float:
            return len(ws[i] & ws[j]) / len(ws[i] | ws[j])
        twins = max(((i, j) for i in range(4) for j in range(i + 1, 4)), key=lambda p: alike(*p))
        in_twin_pair += right in twins
        central += right == max(range(4), key=lambda i: sum(alike(i, j) for j in range(4) if j != i))
        for c in q.choices:  # the same plain formatting for every option
            assert not re.search(r"\*|`|_{2}", c), (seed, c)
        digits = [bool(re.search(r"\d", c)) for c in q.choices]
        only_digits += digits[right] and sum(digits) == 1
    # by length alone (longest, shortest, second …) a guess is right about a quarter of the time
    assert max(rank.values()) / n <= 0.31, rank   # chance: 0.25
    assert in_twin_pair / n <= 0.55                 # chance: 0.5 (was 0.9 with its own wrong twin)
    assert central / n <= 0.33                      # chance: 0.25
    assert only_digits / n <= 0.02


# --- tolerances and slips ---------------------------------------------------------------------

@pytest.mark.parametrize("tid", NUMERIC)
def test_every_tolerance_excludes_every_named_slip(tid):
    for seed in SEEDS:
        parts = raw_parts(tid, seed)
        a = parts["answer"]
        for m in filter(None, parts["mistakes"]):
            if m.low == m.high:
                continue  # an exact slip equal to the answer is no slip in that variant
            assert not is_correct(a, Decimal(m.value)), (tid, seed, m.id)
            assert Decimal(m.high) < Decimal(a.low) or Decimal(m.low) > Decimal(a.high), (tid, seed, m.id)


@pytest.mark.parametrize("tid", NUMERIC)
def test_every_slip_in_the_list_is_named_when_made(tid):
    for seed in SEEDS:
        q = generate(tid, seed)
        for m in q.mistakes:
            if not ambiguous_point(q, m.value):
                assert grade(q, m.value).mistake == m.id, (tid, seed, m.id)
        # a slip dropped from the list is right in this variant or has another slip's very value
        for m in filter(None, raw_parts(tid, seed)["mistakes"]):
            x = Decimal(m.value)
            if not is_correct(q.answer, x) and not ambiguous_point(q, m.value):
                assert any(k.matches(x) and Decimal(k.value) == x or k.id == m.id for k in q.mistakes), \
                    (tid, seed, m.id)


def test_the_named_slips_the_review_found_unnamed():
    whole_run = floor_time = 0
    for seed in range(1_000):
        q = generate("total-iterations", seed)
        n, b, e = (q.params[k] for k in ("n_samples", "batch_size", "epochs"))
        once = -(-e * n // b)
        if once != int(q.answer.value):
            whole_run += grade(q, str(once)).mistake == "rounded-whole-run"
        q = generate("time-per-epoch", seed)
        n, b, s = q.params["n_samples"], q.params["batch_size"], Decimal(q.params["seconds_per_iteration"])
        slip = (n // b) * s / (60 if q.answer.unit == "minutes" else 1)
        floor_time += grade(q, plain(round(slip, 3))).mistake == "floor-instead-of-ceil"
    assert whole_run > 500 and floor_time == 1_000


def test_exact_division_is_not_called_rounding():
    seen = 0
    for seed in range(3_000):
        q = generate("epochs-for-updates", seed)
        per_epoch = -(-q.params["n_samples"] // q.params["batch_size"])
        if q.params["updates"] % per_epoch:
            continue
        seen += 1
        assert "rounded up" not in " ".join(q.solution) and "exactly" in " ".join(q.solution)
        g = grade(q, str(int(q.answer.value) - 1))
        assert g.mistake == "too-few-epochs" and "part-epoch" not in g.feedback
    assert seen > 10


def test_min_delta_solution_says_why_a_lower_loss_does_not_count():
    explained = 0
    for seed in range(2_000):
        q = generate("early-stopping", seed)
        if not q.params["min_delta"]:
            continue
        text = " ".join(q.solution)
        assert "restore_best_weights" in text
        explained += "does not count" in text
    assert explained > 20


def test_no_count_reads_1_iterations():
    for tid in NUMERIC:
        for seed in range(300):
            q = generate(tid, seed)
            for text in (*q.solution, *(m.feedback for m in q.mistakes), q.prompt):
                assert not re.search(r"(?<![\d,.])1 (iterations|samples|epochs|updates|batches)\b", text), (tid, seed, text)
            if tid == "batch-size-for-iterations":
                g = grade(q, str(q.params["n_samples"] + 1))  # a batch bigger than the dataset
                assert "1 iteration," in g.feedback


# --- hints never give the answer before the last try -----------------------------------------

@pytest.mark.parametrize("tid", NUMERIC)
def test_no_feedback_before_the_last_try_contains_the_answer(tid):
    """Feedback names the mistake and the principle. The only numbers it may use are the
    question's own and the learner's slip: never the answer, nor a step that hands it over."""
    for seed in SEEDS:
        q = generate(tid, seed)
        given = set(numbers(q.prompt))
        for m in q.mistakes:
            g = grade(q, m.value)
            if ambiguous_point(q, m.value):
                continue
            assert not re.search(r"\d", g.reminder)
            for x in numbers(g.feedback):
                assert x in given or not is_correct(q.answer, x), (tid, seed, m.id, g.feedback)
                assert x in given or m.matches(x) or x in (0, 1), (tid, seed, m.id, x, g.feedback)
        for x in numbers(q.hint):
            assert x in given, (tid, seed, q.hint)
        # any other wrong number: the hint, or what that number really gives
        other = grade(q, "7777")
        if other.status == "incorrect":
            assert not any(is_correct(q.answer, x) and x not in given for x in numbers(other.feedback))


@pytest.mark.parametrize("tid", ["concept-term", "concept-true-statement"])
def test_a_wrong_option_never_quotes_the_right_one(tid):
    for seed in range(1_000):
        q = generate(tid, seed)
        right = q.choices["ABCD".index(q.answer.value)]
        for m in q.mistakes:
            feedback = plain_text(grade(q, m.value).feedback).partition("something else:")[2]
            assert not re.search(rf"(?i)(?<![\w-]){re.escape(right)}(?![\w-])", feedback), (seed, right, feedback)


def test_a_stated_tolerance_tells_only_the_answers_size():
    """"Answer to within ±0.063" gave the answer away as about 6.3: a tolerance is a round
    1, 2 or 5 × 10^k, at most 1 % of the answer."""
    for seed in range(1_000):
        q = generate("time-per-epoch", seed)
        tol, value = Decimal(q.answer.tolerance), Decimal(q.answer.value)
        assert tol.normalize().as_tuple().digits in ((1,), (2,), (5,)), (seed, tol)
        assert tol <= value / 100 + Decimal("0.0005"), (seed, tol, value)
