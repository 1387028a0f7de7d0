"""The formulas against brute force: really split range(N) into batches and count."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import training_math as tm

sizes = st.integers(min_value=1, max_value=3_000)
batches = st.integers(min_value=1, max_value=3_100)  # also larger than the dataset
epochs = st.integers(min_value=1, max_value=50)


def split(n: int, b: int, drop_last: bool) -> list[list[int]]:
    """What a data loader does: consecutive slices of B samples, the last one maybe shorter."""
    data = list(range(n))
    out = [data[i:i + b] for i in range(0, n, b)]
    if drop_last and out and len(out[-1]) < b:
        out.pop()
    return out


@settings(max_examples=300, deadline=None)
@given(n=sizes, b=batches, e=epochs, drop_last=st.booleans())
def test_formulas_match_real_batches(n, b, e, drop_last):
    real = split(n, b, drop_last)
    assert tm.batch_sizes(n, b, drop_last) == [len(x) for x in real]
    assert tm.iterations_per_epoch(n, b, drop_last) == len(real)
    assert tm.total_iterations(n, b, e, drop_last) == e * len(real)
    assert tm.samples_processed(n, b, e, drop_last) == e * sum(map(len, real))
    if drop_last:
        assert tm.last_batch_size(n, b, drop_last=True) == (len(real[-1]) if real else 0)
    else:
        assert tm.last_batch_size(n, b) == len(real[-1])
        # every sample is used exactly once per epoch when the last batch is kept
        assert sorted(i for x in real for i in x) == list(range(n))


@settings(max_examples=200, deadline=None)
@given(n=sizes, b=batches)
def test_ceil_and_floor_differ_exactly_when_there_is_a_partial_batch(n, b):
    kept, dropped = tm.iterations_per_epoch(n, b), tm.iterations_per_epoch(n, b, drop_last=True)
    assert kept - dropped == (1 if n % b else 0)
    assert (kept - 1) * b + tm.last_batch_size(n, b) == n


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 10**9), b=st.integers(1, 10**6), e=st.integers(1, 1000))
def test_large_numbers_stay_exact(n, b, e):
    # integer arithmetic: no float rounding even where N / B is not representable
    assert tm.iterations_per_epoch(n, b) == int(Fraction(n, b).__ceil__())
    assert tm.iterations_per_epoch(n, b, drop_last=True) == n // b
    assert tm.total_iterations(n, b, e) == e * -(-n // b)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 10**7), b=st.integers(1, 5000), e=st.one_of(st.none(), epochs))
def test_explanation_states_the_numbers_and_never_uses_scientific_notation(n, b, e):
    steps = tm.explain_iterations(n, b, e)
    text = " ".join(steps)
    assert f"{n:,}" in text and f"{b:,}" in text
    assert f"{tm.iterations_per_epoch(n, b):,}" in text
    assert "e+" not in text and "e-" not in text
    if e is not None:
        assert f"{tm.total_iterations(n, b, e):,}" in text


def test_the_lessons_example():
    # CONTENT-REVIEW.md: 1,000 samples at batch 32 → 31 full batches + a last batch of 8
    assert tm.batch_sizes(1000, 32) == [32] * 31 + [8]
    assert tm.iterations_per_epoch(1000, 32) == 32
    assert tm.iterations_per_epoch(1000, 32, drop_last=True) == 31
    assert tm.total_iterations(1000, 32, 10) == 320
    assert tm.samples_processed(1000, 32, 10, drop_last=True) == 9_920


BAD = [0, -1, -32, 2.0, 32.5, "32", None, True, False, Fraction(3, 1), float("nan")]


def calls(bad):
    return [
        lambda: tm.iterations_per_epoch(bad, 32), lambda: tm.iterations_per_epoch(1000, bad),
        lambda: tm.last_batch_size(bad, 32), lambda: tm.last_batch_size(1000, bad),
        lambda: tm.total_iterations(bad, 32, 3), lambda: tm.total_iterations(1000, bad, 3),
        lambda: tm.total_iterations(1000, 32, bad),
        lambda: tm.samples_processed(bad, 32, 3), lambda: tm.samples_processed(1000, bad, 3),
        lambda: tm.samples_processed(1000, 32, bad),
        lambda: tm.batch_sizes(bad, 32), lambda: tm.batch_sizes(1000, bad),
        lambda: tm.explain_iterations(bad, 32), lambda: tm.explain_iterations(1000, bad),
    ] + ([] if bad is None else [lambda: tm.explain_iterations(1000, 32, bad)])  # None = "no epochs"


@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_invalid_arguments_raise_value_error_with_a_message(bad):
    for call in calls(bad):
        with pytest.raises(ValueError, match=r"must be"):
            call()


@settings(max_examples=100, deadline=None)
@given(bad=st.one_of(st.integers(max_value=0), st.floats(allow_nan=True), st.booleans(), st.text(max_size=5),
                     st.none()))
def test_any_invalid_argument_is_a_value_error(bad):
    for call in calls(bad):
        with pytest.raises(ValueError):
            call()


def test_numpy_integers_are_whole_numbers():
    assert tm.iterations_per_epoch(np.int64(1000), np.int32(32)) == 32
