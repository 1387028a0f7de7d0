"""A rating answers one showing of a card: saved once from any session, or refused if stale."""
from __future__ import annotations

import pytest
from fsrs import Rating

from engine.flashcards import store
from engine.flashcards.showing import Showing, showing_of
from tests.flashcards_support import T0, engine_and_learner

CARD = "cards-lesson/term/epoch/forward"


def test_the_same_showing_has_the_same_token_in_every_session_and_a_new_one_after_a_rating():
    engine, learner = engine_and_learner()
    first = showing_of(CARD, store.load_progress(engine, learner.id))
    assert first == Showing(CARD, 0) and first.token == Showing(CARD, 0).token
    assert len(first.token) <= 64
    store.record_review(engine, learner.id, CARD, Rating.Again, token=first.token,
                        answers_version=0, now=T0)
    second = showing_of(CARD, store.load_progress(engine, learner.id))
    assert second.version == 1 and second.token != first.token
    assert Showing(CARD, 0).token != Showing("cards-lesson/term/iteration/forward", 0).token


def test_a_rating_sent_again_from_a_fresh_session_is_saved_once():
    engine, learner = engine_and_learner()
    shown = Showing(CARD, 0)
    saved = store.record_review(engine, learner.id, CARD, Rating.Good, token=shown.token,
                                answers_version=0, now=T0)
    again = store.record_review(engine, learner.id, CARD, Rating.Good, token=shown.token,
                                answers_version=0, now=T0)
    assert again.duplicate and again.review.id == saved.review.id
    assert len(store.load_reviews(engine, learner.id)) == 1


def test_a_rating_of_a_card_rated_since_is_refused_not_stacked():
    engine, learner = engine_and_learner()
    other_tab = Showing(CARD, 0)
    store.record_review(engine, learner.id, CARD, Rating.Good, token="the-other-tab",
                        answers_version=0, now=T0)
    with pytest.raises(store.StaleShowing):
        store.record_review(engine, learner.id, CARD, Rating.Easy, token=other_tab.token,
                            answers_version=0, now=T0)
    assert [r.rating for r in store.load_reviews(engine, learner.id)] == [Rating.Good]


@pytest.mark.parametrize("text", [None, "", "7", "x~card", "1~", "-1~card", "1~a b",
                                  "1~" + "a" * 201, "99999999999~card", ["1~card"]])
def test_an_address_that_names_no_showing_is_ignored(text):
    assert Showing.from_param(text) is None


def test_a_showing_goes_through_the_address_unchanged():
    shown = Showing(CARD, 12)
    assert Showing.from_param(shown.to_param()) == shown
