"""Lenient typed-answer checking: forgive form, never a different number."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.lenient import judge, matches, numbers


@pytest.mark.parametrize("typed", ["Epoch", " epoch. ", "EPOCH!", "an epoch", "Épóch"])
def test_case_spacing_punctuation_article_and_accents_are_forgiven(typed):
    assert matches(typed, "epoch")


@pytest.mark.parametrize("typed", ["320", "320.0", "320 updates", "320 weight updates", "Three-hundred-twenty"[:0] + "320!"])
def test_same_number_in_any_form_is_right(typed):
    assert judge(typed, "320 weight updates") == "right"


@pytest.mark.parametrize("typed", ["32", "3200", "3 2", "32 0"])
def test_a_different_number_is_wrong_never_close(typed):
    assert judge(typed, "320 weight updates") == "wrong"


def test_extra_words_that_change_the_meaning_are_wrong():
    assert judge("320 epochs", "320 weight updates") == "wrong"


def test_number_words_and_grouping():
    assert matches("1 epoch", "one epoch")
    assert matches("one time", "1 time")
    assert matches("1,000", "1000")
    assert numbers("1,000 samples at 90 %") == [Decimal(1000), Decimal("0.9")]


def test_decimal_point_is_not_swallowed_by_punctuation_rules():
    assert judge("09", "0.9") == "wrong"
    assert judge("90%", "0.9") == "right"


@pytest.mark.parametrize("typed", ["accuracy, loss", "the loss and the accuracy", "Loss & accuracy"])
def test_list_answers_in_any_order(typed):
    assert matches(typed, "loss and accuracy", ["loss, accuracy"])


def test_spelling_slip_in_a_word_is_close():
    assert judge("epoc", "epoch") == "close"
    assert judge("batch", "epoch") == "wrong"
    assert judge("   ", "epoch") == "blank"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(min_size=1, max_size=40))
def test_never_raises_on_any_text(typed, answer):
    assert judge(typed, answer, [answer.upper()]) in {"right", "close", "wrong", "blank"}
