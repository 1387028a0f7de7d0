"""What the Lesson page shows, computed: summary levels and worked examples with their arithmetic."""
from __future__ import annotations

from dataclasses import dataclass

from engine import training_math as tm
from engine.content.models import Lesson, WorkedExample

SUMMARY_LEVELS = {"Quick": "quick", "Standard": "standard", "Detailed": "detailed"}


def summary(lesson: Lesson, level: str) -> str:
    """The summary at a level named as the page names it (Quick, Standard, Detailed)."""
    field = SUMMARY_LEVELS.get(level, "quick")
    return getattr(lesson.info.summaries, field)


@dataclass(frozen=True)
class WorkedArithmetic:
    """An example's numbers and the steps that get from them to the answer."""

    n_samples: int
    batch_size: int
    epochs: int | None
    iterations_kept: int
    iterations_dropped: int
    last_batch: int
    total_updates: int | None
    steps: list[str]
    batches: list[int]


def worked_arithmetic(example: WorkedExample) -> WorkedArithmetic | None:
    if example.n_samples is None or example.batch_size is None:
        return None
    return arithmetic(example.n_samples, example.batch_size, example.epochs)


def arithmetic(n: int, b: int, e: int | None = None) -> WorkedArithmetic:
    """The numbers for any N, B (and E): the lesson's examples and the try-your-own box."""
    return WorkedArithmetic(
        n_samples=n, batch_size=b, epochs=e,
        iterations_kept=tm.iterations_per_epoch(n, b),
        iterations_dropped=tm.iterations_per_epoch(n, b, drop_last=True),
        last_batch=tm.last_batch_size(n, b),
        total_updates=tm.total_iterations(n, b, e) if e else None,
        steps=tm.explain_iterations(n, b, e),
        batches=tm.batch_sizes(n, b),
    )


def batch_layout(batches: list[int], shown: int = 3) -> str:
    """'32 + 32 + 32 + … (31 batches of 32) + 8': the epoch as a sum the student can check."""
    if not batches:
        return ""
    full = batches[0]
    n_full = sum(1 for x in batches if x == full)
    tail = [x for x in batches[n_full:]]
    if n_full <= shown + 1:
        head = " + ".join(f"{full:,}" for _ in range(n_full))
    else:
        head = " + ".join(f"{full:,}" for _ in range(shown)) + f" + … ({n_full:,} batches of {full:,})"
    return " + ".join([head, *(f"{x:,}" for x in tail)]) + f" = {sum(batches):,} samples"
