"""Computed questions on epochs, batches and iterations.

Each builder takes a seeded `random.Random` and returns the parts of a Question. Every right
answer comes from `engine.training_math`; the known mistakes are the wrong formulas students
actually use, each with feedback that names it with this question's numbers.
"""
from __future__ import annotations

import math
import random
from decimal import Decimal

from engine.answers import format_number as fmt
from engine.training_math import (explain_iterations, iterations_per_epoch, last_batch_size,
                                  samples_processed, total_iterations)

from .model import Mistake
from .build import (D, exact, near, percent_tolerance, quotient, range_answer, real_answer, samples,
                    samples_and_batch, unrounded, whole_answer)

KEPT = "The last, smaller batch is kept (PyTorch's default, `drop_last=False`)."
DROPPED = "The last, smaller batch is dropped (`drop_last=True`)."


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def explain_dropped(n: int, b: int, epochs: int | None = None) -> list[str]:
    """The worked solution when the last batch is dropped. `explain_iterations` counts a kept
    last batch (its "over E epochs" line says E × ceil and E × N), which would contradict a
    drop_last answer; so its division lines are reused and the counting is redone here with the
    dropped counts, from training_math."""
    full = iterations_per_epoch(n, b, drop_last=True)
    rest = n - samples_processed(n, b, 1, drop_last=True)
    steps = explain_iterations(n, b)[:2]
    if rest:
        steps.append(f"The last batch of {_count(rest, 'sample')} is dropped (`drop_last=True`): "
                     f"iterations per epoch = {full:,} (floor).")
    else:
        steps.append(f"Iterations per epoch = {full:,}: nothing is left over, so nothing is dropped.")
    if epochs is not None:
        used = samples_processed(n, b, 1, drop_last=True)
        steps.append(
            f"Over {_count(epochs, 'epoch')}: {epochs:,} × {full:,} = "
            f"{_count(total_iterations(n, b, epochs, drop_last=True), 'iteration')}; each epoch uses "
            f"{full:,} × {b:,} = {_count(used, 'sample')}, so the network sees {epochs:,} × {used:,} = "
            f"{_count(samples_processed(n, b, epochs, drop_last=True), 'sample')}.")
    return steps


def iterations_kept(rng: random.Random) -> dict:
    n, b = samples_and_batch(rng)
    kept, full = iterations_per_epoch(n, b), iterations_per_epoch(n, b, drop_last=True)
    rest = last_batch_size(n, b)
    return dict(
        prompt=(f"A training set has **{n:,}** samples and the batch size is **{b:,}**. {KEPT}\n\n"
                "How many **iterations** (weight updates) are there in **one epoch**?"),
        params={"n_samples": n, "batch_size": b},
        answer=whole_answer(kept, "iterations"),
        mistakes=[
            exact("floor-instead-of-ceil", full,
                  f"You rounded down. {n:,} ÷ {b:,} is not a whole number: the samples left over after the "
                  "full batches still make one last, smaller batch, and that batch is an update too. "
                  "Round **up** (ceil) unless the last batch is dropped."),
            unrounded("unrounded-division", n, b,
                      f"That is {n:,} ÷ {b:,} left unrounded, and a count of batches is a whole number. An "
                      "iteration is one batch, so count batches: round up, because the last partial batch is kept."),
            exact("n-times-b", n * b,
                  f"That is {n:,} × {b:,}. The batch size is how many samples go into each batch, so "
                  "divide the samples by it, then round."),
            exact("batch-size-as-iterations", b,
                  f"{b:,} is the batch size: samples per batch. Iterations count batches: how many "
                  f"batches of {b:,} does it take to cover {n:,} samples?"),
            exact("last-batch-size-as-count", rest,
                  "That is the size of the last batch, in samples. The question asks how many "
                  "batches (iterations) there are."),
        ],
        hint="Divide the samples by the batch size, then round: a partial last batch still counts as a batch.",
        solution=explain_iterations(n, b),
    )


