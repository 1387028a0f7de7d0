"""Exports: the deck with progress as CSV, the review log as JSON, an Anki .apkg deck.

Every export is built in memory and returned as text or bytes for a download button. The Anki
model and deck ids are fixed/derived from content ids, so importing a newer export into Anki
updates the same notes instead of duplicating them.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import tempfile

import genanki

from .deck import Deck, DeckCard
from .store import Progress, Review

CSV_COLUMNS = ["card_id", "lesson", "kind", "prompt", "front", "back", "alternatives",
               "status", "due_utc", "last_review_utc", "stability_days", "difficulty",
               "reviews", "lapses"]

# Chosen once at random and never changed: Anki recognises the note type by this id.
ANKI_MODEL_ID = 1_794_205_318
ANKI_MODEL = genanki.Model(
    ANKI_MODEL_ID, "Batchwise card",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Prompt"}, {"name": "CardId"}],
    templates=[{
        "name": "Card",
        "qfmt": '<div class="prompt">{{Prompt}}</div><div class="front">{{Front}}</div>',
        "afmt": '{{FrontSide}}<hr id="answer"><div class="back">{{Back}}</div>',
    }],
    css=".card{font-family:sans-serif;font-size:20px;text-align:center}"
        ".prompt{font-size:14px;color:#666;margin-bottom:12px}",
    sort_field_index=1,
)


def _status(p: Progress | None) -> str:
    return "new" if p is None else p.state.name.lower()


def progress_csv(deck: Deck, progress: dict[str, Progress]) -> str:
    """One row per card in the deck, with where the learner stands on it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for card in deck:
        p = progress.get(card.id)
        writer.writerow({
            "card_id": card.id, "lesson": card.lesson_id, "kind": card.kind,
            "prompt": card.prompt, "front": card.front, "back": card.back,
            "alternatives": " | ".join(card.alternatives), "status": _status(p),
            "due_utc": p.due.isoformat() if p else "",
            "last_review_utc": p.card.last_review.isoformat() if p and p.card.last_review else "",
            "stability_days": f"{p.card.stability:.2f}" if p and p.card.stability else "",
            "difficulty": f"{p.card.difficulty:.2f}" if p and p.card.difficulty else "",
            "reviews": p.reps if p else 0, "lapses": p.lapses if p else 0})
    return out.getvalue()


def review_log_json(reviews: list[Review], deck: Deck | None = None) -> str:
    """Every review, oldest first, with the card's front for readability."""
    items = []
    for r in reviews:
        item = r.to_dict()
        card = deck.get(r.card_id) if deck is not None else None
        item["front"] = card.front if card else None
        items.append(item)
    return json.dumps({"format": "batchwise-review-log", "version": 1, "reviews": items},
                      ensure_ascii=False, indent=2)


def anki_deck_id(name: str) -> int:
    # Anki ids are 64-bit signed; keep it positive and stable for the same deck name.
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:7], "big") + (1 << 30)


def _field(text: str) -> str:
    # Anki fields are HTML: escape the text, keep line breaks.
    return html.escape(text).replace("\n", "<br>")


def anki_note(card: DeckCard) -> genanki.Note:
    return genanki.Note(
        model=ANKI_MODEL,
        fields=[_field(card.front), _field(card.back), _field(card.prompt), card.id],
        guid=genanki.guid_for("batchwise", card.id),
        tags=[f"batchwise::{card.lesson_id}", f"batchwise::{card.kind}"])


def anki_package(deck: Deck, deck_name: str) -> bytes:
    """The deck as an Anki .apkg file (notes only; Anki schedules them afresh)."""
    anki = genanki.Deck(anki_deck_id(deck_name), deck_name)
    for card in deck:
        anki.add_note(anki_note(card))
    fd, path = tempfile.mkstemp(suffix=".apkg")
    os.close(fd)
    try:
        # A fixed timestamp keeps the file's ids reproducible for the same deck.
        genanki.Package(anki).write_to_file(path, timestamp=1_700_000_000)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)
