"""The flashcard and progress pages, driven as a student would (AppTest)."""
from __future__ import annotations

import re

import pytest
from fsrs import Rating

from engine import db
from signin_support import learner_of, recovery_code
from engine.flashcards import store
from engine.learners import create_learner, resume
from tests.flashcards_support import CONTENT_DIR

PAGE = "pages/flashcards.py"


@pytest.fixture(autouse=True)
def _fixture_lesson(monkeypatch):
    monkeypatch.setenv("BATCHWISE_CONTENT_DIR", str(CONTENT_DIR))


def start(app_test, name="Sam", page=PAGE):
    at = app_test(page)
    assert not at.exception
    at.text_input(key="learner_new_name").input(name)
    at.button(key="FormSubmitter:learner_new-Start").click().run()
    assert not at.exception
    return at


def front(at) -> str:
    return at.markdown[0].value if at.markdown else ""


def metrics(at) -> dict[str, str]:
    """The metrics on the page; on the flashcards page, also today's counts line."""
    found = {m.label: m.value for m in at.metric}
    for m in at.markdown:
        line = re.fullmatch(r":blue-badge\[\*\*(\d+)\*\* new today\] :orange-badge\[\*\*(\d+)\*\* "
                            r"learning\] :green-badge\[\*\*(\d+)\*\* to review\]", m.value)
        if line:
            found.update(zip(("New today", "Learning", "To review"), line.groups()))
    return found


def rating(at, n: int):
    """The rating button for Again (1) … Easy (4) of the card on screen."""
    (button,) = [b for b in at.button if b.key and b.key.startswith(f"fc_rate_{n}_")]
    return button


def test_asks_who_is_studying_first(app_test):
    at = app_test(PAGE)
    assert not at.exception
    assert at.text_input(key="learner_new_name") is not None
    assert "Start with your name" in at.info[0].value
    assert not [b for b in at.button if b.key == "fc_reveal"]


def test_whole_review_loop_create_reveal_rate_summary(app_test):
    at = start(app_test)
    assert "learner" not in at.query_params and learner_of(at)  # signed in, nothing in the URL
    assert metrics(at)["New today"] == "7"
    learner_id = learner_of(at).id
    at.number_input(key=f"fc_new_per_day_{learner_id}").set_value(2).run()
    assert metrics(at)["New today"] == "2"

    first = [m.value for m in at.markdown if m.value.startswith("### ")][0]
    assert first == "### Epoch"
    assert not [b for b in at.button if b.key and b.key.startswith("fc_rate_")]  # not yet revealed
    at.button(key="fc_reveal").click().run()
    assert any("One full pass" in m.value for m in at.markdown)
    labels = [rating(at, i).label for i in range(1, 5)]
    assert labels == ["Again · 1 min", "Hard · 6 min", "Good · 10 min", "Easy · 8 d"]

    rating(at, 4).click().run()        # Easy: learned, out of today's queue
    assert not at.exception
    assert [m.value for m in at.markdown if m.value.startswith("### ")][0] == "### Iteration"
    at.button(key="fc_reveal").click().run()
    rating(at, 1).click().run()        # Again: back in a minute
    assert metrics(at)["Learning"] == "1" and metrics(at)["New today"] == "0"
    # The forgotten card comes straight back (learn-ahead), rated Easy this time.
    assert any(m.value == "### Iteration" for m in at.markdown)
    at.button(key="fc_reveal").click().run()
    rating(at, 4).click().run()

    (done,) = [s.value for s in at.success if "Done for now" in s.value]
    # It says what comes next: more new cards tomorrow, under the daily-limit setting.
    assert "9 more are waiting and 2 of them come tomorrow" in done
    assert "New cards per day" in done
    summary = metrics(at)
    assert summary["Reviews"] == "3" and summary["Cards"] == "2" and summary["New cards"] == "2"
    assert summary["Remembered"] == "67%"
    assert any("Again: 1" in t.value and "Easy: 2" in t.value for t in at.text)


