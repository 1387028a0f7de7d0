"""The question kinds: id → Template, and `generate(template_id, seed)`.

A question is a pure function of (template id, seed): the seed feeds a `random.Random` seeded
with a string, which CPython hashes with SHA-512, so the same id and seed give the same
question on every machine and every run (PYTHONHASHSEED does not matter). Assignments can give
each student their own seed and regenerate the question at grading time.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from . import arithmetic, concepts, reading
from .build import keep_distinct
from .model import Question

Explain = Callable[[Question, Decimal], "tuple[str, str] | None"]


@dataclass(frozen=True)
class Template:
    id: str
    title: str  # the kind of question, as the learner sees it
    description: str  # one line for the chooser and the teacher's export
    group: str
    build: Callable[[random.Random], dict]
    shown: tuple[str, ...] = ()  # params the prompt must state (checked by the tests)
    explain_other: Explain | None = None  # feedback for a wrong number no known mistake covers
    available: Callable[[], bool] = lambda: True  # concept questions need a lesson

    def generate(self, seed: int) -> Question:
        rng = random.Random(f"batchwise-quiz/{self.id}/{seed}")
        parts = self.build(rng)
        answer = parts.pop("answer")
        mistakes = keep_distinct(answer, parts.pop("mistakes"))
        return Question(template_id=self.id, seed=seed, kind=self.title, answer=answer,
                        mistakes=mistakes, solution=tuple(parts.pop("solution")),
                        choices=tuple(parts.pop("choices", ())), **parts)


COUNTING, TIME, HISTORY, CONCEPTS = "Counting batches", "Time and accuracy", "Reading a training history", "Concepts"
NB = ("n_samples", "batch_size")

TEMPLATES: dict[str, Template] = {t.id: t for t in [
    Template("iterations-per-epoch", "Iterations per epoch",
             "N samples, batch size B, last batch kept: iterations in one epoch (ceil).",
             COUNTING, arithmetic.iterations_kept, NB),
    Template("iterations-drop-last", "Iterations per epoch, last batch dropped",
             "N samples, batch size B, drop_last=True: iterations in one epoch (floor).",
             COUNTING, arithmetic.iterations_dropped, NB),
    Template("last-batch-size", "Size of the last batch",
             "How many samples the last, partial batch holds.",
             COUNTING, arithmetic.last_batch, NB),
    Template("total-iterations", "Total iterations over E epochs",
             "Weight updates in a whole run: epochs × iterations per epoch.",
             COUNTING, arithmetic.total, NB + ("epochs",)),
    Template("epochs-for-updates", "Epochs needed for a number of updates",
             "The fewest epochs that reach a given number of weight updates.",
             COUNTING, arithmetic.epochs_needed, NB + ("updates",)),
    Template("samples-processed", "Samples processed",
             "Samples the network sees over a run, with the last batch kept or dropped.",
             COUNTING, arithmetic.samples_seen, NB + ("epochs",)),
    Template("batch-size-for-iterations", "A batch size giving exactly k iterations",
             "Any batch size B with ceil(N / B) = k (several right answers).",
             COUNTING, arithmetic.batch_for_iterations, ("n_samples", "iterations"),
             explain_other=arithmetic.explain_batch_for_iterations),
    Template("gradient-accumulation", "Updates with gradient accumulation",
             "Optimizer steps per epoch when gradients are accumulated over A micro-batches.",
             COUNTING, arithmetic.accumulation, NB + ("accumulation_steps",)),
    Template("time-per-epoch", "Time per epoch",
             "Seconds or minutes per epoch from the time of one iteration (within a stated tolerance, at most 1 %).",
             TIME, arithmetic.epoch_time, NB + ("seconds_per_iteration",)),
    Template("accuracy", "Accuracy on a named split",
             "Accuracy in percent from correct predictions on the training, validation or test set.",
             TIME, arithmetic.accuracy, ("split",)),
    Template("lowest-validation-loss", "Epoch with the lowest validation loss",
             "Read a training history: which epoch has the lowest validation loss.",
             HISTORY, reading.lowest_validation_loss, ("epochs",)),
    Template("early-stopping", "When early stopping stops",
             "Keras EarlyStopping with patience p (and sometimes min_delta): the epoch training stops.",
             HISTORY, reading.early_stopping, ("epochs", "patience", "min_delta")),
    Template("concept-term", "Which term is it?",
             "Multiple choice: match a definition from the lesson's glossary to its term.",
             CONCEPTS, concepts.term_for_definition, available=concepts.has_glossary),
    Template("concept-true-statement", "Which statement is true?",
             "Multiple choice: the right statement among the lesson's common misconceptions.",
             CONCEPTS, concepts.true_statement, available=concepts.has_misconceptions),
]}


def available_templates() -> dict[str, Template]:
    """The kinds that can be generated now (concept questions need a lesson with content)."""
    return {tid: t for tid, t in TEMPLATES.items() if t.available()}


def generate(template_id: str, seed: int) -> Question:
    """The question for this kind and seed: always the same for the same pair."""
    if template_id not in TEMPLATES:
        raise ValueError(f"Unknown question kind {template_id!r}. Known: {', '.join(TEMPLATES)}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be a whole number, got {seed!r}")
    return TEMPLATES[template_id].generate(seed)
