"""Flashcards with FSRS spaced repetition: the deck, today's queue, saved progress, stats.

    deck = build_deck(lesson)
    progress = store.load_progress(engine, learner.id)
    queue = build_queue(deck, progress, store.load_reviews(engine, learner.id, since=day_start),
                        store.load_settings(engine, learner.id), now, tz)
    card = queue.next_card(now)
    store.record_review(engine, learner.id, card.id, Rating.Good, token=token)
"""
from . import export, schedule, stats, store
from .deck import Deck, DeckCard, build_deck
from .queue import Queue, build_queue, day_bounds, todays_queue
from .typed import TypedVerdict, check_typed

__all__ = ["Deck", "DeckCard", "Queue", "TypedVerdict", "build_deck", "build_queue",
           "check_typed", "day_bounds", "export", "schedule", "stats", "store", "todays_queue"]
