"""Find lesson folders under content/, read their YAML files and validate them.

Every problem is collected (not just the first) and names its file and field, so a teacher
can fix a broken lesson in one pass. Broken lessons are reported; good ones still load.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from .models import (DialoguePart, Flashcard, KeyConcept, Lesson, LessonInfo, MemoryAid,
                     Misconception, Term, Topic, WorkedExample)

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


def configured_content_dir() -> Path:
    """content/ beside the app, unless BATCHWISE_CONTENT_DIR points elsewhere."""
    return Path(os.environ.get("BATCHWISE_CONTENT_DIR") or DEFAULT_CONTENT_DIR)

# file name -> (top-level key holding the list, item model, Lesson attribute, required)
LIST_FILES: dict[str, tuple[str, type[BaseModel], str, bool]] = {
    "dialogue.yaml": ("parts", DialoguePart, "dialogue", True),
    "topics.yaml": ("topics", Topic, "topics", True),
    "concepts.yaml": ("key_concepts", KeyConcept, "key_concepts", True),
    "examples.yaml": ("examples", WorkedExample, "examples", True),
    "memory_aids.yaml": ("memory_aids", MemoryAid, "memory_aids", True),
    "glossary.yaml": ("terms", Term, "glossary", True),
    "misconceptions.yaml": ("misconceptions", Misconception, "misconceptions", True),
    "flashcards.yaml": ("cards", Flashcard, "flashcards", False),
}


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


@dataclass
class Library:
    """All lessons found, plus every problem with the ones that could not be loaded."""

    lessons: dict[str, Lesson] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def ordered(self) -> list[Lesson]:
        return sorted(self.lessons.values(), key=lambda l: (l.info.order, l.info.title))


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _loc(prefix: str, loc: tuple[Any, ...], items: Any) -> str:
    parts = [prefix] if prefix else []
    for i, step in enumerate(loc):
        if isinstance(step, int):
            label = f"[{step}]"
            if i == 0 and isinstance(items, list) and step < len(items) and isinstance(items[step], dict):
                item_id = items[step].get("id")
                if item_id is not None:
                    label += f" (id {item_id!r})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(step))
    return "".join(parts)


def _read_yaml(path: Path, rel: str, problems: list[Problem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, "", f"not UTF-8 text ({exc.reason})"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(rel, where, f"YAML syntax error: {reason}"))
    return None


def _validate(model_or_adapter, data: Any, rel: str, prefix: str, problems: list[Problem]):
    try:
        return model_or_adapter.validate_python(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(Problem(rel, _loc(prefix, err["loc"], data), err["msg"]))
    return None


def _check_ids(lesson_dir: str, lesson: dict[str, Any], problems: list[Problem]) -> None:
    for fname, (key, _model, attr, _req) in LIST_FILES.items():
        seen: dict[str, int] = {}
        for i, item in enumerate(lesson.get(attr) or []):
            if item.id in seen:
                problems.append(Problem(f"{lesson_dir}/{fname}", f"{key}[{i}].id",
                                        f"duplicate id {item.id!r} (also {key}[{seen[item.id]}])"))
            seen.setdefault(item.id, i)
    for aid_i, aid in enumerate(lesson.get("memory_aids") or []):
        ids = [c.id for c in aid.checks]
        for j, cid in enumerate(ids):
            if cid in ids[:j]:
                problems.append(Problem(f"{lesson_dir}/memory_aids.yaml",
                                        f"memory_aids[{aid_i}].checks[{j}].id", f"duplicate id {cid!r}"))


def _check_references(lesson_dir: str, lesson: dict[str, Any], problems: list[Problem]) -> None:
    # A file that failed to load is already reported; checking references against it would
    # only bury that one real problem under "unknown term" noise.
    terms = {t.id for t in lesson["glossary"]} if lesson.get("glossary") is not None else None
    examples = {e.id for e in lesson["examples"]} if lesson.get("examples") is not None else None

    def check(fname: str, key: str, items, attr: str, known: set[str] | None, what: str) -> None:
        if known is None:
            return
        for i, item in enumerate(items or []):
            for j, ref in enumerate(getattr(item, attr)):
                if ref not in known:
                    problems.append(Problem(f"{lesson_dir}/{fname}", f"{key}[{i}] (id {item.id!r}).{attr}[{j}]",
                                            f"unknown {what} {ref!r}"))

    check("glossary.yaml", "terms", lesson.get("glossary"), "related", terms, "glossary term")
    check("glossary.yaml", "terms", lesson.get("glossary"), "examples", examples, "example")
    check("concepts.yaml", "key_concepts", lesson.get("key_concepts"), "terms", terms, "glossary term")
    check("misconceptions.yaml", "misconceptions", lesson.get("misconceptions"), "terms", terms, "glossary term")
    check("flashcards.yaml", "cards", lesson.get("flashcards"), "terms", terms, "glossary term")


def load_lesson(folder: Path, root: Path | None = None) -> Lesson:
    """Load one lesson folder; raise ContentError listing every problem found."""
    root = root or folder.parent
    rel_dir = folder.relative_to(root.parent).as_posix() if root.parent in folder.parents else folder.name
    problems: list[Problem] = []
    parts: dict[str, Any] = {}

    info_path = folder / "lesson.yaml"
    if not info_path.exists():
        problems.append(Problem(f"{rel_dir}/lesson.yaml", "", "file missing"))
    else:
        data = _read_yaml(info_path, f"{rel_dir}/lesson.yaml", problems)
        if data is not None or not problems:
            parts["info"] = _validate(TypeAdapter(LessonInfo), data, f"{rel_dir}/lesson.yaml", "", problems)

    for fname, (key, model, attr, required) in LIST_FILES.items():
        path, rel = folder / fname, f"{rel_dir}/{fname}"
        if not path.exists():
            if required:
                problems.append(Problem(rel, "", "file missing"))
            continue
        data = _read_yaml(path, rel, problems)
        if data is None and problems and problems[-1].file == rel:
            continue
        if not isinstance(data, dict) or key not in data:
            problems.append(Problem(rel, key, f"the file must hold a mapping with a '{key}:' list"))
            continue
        extra = sorted(set(data) - {key})
        if extra:
            problems.append(Problem(rel, extra[0], f"unexpected top-level key (expected only '{key}')"))
        items = data[key]
        parts[attr] = _validate(TypeAdapter(list[model]), items, rel, key, problems)

    _check_ids(rel_dir, parts, problems)
    _check_references(rel_dir, parts, problems)
    if problems:
        raise ContentError(problems)
    parts.setdefault("flashcards", [])
    return Lesson(**parts)


def load_library(content_dir: Path | str | None = None) -> Library:
    """Every lesson folder under content_dir (a folder holding any .yaml file)."""
    root = Path(content_dir) if content_dir is not None else configured_content_dir()
    library = Library()
    if not root.is_dir():
        library.problems.append(Problem(str(root), "", "content folder not found"))
        return library
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if not any(folder.glob("*.yaml")):
            continue
        try:
            lesson = load_lesson(folder, root)
        except ContentError as exc:
            library.problems.extend(exc.problems)
            continue
        if lesson.id in library.lessons:
            library.problems.append(Problem(f"{root.name}/{folder.name}/lesson.yaml", "id",
                                            f"duplicate lesson id {lesson.id!r} (another folder uses it)"))
            continue
        library.lessons[lesson.id] = lesson
    return library


def content_signature(content_dir: Path | str | None = None) -> tuple:
    """Changes whenever a content file is added, removed or edited: a cache key that lets a
    running app pick up a teacher's new lesson without a restart."""
    root = Path(content_dir) if content_dir is not None else configured_content_dir()
    if not root.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*.yaml")))
