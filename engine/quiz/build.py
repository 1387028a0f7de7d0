"""Small helpers the templates share: random parameters, answers, known mistakes."""
from __future__ import annotations

import math
import random
from decimal import ROUND_UP, Decimal

from engine.answers import format_number
from engine.training_math import quotient_text

from .model import Answer, Mistake

D = Decimal

# Sizes of real datasets (MNIST's 60,000 training images, CIFAR's 50,000, …) mixed with
# random sizes, so answers can't be guessed from a handful of familiar numbers.
REAL_DATASET_SIZES = (1_000, 1_200, 2_500, 5_000, 10_000, 12_000, 25_000, 50_000, 60_000,
                      70_000, 100_000, 150_000, 500_000, 1_000_000)
POWERS_OF_TWO = (2, 4, 8, 16, 32, 32, 64, 64, 128, 128, 256, 512, 1024, 2048, 4096)


def plain(value: Decimal | int) -> str:
    """A number as a learner would type it: no exponent, no trailing zeros, no separators."""
    d = D(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d, "f").rstrip("0").rstrip(".")


def quotient(a: int, b: int) -> str:
    """'= 31.25' when a ÷ b is short and exact, else '≈ 333,333.33': for "a ÷ b {quotient}"."""
    return quotient_text(a, b)


def samples(rng: random.Random) -> int:
    """A dataset size from 100 to 1,000,000."""
    if rng.random() < 0.35:
        return rng.choice(REAL_DATASET_SIZES)
    n = int(10 ** rng.uniform(2, 6))
    if rng.random() < 0.5:  # people often collect round-ish numbers of samples
        n = max(100, round(n, -(len(str(n)) - 2)))
    return n


def batch_size(rng: random.Random, below: int, smallest: int = 2) -> int:
    """A batch size from 2 to 4,096, often a power of two, smaller than `below`."""
    for _ in range(100):
        if rng.random() < 0.6:
            b = rng.choice(POWERS_OF_TWO)
        else:
            b = int(10 ** rng.uniform(math.log10(smallest), math.log10(4096)))
        if smallest <= b < below:
            return b
    return smallest


def samples_and_batch(rng: random.Random, partial_last_batch: bool = True) -> tuple[int, int]:
    """N and B; with `partial_last_batch`, B does not divide N, so floor and ceil differ and
    the rounding mistakes can be told apart from the right answer."""
    while True:
        n = samples(rng)
        # mostly at least four batches per epoch, so a tiny count like 2 is never a safe guess
        b = batch_size(rng, n // 4 if rng.random() < 0.9 else n)
        if not partial_last_batch or n % b:
            return n, b


def whole_answer(value: int, unit: str) -> Answer:
    return Answer("integer", str(value), str(value), str(value), "0", unit)


def range_answer(low: int, high: int, unit: str) -> Answer:
    return Answer("integer", str(low), str(low), str(high), "0", unit)


def real_answer(value: Decimal, tolerance: Decimal, unit: str, places: int = 2) -> Answer:
    return Answer("real", format_number(round(value, places)).replace(",", ""),
                  plain(value - tolerance), plain(value + tolerance), plain(tolerance), unit)


def percent_tolerance(value: Decimal, percent: Decimal = D(1)) -> Decimal:
    """`percent` % of value, rounded up to 3 decimals (at least 0.001)."""
    return max(D("0.001"), (abs(value) * percent / 100).quantize(D("0.001"), rounding=ROUND_UP))


def exact(mistake_id: str, value: int, feedback: str) -> Mistake:
    return Mistake(mistake_id, str(value), feedback, str(value), str(value))


def near(mistake_id: str, value: Decimal, tolerance: Decimal, feedback: str) -> Mistake:
    return Mistake(mistake_id, plain(round(value, 4)), feedback,
                   plain(value - tolerance), plain(value + tolerance))


def unrounded(mistake_id: str, numerator: int, denominator: int, feedback: str) -> Mistake | None:
    """numerator ÷ denominator typed as is (31.25, or rounded to a few decimals: 31.3). None
    when the division is exact: then there is nothing to tell apart. The window never reaches
    a whole number, so it cannot swallow a rounding answer."""
    x = D(numerator) / D(denominator)
    if x == x.to_integral_value():
        return None
    gap = min(x - math.floor(x), math.ceil(x) - x)
    half = min(D("0.05"), gap / 2)
    return Mistake(mistake_id, plain(round(x, 8)), feedback, plain(x - half), plain(x + half))


def is_correct(answer: Answer, x: Decimal) -> bool:
    if answer.kind == "integer" and x != x.to_integral_value():
        return False
    return answer.accepts(x)


def keep_distinct(answer: Answer, mistakes: list[Mistake | None]) -> tuple[Mistake, ...]:
    """Drop mistakes that can't be told apart: one whose typical value is right, or is already
    claimed by an earlier (more likely) mistake. Order is priority."""
    kept: list[Mistake] = []
    for m in mistakes:
        if m is None:
            continue
        if m.choice:  # a wrong option: one letter, one mistake
            kept.append(m)
            continue
        x = D(m.value)
        if is_correct(answer, x) or any(k.matches(x) for k in kept):
            continue
        kept.append(m)
    return tuple(kept)
