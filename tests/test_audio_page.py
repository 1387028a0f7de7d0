"""The Lesson page places a read-aloud player wherever there is text to listen to (AppTest)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def players(at) -> dict[str, dict]:
    """The players on the page, by kind, with the data each was handed."""
    found = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name == "batchwise_audio":
            data = json.loads(element.proto.json)
            found[data["kind"]] = data
    return found


def test_the_lesson_opens_with_the_summary_and_the_conversation_to_listen_to(app_test):
    at = app_test("pages/lesson.py")
    on_page = players(at)
    assert set(on_page) == {"summary", "dialogue"}
    dialogue = on_page["dialogue"]
    assert dialogue["language"] == "en"
    assert [t["title"] for t in dialogue["tracks"]] == ["Understanding epochs", "Iterations in training",
                                                         "Why batch size matters", "Monitoring loss and accuracy"]
    assert on_page["summary"]["tracks"][0]["title"] == "Quick summary"


@pytest.mark.parametrize("level", ["Standard", "Detailed"])
def test_the_summary_player_reads_the_level_shown(app_test, level):
    at = app_test("pages/lesson.py")
    at.segmented_control(key="summary_level").set_value(level).run()
    if level == "Detailed":  # folded: its player is built when it is opened
        assert "summary" not in players(at)
        at.session_state["summary_detailed"] = True
        at.run()
    assert players(at)["summary"]["tracks"][0]["title"] == f"{level} summary"


def test_the_explanations_tab_has_its_own_player(app_test):
    at = app_test("pages/lesson.py", query={"tab": "Explanations"})
    topics = players(at)["topics"]
    assert topics["tracks"][0]["lines"][0]["sentences"][0]["spoken"] == "Epochs, iterations and batch size together."


def test_a_lesson_added_as_files_is_heard_with_no_code_change(app_test, tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "tests" / "fixtures" / "lessons" / "mini-lesson", content / "mini-lesson")
    monkeypatch.setenv("BATCHWISE_CONTENT_DIR", str(content))
    at = app_test("pages/lesson.py", query={"lesson": "mini-lesson"})
    dialogue = players(at)["dialogue"]
    assert dialogue["lesson"] == "mini-lesson"
    assert [l["speaker"] for l in dialogue["tracks"][0]["lines"]] == ["Teacher", "Student 1"]
