"""The known mistakes, by id, and the lesson's misconception entries that explain them.

A question's feedback names the mistake with that question's numbers; the lesson's entry (when
the lesson has one) adds the general explanation, so the quiz and the lesson say the same
thing. Lesson ids are looked up at grading time and a missing one is simply left out: the
lesson can be edited without breaking the quiz.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from engine.content import Library, content_signature, load_library


@dataclass(frozen=True)
class MistakeKind:
    name: str  # what the learner did, in their words
    lesson: tuple[str, ...] = ()  # lesson misconception ids that explain it, best first


CATALOGUE: dict[str, MistakeKind] = {
    "floor-instead-of-ceil": MistakeKind("Rounded down instead of up", ("floor-instead-of-ceil",)),
    "ceil-instead-of-floor": MistakeKind("Counted the dropped batch",
                                         ("ceil-when-dropping", "floor-instead-of-ceil")),
    "unrounded-division": MistakeKind("Left the division unrounded",
                                      ("floor-instead-of-ceil", "iteration-is-number-of-batches")),
    "unrounded-division-drop-last": MistakeKind("Left the division unrounded", ("ceil-when-dropping",)),
    "rounded-epochs-down": MistakeKind("Rounded the epochs down", ()),
    "n-times-b": MistakeKind("Multiplied instead of dividing", ("n-times-b",)),
    "batch-size-as-iterations": MistakeKind("Gave the batch size", ("iteration-is-number-of-batches",)),
    "last-batch-size-as-count": MistakeKind("Gave the last batch's size", ("iteration-is-number-of-batches",)),
    "forgot-times-epochs": MistakeKind("Forgot × epochs", ("forgot-times-epochs",)),
    "epochs-equal-iterations": MistakeKind("Epochs confused with iterations", ("epochs-equal-iterations",)),
    "last-batch-is-full": MistakeKind("Took the last batch as full",
                                      ("last-batch-is-full", "samples-equal-iterations-times-b")),
    "count-instead-of-size": MistakeKind("Gave the number of batches", ("last-batch-is-full",)),
    "remainder-as-fraction": MistakeKind("Gave the fraction left over", ("last-batch-is-full",)),
    "full-batches-total": MistakeKind("Gave the samples in full batches", ("last-batch-is-full",)),
    "counted-samples": MistakeKind("Counted samples, not updates", ("iteration-is-number-of-batches",)),
    "counted-iterations": MistakeKind("Counted updates, not samples", ("samples-equal-iterations-times-b",)),
    "kept-dropped-batch": MistakeKind("Counted the dropped samples", ("ceil-when-dropping",)),
    "multiplied-instead-of-divided": MistakeKind("Multiplied instead of dividing", ("one-update-per-epoch",)),
    "micro-batches-as-updates": MistakeKind("Counted micro-batches as updates", ()),
    "multiplied-by-accumulation": MistakeKind("Multiplied by the accumulation steps", ()),
    "time-per-sample": MistakeKind("Timed per sample, not per iteration", ("iteration-is-number-of-batches",)),
    "forgot-times-iterations": MistakeKind("Gave one iteration's time", ()),
    "wrong-time-unit": MistakeKind("Answered in the wrong unit", ()),
    "wrong-split": MistakeKind("Used the other split's numbers", ("accuracy-means-unseen",)),
    "error-rate": MistakeKind("Gave the error rate", ()),
    "fraction-not-percent": MistakeKind("Gave a fraction, not a percentage", ()),
    "inverted-ratio": MistakeKind("Divided the wrong way round", ()),
    "training-not-validation": MistakeKind("Read the training loss", ("overfitting-sign",)),
    "counted-from-zero": MistakeKind("Counted epochs from 0", ()),
    "gave-the-loss-value": MistakeKind("Gave the loss, not the epoch", ()),
    "stop-at-best-epoch": MistakeKind("Gave the best epoch, not the stopping epoch", ()),
    "patience-off-by-one": MistakeKind("Off by one with patience", ()),
    "stopped-at-first-rise": MistakeKind("Stopped at the first rise", ()),
    "ignored-min-delta": MistakeKind("Ignored min_delta", ()),
    "wrong-batch-size": MistakeKind("A batch size giving another count", ()),
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
    candidates = kind.lesson if kind else (mistake_id,)
    try:
        lessons = library().ordered()
    except Exception:  # unreadable content must never break grading; feedback still names the mistake
        return None
    for wanted in candidates:
        for lesson in lessons:
            for m in lesson.misconceptions:
                if m.id == wanted:
                    return {"id": m.id, "title": m.title, "wrong": m.wrong, "why": m.why,
                            "right": m.right, "lesson": lesson.id}
    return None
