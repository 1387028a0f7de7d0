"""Exports can be read back: the CSV parses, the JSON loads, the .apkg is a real Anki deck."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile

from fsrs import Rating

from engine.flashcards import export, store
from tests.flashcards_support import T0, deck, engine_and_learner

CARD = "cards-lesson/term/epoch/forward"


def test_csv_has_every_card_and_its_progress():
    engine, learner = engine_and_learner()
    d = deck()
    store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)
    rows = list(csv.DictReader(io.StringIO(export.progress_csv(d, store.load_progress(engine, learner.id)))))
    assert [r["card_id"] for r in rows] == [c.id for c in d]
    epoch = next(r for r in rows if r["card_id"] == CARD)
    assert epoch["status"] == "review" and epoch["reviews"] == "1"
    assert epoch["due_utc"].endswith("+00:00") and epoch["back"].startswith("One full pass")
    assert next(r for r in rows if r["card_id"].endswith("iteration/forward"))["status"] == "new"


def test_csv_survives_commas_quotes_and_newlines():
    d = deck()
    rows = list(csv.DictReader(io.StringIO(export.progress_csv(d, {}))))
    misconception = next(r for r in rows if "misconception" in r["card_id"])
    assert "\n\nWhat is right:" in misconception["back"]
    assert next(r for r in rows if r["card_id"].endswith("updates-1000-100"))["front"].startswith("1,000 samples")


def test_review_log_json_loads():
    engine, learner = engine_and_learner()
    first = store.record_review(engine, learner.id, CARD, Rating.Good, now=T0)
    store.record_review(engine, learner.id, CARD, Rating.Again, now=first.progress.due)
    data = json.loads(export.review_log_json(store.load_reviews(engine, learner.id), deck()))
    assert [r["rating_name"] for r in data["reviews"]] == ["Good", "Again"]
    assert data["reviews"][0]["reviewed_at"] == "2025-01-06T09:00:00+00:00"
    assert data["reviews"][0]["front"] == "Epoch" and data["reviews"][0]["state_before"] == "New"


def _notes(apkg: bytes, tmp_path):
    with zipfile.ZipFile(io.BytesIO(apkg)) as z:
        assert "collection.anki2" in z.namelist()
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(tmp_path / "c.anki2")
    try:
        notes = con.execute("select guid, mid, flds, tags from notes").fetchall()
        decks = json.loads(con.execute("select decks from col").fetchone()[0])
    finally:
        con.close()
    return notes, decks


def test_apkg_is_an_anki_deck_with_every_card(tmp_path):
    d = deck()
    notes, decks = _notes(export.anki_package(d, "Batchwise: test"), tmp_path)
    assert len(notes) == len(d)
    fields = [n[2].split("\x1f") for n in notes]
    epoch = next(f for f in fields if f[3] == CARD)
    assert epoch[0] == "Epoch" and epoch[1].startswith("One full pass")
    assert {n[1] for n in notes} == {export.ANKI_MODEL_ID}
    assert any(v["name"] == "Batchwise: test" for v in decks.values())
    misconception = next(f for f in fields if "misconception" in f[3])
    assert "<br><br>What is right:" in misconception[1]  # line breaks kept as HTML


def test_apkg_ids_are_stable_so_reimporting_updates_notes(tmp_path):
    d = deck()
    a, _ = _notes(export.anki_package(d, "Batchwise: test"), tmp_path)
    b, _ = _notes(export.anki_package(d, "Batchwise: test"), tmp_path)
    assert sorted(n[0] for n in a) == sorted(n[0] for n in b)
    assert export.anki_deck_id("Batchwise: test") == export.anki_deck_id("Batchwise: test")
