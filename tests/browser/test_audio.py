"""The lesson read aloud, in a real browser whose speech synthesis is a recorder.

speech_recorder.js (an init script, so it is in place before the page's own scripts) logs each
utterance with its voice, rate and pitch; the test plays the voice's part by saying when an
utterance ends or reaches a word, as a real voice would.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from engine.content import load_library
from engine.speech import dialogue_tracks
from tests.browser.conftest import (ROOT, _screenshot_on_failure, assert_no_error, start_server,
                                    stop_server, wait_for_app)

RECORDER = Path(__file__).with_name("speech_recorder.js")
LESSON = load_library(ROOT / "content").lessons["training-phases"]
PARTS = dialogue_tracks(LESSON)
INJECTED = '<img src=x onerror="window.__pwned=1"> <b>not bold</b>'
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def audio_url(tmp_path_factory, browser):
    """A server whose content is the shipped lesson plus a small lesson with markup in its text."""
    tmp = tmp_path_factory.mktemp("audio")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    mini = content / "mini-lesson"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lessons" / "mini-lesson", mini)
    dialogue = (mini / "dialogue.yaml").read_text()
    (mini / "dialogue.yaml").write_text(dialogue.replace("We might jump over the valley.", json.dumps(INJECTED)))
    proc, base = start_server(tmp, {"BATCHWISE_CONTENT_DIR": str(content)})
    yield base
    stop_server(proc)


@pytest.fixture
def open_lesson(browser, audio_url, request):
    """Open a page in a fresh context whose speech synthesis is the recorder: `voices` are the
    voices the device has (default: two English, one French), `absent` a browser without any."""
    contexts = []

    def open_(path="/lesson", viewport=LAPTOP, voices=None, absent=False, stored=None, **context_args):
        ctx = browser.new_context(viewport=viewport, **context_args)
        ctx.set_default_timeout(20_000)
        contexts.append(ctx)
        if stored is not None:
            ctx.add_init_script(f"localStorage.setItem('batchwise.audio.v1', {json.dumps(stored)});")
        if voices is not None or absent:
            ctx.add_init_script(f"window.__ttsVoices = {json.dumps(voices)}; window.__ttsAbsent = {json.dumps(absent)};")
        ctx.add_init_script(path=str(RECORDER))
        page = ctx.new_page()
        page.goto(audio_url + path)
        wait_for_app(page)
        assert_no_error(page)
        return page

    yield open_
    _screenshot_on_failure(request, [pg for ctx in contexts for pg in ctx.pages])
    for ctx in contexts:
        ctx.close()


def spoken(page) -> list[dict]:
    return page.evaluate("__tts.spoken()")


def finish(page) -> None:
    """The voice finishes the utterance it is reading."""
    assert page.evaluate("__tts.finish()"), "nothing was being read"


def conversation(page):
    player = page.get_by_role("region", name="Listen to the conversation")
    # The voices have loaded (a first mount on a busy machine can take a while: not a speed test).
    expect(player.get_by_role("status")).to_contain_text("Teacher:", timeout=20_000)
    return player


def test_play_reads_a_part_in_order_with_two_voices_and_the_highlight_follows(open_lesson):
    page = open_lesson()
    player = conversation(page)
    player.get_by_label("Speed").select_option("1.25")
    player.get_by_role("button", name="Play", exact=True).click()
    expect(player.get_by_role("button", name="Pause")).to_be_visible()

    part = PARTS[0]
    voices: dict[str, set[str]] = {"teacher": set(), "student": set()}
    for i, line in enumerate(part.lines):
        for sentence in line.sentences:
            expect(player.locator("li.bw-current")).to_contain_text(sentence.shown)
            expect(player.locator("li.bw-current .bw-now")).to_have_text(sentence.shown)
            last = spoken(page)[-1]
            assert last["text"] == sentence.spoken
            assert last["rate"] == 1.25
            voices[line.role].add(last["voice"])
            if i == 3:  # a line read exactly as written: the word being said is marked
                page.evaluate("__tts.boundary(4)")
                expect(player.locator("li.bw-current mark")).to_have_text("do")
            if "10 epochs" in sentence.shown:  # said as "ten epochs": the word is found all the same
                page.evaluate(f"__tts.boundary({sentence.spoken.index('epochs')})")
                expect(player.locator("li.bw-current mark")).to_have_text("epochs")
            finish(page)
    assert [e["text"] for e in spoken(page)] == [s.spoken for l in part.lines for s in l.sentences]
    assert len(voices["teacher"]) == 1 and len(voices["student"]) == 1
    assert voices["teacher"] != voices["student"]
    assert "Bubbles" not in voices["teacher"] | voices["student"]  # a joke voice is never picked
    pitches = {e["pitch"] for e in spoken(page)}
    assert len(pitches) > 1  # students do not all sound alike
    expect(player.get_by_role("status")).to_contain_text("Finished “Understanding epochs”")
    expect(player.get_by_role("button", name="Play", exact=True)).to_be_visible()


def test_pause_next_resume_and_play_all_parts(open_lesson):
    page = open_lesson()
    player = conversation(page)
    player.get_by_role("button", name="Play", exact=True).click()
    expect(player.locator("li.bw-current")).to_contain_text(PARTS[0].lines[0].sentences[0].shown)
    for _ in PARTS[0].lines[0].sentences:
        finish(page)
    expect(player.locator("li.bw-current")).to_contain_text("Student 1")

    player.get_by_role("button", name="Pause").click()
    assert page.evaluate("__tts.log.at(-1)") == {"cancel": True}
    expect(player.get_by_role("button", name="Resume")).to_be_visible()
    count = len(spoken(page))
    player.get_by_role("button", name="Next line").click()
    expect(player.locator("li.bw-current")).to_contain_text(PARTS[0].lines[2].sentences[0].shown)
    # Paused: moving says the line to a screen reader, but the voice stays quiet.
    expect(player.locator("[aria-live=polite]")).to_contain_text(f"Line 3 of {len(PARTS[0].lines)}, Teacher: Exactly!")
    assert len(spoken(page)) == count
    player.get_by_role("button", name="Resume").click()
    assert spoken(page)[-1]["text"] == PARTS[0].lines[2].sentences[0].spoken
    player.get_by_role("button", name="Previous line").click()
    assert spoken(page)[-1]["text"] == PARTS[0].lines[1].sentences[0].spoken

    # Play all: from the first part's first line, on into the next part.
    player.get_by_role("button", name="Play all parts").click()
    assert spoken(page)[-1]["text"] == PARTS[0].lines[0].sentences[0].spoken
    for line in PARTS[0].lines:
        for _ in line.sentences:
            finish(page)
    assert spoken(page)[-1]["text"] == PARTS[1].lines[0].sentences[0].spoken
    expect(player.get_by_label("Part")).to_have_value("1")
    expect(player.locator("li.bw-current")).to_contain_text("Next, iterations.")


def test_the_speed_and_voices_chosen_are_remembered_on_the_device(open_lesson):
    page = open_lesson()
    player = conversation(page)
    player.get_by_label("Speed").select_option("1.5")
    player.get_by_text("Voices", exact=True).click()
    teacher_voice = player.get_by_label("Teacher voice")
    student_voice = player.get_by_label("Students' voice")
    # The French voice is not offered for an English lesson.
    assert "Chloé" not in " ".join(teacher_voice.locator("option").all_inner_texts())
    first_teacher = teacher_voice.locator("option:checked").inner_text()
    other = student_voice.locator("option:checked").inner_text()
    teacher_voice.select_option(label=other)
    student_voice.select_option(label=first_teacher)

    page.reload()
    wait_for_app(page)
    player = conversation(page)
    expect(player.get_by_label("Speed")).to_have_value("1.5")
    player.get_by_role("button", name="Play", exact=True).click()
    for _ in PARTS[0].lines[0].sentences:  # the teacher's first line, then a student's
        finish(page)
    teacher_line, student_line = spoken(page)[0], spoken(page)[-1]
    assert teacher_line["voice"] == other.split(" (")[0]
    assert student_line["voice"] == first_teacher.split(" (")[0]
    assert teacher_line["rate"] == student_line["rate"] == 1.5


@pytest.mark.parametrize("stored", ['{"rate": "fast", "voices": 5}', "not json"])
def test_a_hand_edited_setting_on_the_device_falls_back_to_the_defaults(open_lesson, stored):
    page = open_lesson(stored=stored)
    player = conversation(page)
    expect(player.get_by_label("Speed")).to_have_value("1")
    player.get_by_text("Voices", exact=True).click()
    player.get_by_label("Teacher voice").select_option(index=1)  # and a new choice is saved
    assert json.loads(page.evaluate("localStorage.getItem('batchwise.audio.v1')"))["voices"]["en"]["teacher"]
    player.get_by_role("button", name="Play", exact=True).click()
    assert spoken(page)[-1]["rate"] == 1


@pytest.mark.parametrize("voices, absent, message", [
    ([], False, "This browser offers no voice to read aloud with"),
    ([{"name": "Chloé", "lang": "fr-FR", "voiceURI": "chloe", "localService": True, "default": True}],
     False, "This browser has no English voice"),
    (None, True, "This browser cannot read aloud"),
])
def test_without_a_voice_the_control_says_so(open_lesson, voices, absent, message):
    page = open_lesson(voices=voices, absent=absent)
    player = page.get_by_role("region", name="Listen to the conversation")
    # The browser is given a few seconds to load its voices before the player gives up.
    expect(player.get_by_role("status")).to_contain_text(message, timeout=20_000)
    expect(player.get_by_role("button", name="Play", exact=True)).to_be_disabled()
    expect(player.get_by_role("button", name="Play all parts")).to_be_disabled()


def test_with_one_voice_students_are_told_apart_by_pitch(open_lesson):
    page = open_lesson(voices=[{"name": "Ada", "lang": "en-GB", "voiceURI": "ada", "localService": True, "default": True}])
    player = page.get_by_role("region", name="Listen to the conversation")
    expect(player.get_by_role("status")).to_contain_text(
        "Only one English voice on this device, so students are read at a higher pitch", timeout=20_000)
    player.get_by_role("button", name="Play", exact=True).click()
    for _ in PARTS[0].lines[0].sentences:
        finish(page)
    teacher, student = spoken(page)[0], spoken(page)[-1]
    assert teacher["voice"] == student["voice"] == "Ada"
    assert student["pitch"] > teacher["pitch"]


def test_explanations_and_summary_are_read_and_one_player_speaks_at_a_time(open_lesson):
    page = open_lesson("/lesson?tab=Explanations")
    explanations = page.get_by_role("region", name="Listen to the explanations")
    expect(explanations.get_by_role("status")).to_contain_text("Voice:", timeout=20_000)
    explanations.get_by_role("button", name="Play", exact=True).click()
    assert spoken(page)[-1]["text"] == "Epochs, iterations and batch size together."
    finish(page)
    assert spoken(page)[-1]["text"].startswith("Training a model is organised in three nested units.")
    expect(explanations.locator("li.bw-current")).to_contain_text("The batch size is the number")
    # Another voice for the explanations: used at once, at the normal pitch, and saved as the
    # teacher's voice only (the students' voice stays the conversation player's to choose).
    explanations.get_by_text("Voices", exact=True).click()
    chosen = explanations.get_by_role("combobox", name=re.compile(r"^Voice"))
    chosen.select_option(index=1)
    name = chosen.locator("option:checked").inner_text().split(" (")[0]
    assert spoken(page)[-1]["voice"] == name and spoken(page)[-1]["pitch"] == 1
    saved = json.loads(page.evaluate("localStorage.getItem('batchwise.audio.v1')"))["voices"]["en"]
    assert saved == {"teacher": name.lower()}  # the recorder's voiceURI is the name in lower case

    summary = page.get_by_role("region", name="Listen to this summary")
    summary.get_by_role("button", name="Play", exact=True).click()
    assert spoken(page)[-1]["text"].startswith("A network trains in epochs (one full pass")
    expect(explanations.get_by_role("button", name="Resume")).to_be_visible()  # it stopped
    expect(summary.get_by_role("button", name="Pause")).to_be_visible()


def test_lesson_text_is_shown_as_text_never_as_markup(open_lesson):
    page = open_lesson("/lesson?lesson=mini-lesson")
    player = conversation(page)
    player.get_by_role("button", name="Next line").click()
    player.get_by_role("button", name="Next line").click()
    expect(player.locator("li.bw-current")).to_contain_text(INJECTED)
    assert player.locator("img").count() == 0 and player.locator("b").count() == 0
    player.get_by_role("button", name="Play", exact=True).click()
    assert spoken(page)[-1]["text"] == "not bold"  # markup is not read out either
    assert page.evaluate("window.__pwned") is None


def test_on_a_phone_the_controls_fit_and_are_big_enough_to_touch(open_lesson):
    page = open_lesson(viewport=PHONE, is_mobile=True, has_touch=True)
    player = conversation(page)
    player.get_by_role("button", name="Play all parts").tap()
    controls = player.locator("button, select, summary")
    assert controls.count() >= 6
    for i in range(controls.count()):
        box = controls.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], controls.nth(i).inner_text()
        assert box["height"] >= 44, controls.nth(i).inner_text()
        if controls.nth(i).evaluate("e => e.tagName") == "BUTTON":
            assert box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Deep into the part, the line being read is still in view inside the player's text box.
    for line in PARTS[0].lines[:6]:
        for _ in line.sentences:
            finish(page)
    in_view = """([item, box]) => {
        const a = item.getBoundingClientRect(), b = box.getBoundingClientRect();
        return a.top >= b.top - 1 && Math.min(a.bottom, a.top + b.height) <= b.bottom + 1;
    }"""
    item = player.locator("li.bw-current").element_handle()
    box = player.get_by_role("list", name="Text being read").element_handle()
    page.wait_for_function(in_view, arg=[item, box])  # it may scroll smoothly there
