"""Ready-made runs, each showing one point of the lesson.

A preset is a SimConfig plus, for comparisons, the other runs to overlay. The one-line
`lesson` is what the page shows next to the preset: what to look at, and why it happens.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .config import SimConfig

# Small, noisy training set and a big network: it can memorise the wrong labels.
_MEMORISER = dict(n_samples=160, val_fraction=0.5, noise=0.35, label_noise=0.1, hidden_layers=(64, 64),
                  activation="relu", optimizer="adam", learning_rate=0.01, batch_size=8, epochs=150)


@dataclass(frozen=True)
class Preset:
    name: str
    lesson: str
    config: SimConfig
    compare: tuple[SimConfig, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        """The preset's name in a link: "Tiny vs huge batch" → "tiny-vs-huge-batch"."""
        return self.name.lower().replace(" ", "-")


PRESETS: dict[str, Preset] = {p.name: p for p in [
    Preset("Just right",
           "Training and validation loss fall together and level off: the network learns the "
           "shape of the moons without memorising the noise.",
           SimConfig()),
    Preset("Overfitting",
           "80 noisy training samples and a big network: training loss keeps falling, but "
           "validation loss turns up after a few epochs, because the network memorises the "
           "training samples (wrong labels included) instead of the pattern.",
           SimConfig(**_MEMORISER)),
    Preset("Learning rate too high",
           "Each update overshoots the minimum by more than it corrects, so the loss grows "
           "until it overflows: the run diverges within the first epoch.",
           SimConfig(optimizer="sgd", activation="relu", hidden_layers=(32, 32, 32), learning_rate=3.0)),
    Preset("Tiny vs huge batch",
           "Batch 4 makes 200 small, noisy updates per epoch; batch 800 makes one smooth update "
           "per epoch, so after 20 epochs it has learned far less. Same data, same start.",
           SimConfig(batch_size=4),
           compare=(SimConfig(batch_size=800),)),
    # The seed is part of the lesson: what early stopping "sees" depends on the data and the
    # first weights the seed draws (tests/test_simulator.py checks the text against the run).
    Preset("Early stopping",
           "The Overfitting preset's data and network, with early stopping on validation loss "
           "(patience 10). With this preset's seed (0), validation loss reaches its lowest early and "
           "then only wobbles, never beating that best again; after 10 epochs without a new best, "
           "training stops and the best epoch's weights are restored. So the run ends before the "
           "memorising that the Overfitting preset shows later, when its validation loss climbs to about "
           "3× its lowest. The seed is fixed because another seed draws other data and first weights: "
           "with seed 2 the lowest validation loss of the full run comes after the stop, because early "
           "stopping can only judge the epochs it has seen.",
           SimConfig(**_MEMORISER, seed=0, early_stopping=True, patience=10, restore_best_weights=True)),
]}