def iterations_dropped(rng: random.Random) -> dict:
    n, b = samples_and_batch(rng)
    kept, full = iterations_per_epoch(n, b), iterations_per_epoch(n, b, drop_last=True)
    return dict(
        prompt=(f"A training set has **{n:,}** samples and the batch size is **{b:,}**. {DROPPED}\n\n"
                "How many **iterations** (weight updates) are there in **one epoch**?"),
        params={"n_samples": n, "batch_size": b},
        answer=whole_answer(full, "iterations"),
        mistakes=[
            exact("ceil-instead-of-floor", kept,
                  "You counted the last, partial batch, but `drop_last=True` throws it away: only full "
                  "batches make updates. Round **down** (floor) here."),
            unrounded("unrounded-division-drop-last", n, b,
                      f"That is {n:,} ÷ {b:,} left unrounded, and a count of batches is a whole number. With "
                      "the partial batch dropped, count only the full batches: round down."),
            exact("n-times-b", n * b,
                  f"That is {n:,} × {b:,}. Divide the samples by the batch size instead, and keep only "
                  "the full batches."),
            exact("batch-size-as-iterations", b,
                  f"{b:,} is the batch size. Iterations count batches: how many full batches of {b:,} "
                  f"fit in {n:,} samples?"),
        ],
        hint="Divide the samples by the batch size; with drop_last only full batches count.",
        solution=explain_dropped(n, b),
    )


def last_batch(rng: random.Random) -> dict:
    n, b = samples_and_batch(rng)
    kept, full = iterations_per_epoch(n, b), iterations_per_epoch(n, b, drop_last=True)
    rest = last_batch_size(n, b)
    return dict(
        prompt=(f"**{n:,}** samples are split into batches of **{b:,}**. {KEPT}\n\n"
                "How many **samples** are in the **last batch** of each epoch?"),
        params={"n_samples": n, "batch_size": b},
        answer=whole_answer(rest, "samples"),
        mistakes=[
            exact("last-batch-is-full", b,
                  "The last batch is not always full: it gets only the samples left over after all the "
                  "full batches."),
            exact("count-instead-of-size", kept,
                  "That is how many batches there are. The question asks how many samples the last "
                  "one holds."),
            exact("full-batches-total", full * b,
                  "That is how many samples the full batches hold. The last batch gets the samples "
                  "left over after them."),
            unrounded("remainder-as-fraction", rest, b,
                      "That is the part of a batch left over, as a fraction of the batch size. Give it in "
                      f"samples: how many of the {n:,} samples are left after the full batches?"),
        ],
        hint="Take away the samples in all the full batches; the rest form the last batch.",
        solution=explain_iterations(n, b) + [
            f"Last batch = N − (iterations − 1) × B = {n:,} − {kept - 1:,} × {b:,} = {_count(rest, 'sample')}."],
    )