def test_undo_last_rating_shows_the_card_again(app_test):
    at = start(app_test)
    at.button(key="fc_reveal").click().run()
    rating(at, 3).click().run()
    assert metrics(at)["Learning"] == "1"
    at.button(key="fc_undo").click().run()
    assert not at.exception
    assert metrics(at)["Learning"] == "0" and metrics(at)["New today"] == "7"
    assert [m.value for m in at.markdown if m.value.startswith("### ")][0] == "### Epoch"
    learner = learner_of(at)
    assert store.load_reviews(db.connect(), learner.id) == []


def test_progress_survives_a_new_app_run_on_the_same_database(app_test):
    at = start(app_test)
    code = recovery_code(at)
    at.button(key="fc_reveal").click().run()
    rating(at, 4).click().run()
    # A new AppTest is a new session on a fresh script run: as a reload or a restart.
    again = app_test(PAGE, query={"learner": code})
    assert not again.exception
    assert metrics(again)["New today"] == "6"
    assert [m.value for m in again.markdown if m.value.startswith("### ")][0] == "### Iteration"
    assert any(t.value == "Sam" for t in again.sidebar.text)


def test_garbled_and_unknown_codes_get_a_message_and_a_fresh_start(app_test):
    at = app_test(PAGE, query={"learner": "not-a-code"})
    assert not at.exception
    assert "incomplete or mistyped" in at.error[0].value
    assert "learner" not in at.query_params  # a code never stays in the address
    assert at.text_input(key="learner_new_name") is not None  # a fresh start is right there
    unknown = app_test(PAGE, query={"learner": "A" * 24})
    assert "No learner has that recovery code" in unknown.error[0].value


def test_resume_with_a_typed_code(app_test):
    learner = create_learner(db.connect(), "Kim")
    at = app_test(PAGE)
    at.text_input(key="learner_resume_code").input(f" {learner.code} ")
    at.button(key="FormSubmitter:learner_resume-Resume").click().run()
    assert not at.exception and "learner" not in at.query_params and learner_of(at).id == learner.id
    assert any(t.value == "Kim" for t in at.sidebar.text)


def test_typed_answer_mode_checks_leniently_and_suggests_a_rating(app_test):
    engine = db.connect()
    learner = create_learner(engine, "Typist")
    # Learn the six cards before the hand-written one, so it comes up next.
    for card_id in ["epoch", "iteration", "batch-size", "learning-rate"]:
        store.record_review(engine, learner.id, f"cards-lesson/term/{card_id}/forward", Rating.Easy)
    for card_id in ["concept/iterations-per-epoch", "misconception/epoch-is-iteration"]:
        store.record_review(engine, learner.id, f"cards-lesson/{card_id}", Rating.Easy)
    store.save_settings(engine, learner.id, store.Settings(typed_answers=True))
    at = app_test(PAGE, query={"learner": learner.code})
    assert "How many weight updates" in [m.value for m in at.markdown if m.value.startswith("### ")][0]
    token_key = next(t.key for t in at.text_input if t.key.startswith("fc_typed_"))
    at.text_input(key=token_key).input("  TEN. ")
    at.button(key=f"FormSubmitter:fc_typed_form_{token_key.removeprefix('fc_typed_')}-Check").click().run()
    assert not at.exception
    assert at.success[0].value == "Right!"
    assert rating(at, 3).proto.type == "primary"  # Good suggested
    rating(at, 3).click().run()
    assert store.load_reviews(engine, learner.id)[-1].typed_verdict == "right"


def test_progress_page_shows_counts_forecast_retention_and_exports(app_test):
    at = start(app_test, page=PAGE)
    at.button(key="fc_reveal").click().run()
    rating(at, 4).click().run()
    code = recovery_code(at)
    prog = app_test("pages/progress.py", query={"learner": code})
    assert not prog.exception
    m = metrics(prog)
    assert m["New today"] == "6" and m["To review"] == "0"
    assert m["Remembered when reviewed, all time"] == "–"
    (remembered,) = [x for x in prog.metric if x.label == "Remembered when reviewed, all time"]
    assert "not rated Again" in remembered.proto.help
    (chart,) = prog.get("vega_lite_chart")
    assert "Cards due" in chart.proto.spec and "Still learning" in chart.proto.spec
    downloads = prog.get("download_button")
    assert len(downloads) == 3


def test_progress_page_asks_for_a_learner(app_test):
    at = app_test("pages/progress.py")
    assert not at.exception and "to see your progress" in at.info[0].value


