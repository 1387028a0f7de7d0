"""The content loader: good lessons load, and every kind of broken file is named precisely."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.content import ContentError, load_lesson, load_library

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "lessons" / "mini-lesson"


@pytest.fixture
def lesson_dir(tmp_path) -> Path:
    """A writable copy of the fixture lesson inside its own content folder."""
    dest = tmp_path / "content" / "mini-lesson"
    shutil.copytree(MINI, dest)
    return dest


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_lesson(folder)
    return [str(p) for p in exc.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_fixture_lesson_loads_with_every_part(lesson_dir):
    lesson = load_lesson(lesson_dir)
    assert lesson.id == "mini-lesson"
    assert [t.id for t in lesson.glossary] == ["learning-rate", "divergence"]
    assert lesson.memory_aids[0].checks[0].answer == "the loss"


def test_yaml_syntax_error_names_file_and_line(lesson_dir):
    (lesson_dir / "glossary.yaml").write_text("terms:\n  - id: x\n    term: [unclosed\n")
    (problem,) = problems_of(lesson_dir)
    assert problem.startswith("content/mini-lesson/glossary.yaml: line ")
    assert "YAML syntax error" in problem


def test_missing_field_names_file_item_and_field(lesson_dir):
    edit(lesson_dir / "glossary.yaml",
         "    definition: When the loss grows without bound because updates overshoot.\n", "")
    (problem,) = problems_of(lesson_dir)
    assert problem == "content/mini-lesson/glossary.yaml: terms[1] (id 'divergence').definition: Field required"


def test_wrong_type_names_the_field(lesson_dir):
    edit(lesson_dir / "examples.yaml", "n_samples: 500", "n_samples: five hundred")
    (problem,) = problems_of(lesson_dir)
    assert "content/mini-lesson/examples.yaml: examples[0] (id 'lr-batches').n_samples" in problem
    assert "integer" in problem


def test_misspelt_field_is_not_silently_ignored(lesson_dir):
    edit(lesson_dir / "topics.yaml", "    analogy: ", "    analogyy: ")
    problems = problems_of(lesson_dir)
    assert any("topics.yaml: topics[0] (id 'learning-rate').analogyy: Extra inputs" in p for p in problems)
    assert any(".analogy: Field required" in p for p in problems)


def test_duplicate_id_is_named(lesson_dir):
    edit(lesson_dir / "glossary.yaml", "  - id: divergence", "  - id: learning-rate")
    problems = problems_of(lesson_dir)
    assert "content/mini-lesson/glossary.yaml: terms[1].id: duplicate id 'learning-rate' (also terms[0])" in problems


def test_reference_to_unknown_term_is_named(lesson_dir):
    edit(lesson_dir / "misconceptions.yaml", "terms: [learning-rate, divergence]", "terms: [learning-rate, momentum]")
    (problem,) = problems_of(lesson_dir)
    assert problem == ("content/mini-lesson/misconceptions.yaml: misconceptions[0] (id 'bigger-lr-faster').terms[1]: "
                       "unknown glossary term 'momentum'")


def test_reference_to_unknown_example_is_named(lesson_dir):
    edit(lesson_dir / "glossary.yaml", "examples: [lr-batches]", "examples: [nope]")
    (problem,) = problems_of(lesson_dir)
    assert "glossary.yaml: terms[0] (id 'learning-rate').examples[0]: unknown example 'nope'" in problem


def test_missing_file_and_wrong_top_level_key(lesson_dir):
    (lesson_dir / "topics.yaml").unlink()
    (lesson_dir / "concepts.yaml").write_text("concepts: []\n")
    problems = problems_of(lesson_dir)
    assert "content/mini-lesson/topics.yaml: file missing" in problems
    assert "content/mini-lesson/concepts.yaml: key_concepts: the file must hold a mapping with a 'key_concepts:' list" in problems


def test_every_problem_is_reported_at_once(lesson_dir):
    edit(lesson_dir / "lesson.yaml", "id: mini-lesson", "id: Mini Lesson")
    edit(lesson_dir / "memory_aids.yaml", "kind: rhyme", "kind: limerick")
    problems = problems_of(lesson_dir)
    assert any(p.startswith("content/mini-lesson/lesson.yaml: id:") for p in problems)
    assert any("memory_aids[0] (id 'step-rhyme').kind" in p for p in problems)


def test_broken_lesson_is_reported_and_good_one_still_loads(lesson_dir):
    broken = lesson_dir.parent / "broken"
    shutil.copytree(lesson_dir, broken)
    edit(broken / "lesson.yaml", "id: mini-lesson", "id: broken")
    (broken / "dialogue.yaml").write_text("parts: {not: a list}\n")
    library = load_library(lesson_dir.parent)
    assert list(library.lessons) == ["mini-lesson"]
    assert [p.file for p in library.problems] == ["content/broken/dialogue.yaml"]


def test_cli_check_fails_naming_the_file(lesson_dir):
    edit(lesson_dir / "glossary.yaml", "term: Divergence", "term: ''")
    result = subprocess.run([sys.executable, "-m", "engine.content", "check", str(lesson_dir.parent)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "content/mini-lesson/glossary.yaml: terms[1] (id 'divergence').term" in result.stderr


def test_cli_check_passes_on_shipped_content():
    result = subprocess.run([sys.executable, "-m", "engine.content", "check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "ok   training-phases" in result.stdout