def total(rng: random.Random) -> dict:
    n, b = samples_and_batch(rng)
    e = rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 100, 200))
    kept, full = iterations_per_epoch(n, b), iterations_per_epoch(n, b, drop_last=True)
    answer = total_iterations(n, b, e)
    return dict(
        prompt=(f"A model trains for **{e:,} epochs** on **{n:,}** samples with a batch size of "
                f"**{b:,}**. {KEPT}\n\nHow many **iterations** (weight updates) are there in the "
                "**whole training run**?"),
        params={"n_samples": n, "batch_size": b, "epochs": e},
        answer=whole_answer(answer, "iterations"),
        mistakes=[
            exact("forgot-times-epochs", kept,
                  f"That is the number of iterations in **one** epoch, and the run has {e:,} epochs."),
            exact("epochs-equal-iterations", e,
                  f"{e:,} is the number of epochs, passes over the whole dataset. Each epoch itself "
                  "is made of many iterations, one per batch."),
            exact("floor-instead-of-ceil", e * full,
                  f"You rounded {n:,} ÷ {b:,} down. The last, smaller batch is kept, so it is an "
                  "iteration too: round the iterations per epoch up, then multiply by the epochs."),
            unrounded("unrounded-division", e * n, b,
                      f"{e:,} × {n:,} ÷ {b:,} leaves the division unrounded. Round the iterations of one "
                      "epoch up to a whole number of batches first, then multiply by the epochs."),
            exact("counted-samples", e * n,
                  f"{e:,} × {n:,} counts samples seen. An iteration is one batch, one update: count "
                  "batches per epoch and multiply by the epochs."),
            exact("n-times-b", e * n * b,
                  f"That is {e:,} × {n:,} × {b:,}. The batch size is how many samples go into each batch, "
                  "so divide by it (then round up) to get the iterations per epoch; then multiply by "
                  "the epochs."),
            exact("n-times-b", n * b,
                  f"That is {n:,} × {b:,}. Divide the samples by the batch size instead (rounded up, "
                  "that gives the iterations per epoch), then multiply by the epochs."),
            exact("rounded-whole-run", -(-e * n // b),
                  f"You divided the whole run, {e:,} × {n:,} samples, by {b:,} and rounded once. But every "
                  "epoch ends with its own partial batch, and each of those is an update: round up the "
                  "iterations of **one** epoch first, then multiply by the epochs."),
            exact("rounded-whole-run", e * n // b,
                  f"You divided the whole run, {e:,} × {n:,} samples, by {b:,} and rounded down once. "
                  "Every epoch ends with its own partial batch, which is kept and is an update: round up "
                  "the iterations of **one** epoch first, then multiply by the epochs."),
        ],
        hint="Iterations per epoch (rounded up), times the number of epochs.",
        solution=explain_iterations(n, b, e),
    )


def epochs_needed(rng: random.Random) -> dict:
    n, b = samples_and_batch(rng)
    per_epoch = iterations_per_epoch(n, b)
    e = rng.randint(2, 60)
    updates = rng.randint(total_iterations(n, b, e - 1) + 1, total_iterations(n, b, e))
    fewer = e - 1
    exact_division = updates % per_epoch == 0
    return dict(
        prompt=(f"You train on **{n:,}** samples with a batch size of **{b:,}**. {KEPT} Your schedule "
                f"needs at least **{updates:,}** weight updates.\n\nHow many **epochs** must you train "
                "(the smallest whole number)?"),
        params={"n_samples": n, "batch_size": b, "updates": updates},
        answer=whole_answer(e, "epochs"),
        mistakes=[
            exact("epochs-equal-iterations", updates,
                  f"{updates:,} is the number of updates (iterations), not epochs. Work out how many "
                  "updates one epoch gives, then how many epochs it takes to reach the target."),
            exact("too-few-epochs", fewer,
                  f"That many epochs give fewer than {updates:,} updates. Count the updates one epoch "
                  "gives (rounding up for the last batch) and check your answer reaches the target.")
            if exact_division else
            exact("rounded-epochs-down", fewer,
                  f"That many epochs give fewer than {updates:,} updates. Round the epochs **up**: a "
                  "part-epoch is not enough, you need the whole next epoch."),
            unrounded("unrounded-division", updates, per_epoch,
                      "That is the division left unrounded, and you can only train whole epochs. Round "
                      "up to the next whole epoch."),
            exact("multiplied-instead-of-divided", updates * per_epoch,
                  "That multiplies the updates by the iterations per epoch. Divide instead: how many "
                  "epochs of updates reach the target?"),
        ],
        hint="Find the iterations in one epoch first, then how many epochs reach the number of updates.",
        solution=explain_iterations(n, b) + [
            (f"Epochs needed = {updates:,} ÷ {per_epoch:,} = {e:,} exactly: no rounding needed."
             if exact_division else
             f"Epochs needed = {updates:,} ÷ {per_epoch:,} {quotient(updates, per_epoch)}, rounded up = {e:,} "
             "(a part-epoch is not enough: the last one must be trained whole)."),
            f"Check: {_count(fewer, 'epoch')} give {_count(fewer * per_epoch, 'update')} (too few); "
            f"{_count(e, 'epoch')} give {total_iterations(n, b, e):,}."],
    )


def samples_seen(rng: random.Random) -> dict:
    n, b = samples_and_batch(rng)
    e = rng.choice((2, 3, 4, 5, 8, 10, 12, 20, 25, 50, 100))
    drop = rng.random() < 0.35
    kept, full = iterations_per_epoch(n, b), iterations_per_epoch(n, b, drop_last=True)
    answer = samples_processed(n, b, e, drop_last=drop)
    per_epoch = samples_processed(n, b, 1, drop_last=drop)
    times_b = exact("multiplied-by-batch-size", e * n * b,
                    f"That is {e:,} × {n:,} × {b:,}. The batch size only groups the samples: each epoch "
                    "shows every sample once" + (", minus the dropped ones" if drop else "")
                    + ", so don't multiply by it.")
    if drop:
        mistakes = [
            exact("forgot-times-epochs-samples", per_epoch,
                  f"That is the samples seen in **one** epoch, and the run has {e:,} epochs."),
            exact("kept-dropped-batch", e * n,
                  f"{e:,} × {n:,} counts every sample, but with `drop_last=True` the samples of the "
                  "partial last batch are skipped in every epoch: count only the samples in full batches."),
            exact("counted-iterations", e * full,
                  "That is the number of iterations (batches). The question counts samples, and each "
                  "batch holds several."),
            times_b,
        ]
    else:
        mistakes = [
            exact("forgot-times-epochs-samples", n,
                  f"{n:,} samples are seen in **one** epoch, and the run has {e:,} epochs."),
            exact("samples-as-iterations-times-b", e * kept * b,
                  "That counts every batch as full, but the last batch of each epoch is smaller: with "
                  "the last batch kept, each epoch sees exactly the dataset's samples, once each."),
            exact("counted-iterations", e * kept,
                  "That is the number of iterations (batches). The question counts samples."),
            times_b,
        ]
    return dict(
        prompt=(f"A model trains for **{e:,} epochs** on **{n:,}** samples with a batch size of "
                f"**{b:,}**. {DROPPED if drop else KEPT}\n\nHow many **samples** does the network "
                "process over the whole run (counting a sample again each time it is seen)?"),
        params={"n_samples": n, "batch_size": b, "epochs": e, "drop_last": drop},
        answer=whole_answer(answer, "samples"),
        mistakes=mistakes,
        hint="Samples seen per epoch, times the number of epochs.",
        solution=explain_dropped(n, b, e) if drop else explain_iterations(n, b, e),
    )


def batch_for_iterations(rng: random.Random) -> dict:
    n = samples(rng)
    # k from N/4096 (so some answer is a batch size of at most 4,096) up to √N / 2 (so several
    # batch sizes work and the floor mistake can be told apart), leaning towards small counts
    k_min, k_max = max(2, -(-n // 4096)), max(2, int(math.sqrt(n) / 2))
    k = max(k_min, min(k_max, round(math.exp(rng.uniform(math.log(k_min), math.log(k_max + 1)))) or k_min))
    # ceil(N/B) = k  ⇔  k − 1 < N/B ≤ k  ⇔  N/k ≤ B < N/(k − 1)
    low, high = -(-n // k), -(-n // (k - 1)) - 1
    floor_low, floor_high = n // (k + 1) + 1, n // k  # B with floor(N/B) = k: k full batches
    floor_pick = next((x for x in (floor_high, floor_high - 1) if x >= max(floor_low, 1) and
                       not low <= x <= high), None)
    mistakes = [
        unrounded("unrounded-division", n, k,
                  f"That is {n:,} ÷ {k:,} left unrounded, and a batch holds a whole number of samples. "
                  f"Pick a whole B with {n:,} ÷ B rounded up equal to {k:,}."),
        exact("n-times-b", n * k,
              f"That is {n:,} × {k:,}. The batch size is samples per batch: divide, don't multiply."),
    ]
    if floor_pick is not None:
        mistakes.insert(0, Mistake(
            "floor-instead-of-ceil", str(floor_pick),
            f"With a batch size like that, {n:,} samples make {k:,} full batches **plus** a partial "
            "batch, which is kept: one iteration too many. You counted only the full batches (floor); "
            "every batch counts (ceil).",
            str(floor_low), str(min(floor_high, low - 1))))  # B = N ÷ k divides exactly: right
    return dict(
        prompt=(f"You have **{n:,}** samples. {KEPT}\n\nGive a **batch size** that makes exactly "
                f"**{k:,} iterations** per epoch. (Several answers are right; any one of them will do.)"),
        params={"n_samples": n, "iterations": k},
        answer=range_answer(low, high, "samples per batch"),
        mistakes=mistakes,
        hint=f"Try a batch size: {n:,} ÷ B, rounded up, must come out as {k:,}.",
        solution=[
            f"Iterations per epoch = {n:,} ÷ B rounded up. For that to be {k:,}: "
            f"{k - 1:,} < {n:,} ÷ B ≤ {k:,}, so {n:,} ÷ {k:,} ≤ B < {n:,} ÷ {k - 1:,}.",
            f"{n:,} ÷ {k:,} {quotient(n, k)} and {n:,} ÷ {k - 1:,} {quotient(n, k - 1)}: every whole "
            f"batch size from {low:,} to {high:,} works.",
            *explain_iterations(n, low)[:3],
        ],
    )


def explain_batch_for_iterations(question, x: Decimal) -> tuple[str, str] | None:
    """Feedback for any other batch size: what it really gives."""
    n, k = question.params["n_samples"], question.params["iterations"]
    if x != x.to_integral_value() or x < 1 or x > 10**9:
        return None
    got = iterations_per_epoch(n, int(x))
    more_or_fewer = "more" if got > k else "fewer"
    return ("wrong-batch-size",
            f"With a batch size of {fmt(x)}: {n:,} ÷ {fmt(x)} {quotient(n, int(x))}, rounded up, gives "
            f"{_count(got, 'iteration')}, {more_or_fewer} than {k:,}. "
            f"{'Use a larger' if got > k else 'Use a smaller'} batch size.")


def accumulation(rng: random.Random) -> dict:
    while True:
        n, b = samples_and_batch(rng)
        a = rng.choice((2, 3, 4, 4, 5, 6, 8, 8, 16, 32))
        micro = iterations_per_epoch(n, b)
        if micro > a and (micro % a or rng.random() < 0.2):
            break
    answer = iterations_per_epoch(micro, a)  # ceil(micro-batches / A): groups of A, last one partial
    return dict(
        prompt=(f"You train on **{n:,}** samples with micro-batches of **{b:,}**. {KEPT} To get the effect "
                f"of a larger batch, gradients are **accumulated over {a:,} micro-batches** before each "
                f"optimizer step (an effective batch of {a * b:,}). A leftover group of fewer than {a:,} "
                "micro-batches at the end of the epoch still makes one last step.\n\n"
                "How many **weight updates** (optimizer steps) happen in **one epoch**?"),
        params={"n_samples": n, "batch_size": b, "accumulation_steps": a},
        answer=whole_answer(answer, "updates"),
        mistakes=[
            exact("micro-batches-as-updates", micro,
                  "That is the number of micro-batches (forward and backward passes). With "
                  f"accumulation the weights change only once every {a:,} of them."),
            exact("multiplied-by-accumulation", micro * a,
                  f"Accumulating makes **fewer** updates, not more: one update per group of {a:,} "
                  "micro-batches."),
            exact("floor-instead-of-ceil", micro // a,
                  f"You rounded down: the leftover micro-batches that don't fill a whole group of {a:,} "
                  "still make one last step, so round **up**."),
            unrounded("unrounded-division", micro, a,
                      "That is the division left unrounded, and steps come in whole numbers. Round up: "
                      "the leftover micro-batches make one last step."),
            unrounded("unrounded-division", n, a * b,
                      "That is the division left unrounded, and steps come in whole numbers. Round up: "
                      "the last, smaller group still makes a step."),
        ],
        hint="Count micro-batches per epoch first, then how many groups of the accumulation steps they make.",
        solution=explain_iterations(n, b)[:3] + [
            f"Every {a:,} micro-batches make one optimizer step: {micro:,} ÷ {a:,} {quotient(micro, a)}, "
            f"rounded up = {answer:,} weight updates per epoch.",
            f"Same result from the effective batch: {n:,} ÷ {a * b:,} rounded up = "
            f"{iterations_per_epoch(n, a * b):,}."],
    )


def round_down_nicely(x: Decimal) -> Decimal:
    """The largest 1, 2 or 5 × 10^k not above x (x > 0): 0.063 → 0.05, 0.0123 → 0.01."""
    power = D(10) ** (x.adjusted())
    return max(power * m for m in (D(1), D(2), D(5)) if power * m <= x)


def _epoch_time_slips(n: int, b: int, seconds: Decimal, minutes: bool, tol: Decimal) -> list[Mistake]:
    per_epoch, full = iterations_per_epoch(n, b), iterations_per_epoch(n, b, drop_last=True)
    in_unit = (lambda s: s / 60) if minutes else (lambda s: s)
    unit, other = ("minutes", "seconds") if minutes else ("seconds", "minutes")

    def slip(mistake_id: str, value: Decimal, feedback: str) -> Mistake:
        # its own 1 %, never wider than the answer's window: slips stay apart from the answer
        return near(mistake_id, value, min(tol, percent_tolerance(value)), feedback)

    return [
        slip("time-per-sample", in_unit(n * seconds),
             f"That times {n:,} steps, one per sample. One iteration processes a whole batch of {b:,}: "
             "an epoch has one iteration per batch, not per sample."),
        slip("wrong-time-unit", per_epoch * seconds / (1 if minutes else 60),
             f"Right arithmetic, wrong unit: that is the time in {other}, and the question asks for "
             f"{unit}. " + ("Divide the seconds by 60." if minutes else "Give the time in seconds (× 60).")),
        slip("floor-instead-of-ceil", in_unit(full * seconds),
             f"You rounded {n:,} ÷ {b:,} down. The last, smaller batch is kept and takes an iteration "
             "too."),
        slip("forgot-times-iterations", in_unit(seconds),
             "That is the time of **one** iteration. An epoch has one iteration per batch."),
    ]


def epoch_time(rng: random.Random) -> dict:
    while True:
        n, b = samples_and_batch(rng)
        per_epoch = iterations_per_epoch(n, b)
        seconds = D(f"{10 ** rng.uniform(-2, 0.2):.2g}")  # 0.01 s to 1.6 s per iteration
        total_s = per_epoch * seconds
        minutes = total_s >= 600
        in_unit = (lambda s: s / 60) if minutes else (lambda s: s)
        value = in_unit(total_s)
        # At most 1 % of the answer, but a round number (1, 2 or 5 × a power of ten) that tells
        # only its size: "±0.063" would give the answer away as about 6.3. Never so wide that it
        # reaches the forgot-the-last-batch slip, one iteration's time away.
        tol = min(round_down_nicely(value / 100), round_down_nicely(in_unit(seconds) * D("0.3")))
        if tol < D("0.001"):
            continue
        mistakes = _epoch_time_slips(n, b, seconds, minutes, tol)
        windows = sorted((D(m.low), D(m.high)) for m in mistakes)
        # about 60 iterations per epoch make "one iteration" and "wrong unit" the same number:
        # such variants can't say which slip was made, so they are drawn again
        if all(hi < lo for (_l, hi), (lo, _h) in zip(windows, windows[1:])):
            break
    unit = "minutes" if minutes else "seconds"
    return dict(
        prompt=(f"A model trains on **{n:,}** samples with a batch size of **{b:,}**. {KEPT} Each "
                f"iteration takes **{seconds} seconds**.\n\nHow long does **one epoch** take, in "
                f"**{unit}**? Answer to within ±{fmt(tol)} {unit}."),
        params={"n_samples": n, "batch_size": b, "seconds_per_iteration": str(seconds)},
        answer=real_answer(value, tol, unit, places=3),
        mistakes=mistakes,
        hint="Time per epoch = iterations per epoch × time per iteration.",
        solution=explain_iterations(n, b)[:3] + [
            f"Time per epoch = {per_epoch:,} iterations × {seconds} s = {fmt(total_s)} s"
            + (f" = {fmt(total_s)} ÷ 60 = {fmt(round(value, 3))} minutes." if minutes else ".")],
    )


SPLITS = {"training": "training set", "validation": "validation set", "test": "test set"}


def accuracy(rng: random.Random) -> dict:
    while True:
        splits = ["training", "validation"] + (["test"] if rng.random() < 0.4 else [])
        results = {}
        for split in splits:
            size = int(10 ** rng.uniform(2.7, 4.8)) if split == "training" else int(10 ** rng.uniform(2.3, 4))
            acc = rng.uniform(0.88, 0.975) if split == "training" else rng.uniform(0.70, 0.95)
            results[split] = (round(size * acc), size)
        asked = rng.choice(splits[1:] if rng.random() < 0.7 else splits)
        pct = {s: D(c) * 100 / D(t) for s, (c, t) in results.items()}
        if all(abs(pct[asked] - pct[s]) > 1 for s in splits if s != asked):
            break
    correct, count = results[asked]
    tol = D("0.1")
    value = pct[asked]
    lines = "\n".join(f"- {SPLITS[s].capitalize()}: **{c:,}** of **{t:,}** predictions correct"
                      for s, (c, t) in results.items())
    return dict(
        prompt=(f"After training, a classifier is evaluated on each split:\n\n{lines}\n\n"
                f"What is the **{asked} accuracy**, in percent? Answer to within ±{tol} percentage points."),
        params={"split": asked, **{f"{s}_correct": c for s, (c, _) in results.items()},
                **{f"{s}_total": t for s, (_, t) in results.items()}},
        answer=real_answer(value, tol, "%", places=2),
        mistakes=[
            *[near("wrong-split", pct[s], tol,
                   f"That is the {s} accuracy. The question asks about the {SPLITS[asked]}: use that "
                   "split's own numbers.")
              for s in splits if s != asked],
            near("error-rate", 100 - value, tol,
                 "That is the share of **wrong** predictions (the error rate). Accuracy is the share "
                 "of correct ones."),
            near("fraction-not-percent", value / 100, tol / 100,
                 "Right ratio, but as a fraction: the question asks for a percentage, so multiply by 100."),
            near("inverted-ratio", D(count) * 100 / D(correct), tol,
                 "That divides the predictions by the correct ones. Accuracy is correct ÷ predictions."),
        ],
        hint="Accuracy = correct predictions ÷ all predictions on that split, × 100 for a percentage.",
        solution=[
            f"{asked.capitalize()} accuracy = correct ÷ predictions on the {SPLITS[asked]} = "
            f"{correct:,} ÷ {count:,} = {fmt(round(value / 100, 4))} = {fmt(round(value, 2))} %.",
            "Accuracy is measured on whatever data you give it: training accuracy on the training data; "
            "validation and test accuracy on held-out data, which is what shows how well the model generalises.",
        ],
    )
