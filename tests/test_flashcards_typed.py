"""Typed answers are graded leniently before the student rates."""
from __future__ import annotations

import pytest
from fsrs import Rating

from engine.flashcards import check_typed
from tests.flashcards_support import deck

EPOCH_BACK = "cards-lesson/term/epoch/backward"
BATCH_BACK = "cards-lesson/term/batch-size/backward"


@pytest.mark.parametrize("typed", ["Epoch", "epoch", "  EPOCH  ", "epoch.", "an epoch",
                                   "Epochs", "training   epoch", "Époch"])
def test_case_spacing_punctuation_and_alternatives_are_forgiven(typed):
    v = check_typed(deck().get(EPOCH_BACK), typed)
    assert v.verdict == "right" and v.suggested == Rating.Good


@pytest.mark.parametrize("typed", ["batch size", "Batch-size", "batchsize", "mini-batch size"])
def test_multiword_answers(typed):
    assert check_typed(deck().get(BATCH_BACK), typed).verdict == "right"


def test_a_spelling_slip_is_close_not_wrong():
    v = check_typed(deck().get(EPOCH_BACK), "epoc")
    assert v.verdict == "close" and v.suggested == Rating.Hard


def test_a_wrong_answer_is_wrong_and_shows_the_answer():
    v = check_typed(deck().get(EPOCH_BACK), "iteration")
    assert v.verdict == "wrong" and v.expected == "Epoch" and v.suggested == Rating.Again


@pytest.mark.parametrize("typed", ["", "   ", "..."])
def test_blank_is_blank(typed):
    assert check_typed(deck().get(EPOCH_BACK), typed).verdict == "blank"


def test_numbers_and_their_words():
    card = deck().get("cards-lesson/card/updates-1000-100")
    assert check_typed(card, "10").verdict == "right"
    assert check_typed(card, "Ten").verdict == "right"
    assert check_typed(card, "100").verdict != "right"
