"""The known mistakes, by id, and the lesson's misconception entries that explain them.

A question's feedback names the mistake with that question's numbers; when the lesson has an
entry for exactly that mistake, the quiz adds its title and the general rule (no numbers, so
the lesson's example never sits beside the learner's numbers). Lesson ids are looked up at grading time and a missing one is simply left out: the
lesson can be edited without breaking the quiz.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from engine.content import Library, content_signature, load_library


@dataclass(frozen=True)
class MistakeKind:
    name: str  # what the learner did, in their words
    # The lesson's misconception entry that IS this mistake (None when the lesson has no entry
    # for it: a near miss would show the learner a title describing some other slip).
    lesson: str | None = None
    # The general rule, with no numbers: shown beside the feedback (which already uses the
    # question's numbers), so the lesson's own example numbers never sit next to the learner's.
    rule: str = ""


CATALOGUE: dict[str, MistakeKind] = {
    "floor-instead-of-ceil": MistakeKind(
        "Rounded down instead of up", "floor-instead-of-ceil",
        "A partial last batch still makes an update: round the division **up** (ceil), unless the "
        "last batch is dropped."),
    "ceil-instead-of-floor": MistakeKind(
        "Counted the dropped batch", "ceil-when-dropping",
        "With `drop_last=True` only full batches make updates: round N ÷ B **down** (floor)."),
    "unrounded-division": MistakeKind("Left the division unrounded"),
    "unrounded-division-drop-last": MistakeKind("Left the division unrounded"),
    "rounded-epochs-down": MistakeKind("Rounded the epochs down"),
    "too-few-epochs": MistakeKind("One epoch short"),
    "rounded-whole-run": MistakeKind(
        "Rounded the whole run once", "rounded-whole-run",
        "Every epoch ends with its own partial batch: round the iterations of one epoch up first, "
        "then multiply by the epochs."),
    "n-times-b": MistakeKind(
        "Multiplied instead of dividing", "n-times-b",
        "Iterations per epoch = samples ÷ batch size (then rounded), never samples × batch size."),
    "batch-size-as-iterations": MistakeKind("Gave the batch size"),
    "last-batch-size-as-count": MistakeKind("Gave the last batch's size"),
    "forgot-times-epochs": MistakeKind(
        "Forgot × epochs", "forgot-times-epochs",
        "Total iterations = epochs × iterations per epoch."),
    "forgot-times-epochs-samples": MistakeKind("Forgot × epochs"),
    "epochs-equal-iterations": MistakeKind(
        "Epochs confused with iterations", "epochs-equal-iterations",
        "An epoch is one pass over all the data and holds many iterations: "
        "total iterations = epochs × iterations per epoch."),
    "last-batch-is-full": MistakeKind(
        "Took the last batch as full", "last-batch-is-full",
        "The last batch holds only the samples left after the full batches; it is full only when "
        "B divides N exactly."),
    "samples-as-iterations-times-b": MistakeKind(
        "Counted every batch as full", "samples-equal-iterations-times-b",
        "With the last batch kept, every epoch processes exactly the N samples: samples processed = "
        "epochs × N. Iterations × B over-counts, because the last batch is smaller."),
    "multiplied-by-batch-size": MistakeKind("Multiplied by the batch size"),
    "count-instead-of-size": MistakeKind("Gave the number of batches"),
    "remainder-as-fraction": MistakeKind("Gave the fraction left over"),
    "full-batches-total": MistakeKind("Gave the samples in full batches"),
    "counted-samples": MistakeKind("Counted samples, not updates"),
    "counted-iterations": MistakeKind("Counted updates, not samples"),
    "kept-dropped-batch": MistakeKind("Counted the dropped samples"),
    "multiplied-instead-of-divided": MistakeKind("Multiplied instead of dividing"),
    "micro-batches-as-updates": MistakeKind("Counted micro-batches as updates"),
    "multiplied-by-accumulation": MistakeKind("Multiplied by the accumulation steps"),
    "time-per-sample": MistakeKind("Timed per sample, not per iteration"),
    "forgot-times-iterations": MistakeKind("Gave one iteration's time"),
    "wrong-time-unit": MistakeKind("Answered in the wrong unit"),
    # no lesson entry: "accuracy means unseen data" is a different belief from reading the
    # wrong row of the table
    "wrong-split": MistakeKind("Used the other split's numbers"),
    "error-rate": MistakeKind("Gave the error rate"),
    "fraction-not-percent": MistakeKind("Gave a fraction, not a percentage"),
    "inverted-ratio": MistakeKind("Divided the wrong way round"),
    "training-not-validation": MistakeKind("Read the training loss"),
    "counted-from-zero": MistakeKind("Counted epochs from 0"),
    "gave-the-loss-value": MistakeKind("Gave the loss, not the epoch"),
    "stop-at-best-epoch": MistakeKind("Gave the best epoch, not the stopping epoch"),
    "patience-off-by-one": MistakeKind("Off by one with patience"),
    "stopped-at-first-rise": MistakeKind("Stopped at the first rise"),
    "ignored-min-delta": MistakeKind("Ignored min_delta"),
    "wrong-batch-size": MistakeKind("A batch size giving another count"),
}


@functools.lru_cache(maxsize=4)
def _library(signature: tuple) -> Library:
    return load_library()


def library() -> Library:
    """The lesson library, re-read only when a content file changes."""
    return _library(content_signature())


def mistake_name(mistake_id: str) -> str:
    kind = CATALOGUE.get(mistake_id)
    if kind:
        return kind.name
    entry = lesson_misconception(mistake_id)
    return entry["title"] if entry else mistake_id.replace("-", " ").capitalize()


def lesson_misconception(mistake_id: str | None) -> dict[str, str] | None:
    """The lesson's misconception entry for this mistake, or None when the lesson has none.
    A concept question's mistakes are lesson misconception ids themselves."""
    if not mistake_id:
        return None
    kind = CATALOGUE.get(mistake_id)
    wanted = kind.lesson if kind else mistake_id
    if not wanted:
        return None
    try:
        lessons = library().ordered()
    except Exception:  # unreadable content must never break grading; feedback still names the mistake
        return None
    for lesson in lessons:
        for m in lesson.misconceptions:
            if m.id == wanted:
                return {"id": m.id, "title": m.title, "wrong": m.wrong, "why": m.why,
                        "right": m.right, "lesson": lesson.id}
    return None


def reminder(mistake_id: str | None) -> str:
    """The general rule to show beside the feedback, or "" when there is none (concept
    questions already quote the lesson in their feedback)."""
    kind = CATALOGUE.get(mistake_id or "")
    return kind.rule if kind else ""
