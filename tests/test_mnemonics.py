"""Mnemonic self-checks accept the lesson's own synonyms (issue #13): a student who writes the
lesson's other name for the answer is right; a different number or a different idea is not."""
from __future__ import annotations

import pytest

from engine.content.loader import DEFAULT_CONTENT_DIR, load_library
from engine.lenient import judge
from engine.mnemonics import check_answer

LESSON = load_library(DEFAULT_CONTENT_DIR).lessons["training-phases"]
CHECKS = {c.id: (c, a) for a in LESSON.memory_aids for c in a.checks}


def status(check_id: str, typed: str) -> str:
    check, aid = CHECKS[check_id]
    return check_answer(check, typed, aid, LESSON).status


@pytest.mark.parametrize("check_id,typed", [
    ("down-up-watch", "val_loss"), ("down-up-watch", "val loss"),
    ("marathon-checkpoint-stop", "step"), ("marathon-checkpoint-stop", "a training step"),
    ("marathon-checkpoint-stop", "an optimizer step"),
    ("divide-multiply-total", "320 steps"), ("divide-multiply-total", "320 batches"),
    ("divide-multiply-total", "three hundred and twenty"),
    ("round-example", "32 batches"), ("round-example", "32 steps"), ("round-example", "thirty-two"),
    ("mock-exam-is", "the dev set"), ("mock-exam-is", "val set"),
    ("down-up-name", "over-fitting"),
])
def test_the_lessons_own_synonyms_are_right(check_id, typed):
    assert status(check_id, typed) == "correct"


@pytest.mark.parametrize("check_id,typed", [
    ("round-example", "31"), ("round-example", "32 samples"), ("round-example", "320 steps"),
    ("divide-multiply-total", "320 epochs"), ("divide-multiply-total", "32 steps"),
    ("marathon-checkpoint-stop", "a batch"), ("marathon-stretch", "an iteration"),
    ("ebi-i", "step"),  # an acronym's letter stands for its own word
    ("down-up-watch", "training loss"),
])
def test_a_different_number_or_idea_is_still_wrong(check_id, typed):
    assert status(check_id, typed) == "incorrect"


def test_number_words_of_any_size_are_read_but_ordinals_stay_words():
    assert judge("thirty-two", "32") == "right" and judge("three hundred twenty updates", "320 updates") == "right"
    assert judge("thirty-three", "32") == "wrong"
    assert judge("per second", "per second") == "right" and judge("second", "2") == "wrong"
