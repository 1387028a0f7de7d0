"""My progress shows the flashcard report and the learner's own quiz results."""
from __future__ import annotations

from engine import db
from engine.learners import create_learner
from engine.quiz import history
from engine.quiz.session import ItemResult


def test_progress_page_asks_who_you_are_first(app_test):
    at = app_test("pages/progress.py")
    assert not at.exception
    assert any("Start with your name" in i.value for i in at.info)


def test_progress_page_lists_only_this_learners_quizzes(app_test):
    engine = db.connect()
    ada, bob = create_learner(engine, "Ada"), create_learner(engine, "Bob")
    history.save(engine, ada.id, "quiz-ada", "mixed",
                 [(0, ItemResult("iterations-per-epoch", 5, True, 1, True, 1.0, ())),
                  (1, ItemResult("total-iterations", 6, False, 3, False, 0.0, ("forgot-epochs",)))])
    history.save(engine, bob.id, "quiz-bob", "chosen",
                 [(0, ItemResult("last-batch-size", 9, True, 1, True, 1.0, ()))])
    at = app_test("pages/progress.py", query={"learner": ada.code})
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "Quizzes" in headers
    (latest,) = [df.value for df in at.dataframe if "Kind of quiz" in df.value.columns]
    assert latest.to_dict("records") == [{"Finished": latest["Finished"][0], "Kind of quiz": "Mixed review",
                                          "Questions": 2, "Right": 1, "Score": "50 %"}]


def test_progress_page_without_quizzes_points_to_the_quiz(app_test):
    engine = db.connect()
    ada = create_learner(engine, "Ada")
    at = app_test("pages/progress.py", query={"learner": ada.code})
    assert not at.exception
    assert any("No quiz finished yet" in i.value for i in at.info)