def test_the_shipped_lesson_gives_twenty_new_cards_a_day(app_test, monkeypatch):
    monkeypatch.delenv("BATCHWISE_CONTENT_DIR")
    at = start(app_test, name="Real lesson")
    assert not at.exception and metrics(at)["New today"] == "20"
    at.button(key="fc_reveal").click().run()
    rating(at, 3).click().run()
    assert not at.exception and metrics(at)["New today"] == "19" and metrics(at)["Learning"] == "1"


def test_switching_learner_starts_a_fresh_session(app_test):
    at = start(app_test, name="First")
    at.button(key="fc_reveal").click().run()
    rating(at, 3).click().run()
    assert at.button(key="fc_undo")
    at.button(key="learner_switch").click().run()
    assert "learner" not in at.query_params
    at.text_input(key="learner_new_name").input("Second")
    at.button(key="FormSubmitter:learner_new-Start").click().run()
    assert not at.exception
    assert metrics(at)["New today"] == "7" and metrics(at)["Learning"] == "0"
    assert not [b for b in at.button if b.key == "fc_undo"]  # nothing of First's to undo


def test_an_unreachable_database_gets_a_message_not_a_traceback(app_test, monkeypatch):
    monkeypatch.setenv("BATCHWISE_DATABASE_URL",
                       "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    at = app_test(PAGE, query={"learner": "A" * 24})
    assert not at.exception
    assert "can't reach its database" in at.error[0].value  # ui.errors: no address, no path


def headings(at) -> list[str]:
    return [m.value for m in at.main.markdown if m.value.startswith("### ")]


def learner_id_of(at) -> int:
    return learner_of(at).id


def test_lowering_new_cards_to_zero_takes_the_new_card_off_the_screen(app_test):
    at = start(app_test)
    assert headings(at) == ["### Epoch"]
    at.number_input(key=f"fc_new_per_day_{learner_id_of(at)}").set_value(0).run()
    assert not at.exception
    assert metrics(at)["New today"] == "0"
    assert headings(at) == [] and not [b for b in at.button if b.key == "fc_reveal"]
    assert "New cards per day is 0" in at.info[0].value
    # Raising it again brings the first new card back.
    at.number_input(key=f"fc_new_per_day_{learner_id_of(at)}").set_value(1).run()
    assert headings(at) == ["### Epoch"] and metrics(at)["New today"] == "1"


@pytest.mark.parametrize("typed, shown", [(None, "left the box empty"), (-1, "typed -1"), (1000, "typed 1000")])
def test_new_cards_per_day_outside_the_range_says_what_is_allowed(app_test, typed, shown):
    at = start(app_test)
    key = f"fc_new_per_day_{learner_id_of(at)}"
    at.number_input(key=key).set_value(3).run()
    at.number_input(key=key).set_value(typed).run()
    assert not at.exception
    (error,) = at.error
    assert "from 0 to 500" in error.value and f"(you {shown})" in error.value
    assert "stays at 3" in error.value
    # The box shows the kept value and nothing changed: not 0, not ignored in silence.
    assert at.number_input(key=key).value == 3
    assert metrics(at)["New today"] == "3" and headings(at) == ["### Epoch"]
    assert store.load_settings(db.connect(), learner_id_of(at)).new_per_day == 3
    assert "0 to 500" in at.number_input(key=key).label
    at.number_input(key=key).set_value(4).run()
    assert not at.error and metrics(at)["New today"] == "4"


def test_typed_mode_brings_cards_that_take_a_typed_answer_first(app_test):
    at = start(app_test)
    assert headings(at) == ["### Epoch"]
    assert any("press Space" in c.value for c in at.caption)
    at.toggle(key=f"fc_typed_mode_{learner_id_of(at)}").set_value(True).run()
    assert not at.exception
    # At once, the card on screen asks for a term, with a box to type it in.
    assert headings(at) == ["### One full pass of the whole training dataset through the network."]
    assert [t for t in at.text_input if t.key.startswith("fc_typed_")]
    assert any("5 of today's cards are like that" in c.value for c in at.caption)
    # The hint says Enter, not Space: a Space shortcut would fire while typing.
    assert any("press Enter to check it" in c.value for c in at.caption)
    assert not any("Space" in c.value for c in at.caption)
    assert at.button(key="fc_reveal").proto.shortcut == ""
    token_key = next(t.key for t in at.text_input if t.key.startswith("fc_typed_"))
    at.text_input(key=token_key).input("epoch")
    at.button(key=f"FormSubmitter:fc_typed_form_{token_key.removeprefix('fc_typed_')}-Check").click().run()
    assert "Right!" in [s.value for s in at.success]


def test_a_new_learner_is_shown_their_recovery_code_once_and_never_in_the_url(app_test):
    at = start(app_test)
    code = recovery_code(at)
    assert code in [c.value for c in at.main.code]
    assert "learner" not in at.query_params and not any(code in str(v) for v in at.query_params.values())
    assert any("Your recovery code" in s.value for s in at.success)
    assert code not in [c.value for c in at.sidebar.code]  # shown once, not kept on screen
    at.button(key="learner_saved_link").click().run()
    assert not at.exception
    assert code not in [c.value for c in at.main.code]
    # A returning learner (an old link) is signed in, not shown the callout, and the code
    # leaves the address bar.
    again = app_test(PAGE, query={"learner": code})
    assert not any("recovery code" in s.value for s in again.success)
    assert "learner" not in again.query_params and learner_of(again).display_name == "Sam"


def test_a_pasted_link_of_another_learner_asks_before_switching(app_test):
    other = create_learner(db.connect(), "Other")
    at = start(app_test, name="Me")
    at.query_params["learner"] = other.code
    at.run()
    assert not at.exception and "learner" not in at.query_params
    assert learner_of(at).display_name == "Me"  # not switched silently
    assert any("signs in someone else" in w.value and "Other" in w.value for w in at.warning)
    at.button(key="learner_switch_stay").click().run()
    assert learner_of(at).display_name == "Me" and not at.warning
    at.query_params["learner"] = other.code
    at.run()
    at.button(key="learner_switch_go").click().run()
    assert learner_of(at).display_name == "Other"


def test_counts_are_one_short_line_not_three_stacked_metrics(app_test):
    at = start(app_test)
    assert not [m for m in at.metric if m.label in ("New today", "Learning", "To review")]
    (line,) = [m for m in at.markdown if "new today" in m.value]
    assert metrics(at)["New today"] == "7" and "learning" in line.value and "to review" in line.value


def test_a_revealed_card_is_in_the_address_and_a_fresh_session_can_rate_it_once(app_test):
    at = start(app_test)
    at.button(key="fc_reveal").click().run()
    code, card = recovery_code(at), at.query_params["card"]
    assert card == "0~cards-lesson/term/epoch/forward"
    # The server restarts: a new session, with only the address to go on.
    fresh = app_test(PAGE, query={"learner": code, "card": card})
    assert not fresh.exception
    assert headings(fresh) == ["### Epoch"] and any("One full pass" in m.value for m in fresh.markdown)
    rating(fresh, 3).click().run()
    assert not fresh.exception and "card" not in fresh.query_params
    learner = resume(db.connect(), code)
    assert [r.rating for r in store.load_reviews(db.connect(), learner.id)] == [Rating.Good]
    assert headings(fresh) == ["### Iteration"] and not fresh.warning
    # The old tab, still showing Epoch revealed, rates it too: refused, with what happened.
    rating(at, 4).click().run()
    assert not at.exception
    assert "already been rated" in at.warning[0].value
    assert [r.rating for r in store.load_reviews(db.connect(), learner.id)] == [Rating.Good]


def test_an_address_naming_a_card_already_rated_says_so(app_test):
    at = start(app_test)
    at.button(key="fc_reveal").click().run()
    code, card = recovery_code(at), at.query_params["card"]
    rating(at, 4).click().run()
    stale = app_test(PAGE, query={"learner": code, "card": card})
    assert not stale.exception
    assert "already been rated" in stale.warning[0].value and "that rating is saved" in stale.warning[0].value
    assert headings(stale) == ["### Iteration"] and "card" not in stale.query_params
    odd = app_test(PAGE, query={"learner": code, "card": "0~no/such/card"})
    assert not odd.exception and not odd.warning and headings(odd) == ["### Iteration"]
