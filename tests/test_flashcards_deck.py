"""The deck: cards from the glossary (both ways), key concepts, misconceptions, hand-written."""
from __future__ import annotations

from engine.flashcards import build_deck
from tests.flashcards_support import lesson


def test_glossary_makes_two_cards_per_term_with_stable_ids():
    deck = build_deck(lesson())
    forward = deck.get("cards-lesson/term/epoch/forward")
    backward = deck.get("cards-lesson/term/epoch/backward")
    assert forward.front == "Epoch" and forward.back.startswith("One full pass")
    assert backward.front == forward.back and backward.back == "Epoch"
    assert forward.sibling_group == backward.sibling_group
    assert "epochs" in backward.alternatives


def test_concepts_misconceptions_and_handwritten_cards_are_in_the_deck():
    ids = {c.id for c in build_deck(lesson())}
    assert {"cards-lesson/concept/iterations-per-epoch",
            "cards-lesson/misconception/epoch-is-iteration",
            "cards-lesson/card/updates-1000-100"} <= ids
    assert len(ids) == 4 * 2 + 3


def test_fixing_a_typo_keeps_the_card_id_and_fsrs_id():
    original = lesson()
    fixed_term = original.glossary[0].model_copy(update={"definition": "One full pass (fixed typo)."})
    fixed = original.model_copy(update={"glossary": [fixed_term, *original.glossary[1:]]})
    a = build_deck(original).get("cards-lesson/term/epoch/forward")
    b = build_deck(fixed).get("cards-lesson/term/epoch/forward")
    assert a.back != b.back and (a.id, a.fsrs_id) == (b.id, b.fsrs_id)


def test_only_short_answers_can_be_typed():
    deck = build_deck(lesson())
    assert deck.get("cards-lesson/term/epoch/backward").typable
    assert not deck.get("cards-lesson/term/epoch/forward").typable  # a whole definition
    assert not deck.get("cards-lesson/concept/iterations-per-epoch").typable


def test_fsrs_ids_are_distinct():
    deck = build_deck(lesson())
    assert len({c.fsrs_id for c in deck}) == len(deck)


def test_the_term_is_hidden_where_its_definition_names_it():
    original = lesson()
    term = original.glossary[0].model_copy(
        update={"definition": "Epochs repeat: an EPOCH is one full pass (not epochal)."})
    changed = original.model_copy(update={"glossary": [term, *original.glossary[1:]]})
    card = build_deck(changed).get("cards-lesson/term/epoch/backward")
    assert card.front == "… repeat: an … is one full pass (not epochal)."
    assert build_deck(changed).get("cards-lesson/term/epoch/forward").back == term.definition
