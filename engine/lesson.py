"""What the Lesson page shows, computed: summary levels and worked examples with their arithmetic."""
from __future__ import annotations

from dataclasses import dataclass

from engine import training_math as tm
from engine.answers import format_number, parse_number
from engine.content.models import Lesson, WorkedExample

SUMMARY_LEVELS = {"Quick": "quick", "Standard": "standard", "Detailed": "detailed"}


def summary(lesson: Lesson, level: str) -> str:
    """The summary at a level named as the page names it (Quick, Standard, Detailed)."""
    field = SUMMARY_LEVELS.get(level, "quick")
    return getattr(lesson.info.summaries, field)


def reading_minutes(text: str, words_per_minute: int = 200) -> int:
    """About how long a text takes to read, in whole minutes (at least 1)."""
    return max(1, round(len(text.split()) / words_per_minute))


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


def _samples(n: int) -> str:
    return f"{n:,} sample" if n == 1 else f"{n:,} samples"


def batch_layout(batches: list[int], shown: int = 3) -> str:
    """'32 + 32 + 32 + … (31 batches of 32) + 8': the epoch as a sum the student can check."""
    if not batches:
        return ""
    if len(batches) == 1:
        return f"one batch of {_samples(batches[0])}"
    full = batches[0]
    n_full = sum(1 for x in batches if x == full)
    tail = [x for x in batches[n_full:]]
    if n_full <= shown + 1:
        head = " + ".join(f"{full:,}" for _ in range(n_full))
    else:
        head = " + ".join(f"{full:,}" for _ in range(shown)) + f" + … ({n_full:,} batches of {full:,})"
    return " + ".join([head, *(f"{x:,}" for x in tail)]) + f" = {_samples(sum(batches))}"


@dataclass(frozen=True)
class Count:
    """A whole number typed into "Try your own numbers": its value, or what is wrong."""

    value: int | None
    message: str = ""


def read_count(text: object, name: str, low: int, high: int) -> Count:
    """Read a count the way the quiz reads answers (1000, 1,000, 1e3, 10^3 …), in range."""
    parsed = parse_number(text)
    if not parsed.ok:
        return Count(None, f"{name}: {parsed.message}")
    if parsed.percent or not parsed.is_whole or not low <= parsed.value <= high:
        typed = str(text).strip()
        read = format_number(parsed.value) + ("%" if parsed.percent else "")
        shown = typed if read == typed else f"{typed}, read as {read}"
        return Count(None, f"{name} must be a whole number from {low:,} to {high:,} "
                           f"(you typed {shown}).")
    return Count(int(parsed.value))
