"""The formulas of the training phases, in exact integer arithmetic.

N samples, batch size B, E epochs (CONTENT-REVIEW.md). The lesson's worked examples,
the quizzes and the simulator all count with these functions, so they never disagree.
"""
from __future__ import annotations

import numbers


def _positive_int(name: str, value: object) -> int:
    # bool is an int subclass: True as a batch size is a bug upstream, not 1.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def _check(n_samples: object, batch_size: object) -> tuple[int, int]:
    return _positive_int("n_samples", n_samples), _positive_int("batch_size", batch_size)


def iterations_per_epoch(n_samples: int, batch_size: int, drop_last: bool = False) -> int:
    """Batches (= weight updates) in one epoch: ceil(N/B), or floor(N/B) when the last
    partial batch is dropped. Dropping every batch (B > N) leaves an epoch with 0 updates."""
    n, b = _check(n_samples, batch_size)
    return n // b if drop_last else -(-n // b)


def last_batch_size(n_samples: int, batch_size: int, drop_last: bool = False) -> int:
    """Samples in the epoch's last batch: N − (ceil(N/B) − 1)·B when kept; B when the partial
    one is dropped (or 0 if no full batch exists)."""
    n, b = _check(n_samples, batch_size)
    if drop_last:
        return b if n >= b else 0
    return n - (-(-n // b) - 1) * b


def total_iterations(n_samples: int, batch_size: int, epochs: int, drop_last: bool = False) -> int:
    """Weight updates over the whole run: E × iterations per epoch."""
    e = _positive_int("epochs", epochs)
    return e * iterations_per_epoch(n_samples, batch_size, drop_last)


def samples_processed(n_samples: int, batch_size: int, epochs: int, drop_last: bool = False) -> int:
    """Samples the network sees over the run: E × N, or E × floor(N/B) × B when dropping."""
    n, b = _check(n_samples, batch_size)
    e = _positive_int("epochs", epochs)
    return e * ((n // b) * b if drop_last else n)


def batch_sizes(n_samples: int, batch_size: int, drop_last: bool = False) -> list[int]:
    """Every batch's size in one epoch, in order (what a data loader would yield)."""
    n, b = _check(n_samples, batch_size)
    full, rest = divmod(n, b)
    return [b] * full + ([] if drop_last or rest == 0 else [rest])


def _count(n: int, word: str, plural: str | None = None) -> str:
    """'1 sample', '2 samples': students notice '1 samples'."""
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def quotient_text(n: int, b: int) -> str:
    """"= 31.25" when N ÷ B is exact within 4 decimals, else "≈ 333,333.33" with enough decimals
    that 1,000 ÷ 999 does not read as a whole number ("≈ 1.001"), and never 3.333e+05. The
    lesson's worked examples and the quiz feedback both write divisions with this."""
    for places in range(0, 5):
        if (n * 10**places) % b == 0:
            return f"= {n / b:,.{places}f}"
    for places in range(2, 7):
        text = f"{n / b:,.{places}f}"
        if text.rstrip("0").rstrip(".") != f"{n // b:,}":
            break
    return f"≈ {text.rstrip('0')}"


def explain_iterations(n_samples: int, batch_size: int, epochs: int | None = None) -> list[str]:
    """The worked arithmetic, step by step, in the lesson's words. Used by the lesson's worked
    examples and by quiz solutions, so both show the same reasoning."""
    n, b = _check(n_samples, batch_size)
    full, rest = divmod(n, b)
    kept = iterations_per_epoch(n, b)
    dropped = iterations_per_epoch(n, b, drop_last=True)
    steps = [f"{_count(n, 'sample')} ÷ batch size {b:,} {quotient_text(n, b)}"]
    if rest == 0:
        steps.append(f"{_count(full, 'full batch', 'full batches')} of {b:,} {'uses' if full == 1 else 'use'} all {_count(n, 'sample')}, "
                     "with nothing left over.")
        steps.append(f"Iterations per epoch = {kept:,} (the same whether or not a last partial batch is dropped: there is none).")
    elif full == 0:
        steps.append(f"The batch size is larger than the dataset: one batch holds all {_count(n, 'sample')}.")
        steps.append(f"Keep the last batch → {kept} iteration per epoch; drop it → {dropped} (no update at all).")
    else:
        left = "1 is left over" if rest == 1 else f"{rest:,} are left over"
        steps.append(
            f"{_count(full, 'full batch', 'full batches')} of {b:,} {'covers' if full == 1 else 'cover'} {_count(full * b, 'sample')}; "
            f"{left} for one last, smaller batch of {rest:,}."
        )
        steps.append(
            f"Iterations per epoch = {full:,} + 1 = {kept:,} (ceil); "
            f"{dropped:,} if the last batch is dropped (floor, drop_last)."
        )
    if epochs is not None:
        e = _positive_int("epochs", epochs)
        steps.append(
            f"Over {_count(e, 'epoch')}: {e:,} × {kept:,} = {_count(e * kept, 'iteration')} ({'weight update' if e * kept == 1 else 'weight updates'}), "
            f"and the network sees {e:,} × {n:,} = {_count(e * n, 'sample')}."
        )
    return steps
