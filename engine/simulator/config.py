"""What to train: one validated settings object, and its round trip through a URL.

`SimConfig` is the single source of truth for a simulator run. The page builds one from its
widgets, teacher exercises store one, and `simulate(config)` trains exactly what it says. A
link carries the whole configuration as query parameters (`to_query_params`), and
`from_query_params` reads a link back, clamping anything hand-edited or out of range to the
nearest valid value and saying what it changed, so a tampered link never breaks the page.
"""
from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Dataset = Literal["moons", "circles", "spiral", "blobs", "xor"]
Activation = Literal["relu", "tanh", "sigmoid"]
Output = Literal["sigmoid", "softmax"]
Optimizer = Literal["sgd", "momentum", "adam"]
Monitor = Literal["val_loss", "val_accuracy"]

DATASETS: tuple[str, ...] = ("moons", "circles", "spiral", "blobs", "xor")
ACTIVATIONS: tuple[str, ...] = ("relu", "tanh", "sigmoid")
OUTPUTS: tuple[str, ...] = ("sigmoid", "softmax")
OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")
MONITORS: tuple[str, ...] = ("val_loss", "val_accuracy")
# Datasets whose number of classes can be chosen; the others are two-class by construction.
MULTICLASS_DATASETS: tuple[str, ...] = ("blobs", "spiral")

MAX_HIDDEN_LAYERS = 4
MAX_UNITS = 64


class SimConfig(BaseModel):
    """Everything that decides a simulator run. Same config (seed included) → same History.

    Dataset: `dataset`, `n_samples` (all samples, before the split), `noise` (spread of the
    inputs), `label_noise` (share of labels flipped to a wrong class, so overfitting can show),
    `n_classes` (2 or 3; only blobs and spiral use it, the others have 2), `val_fraction`
    (share held out for validation), `seed` (data, first weights and shuffling).
    Network: `hidden_layers` (0–4 layers of 1–64 units), `activation` for the hidden layers,
    `output` (sigmoid for two classes, softmax for any number; both use cross-entropy).
    Training: `optimizer` (sgd, momentum, adam), `learning_rate`, `momentum` (used by the
    momentum optimizer), `batch_size`, `epochs`, `l2` (weight decay on the weights, not the
    biases), `drop_last` (drop each epoch's last, smaller batch).
    Early stopping (Keras's rules): `early_stopping`, `monitor`, `min_delta`, `patience`,
    `restore_best_weights`, `baseline`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dataset: Dataset = "moons"
    n_samples: int = Field(1000, ge=40, le=2000)
    noise: float = Field(0.2, ge=0.0, le=1.0)
    label_noise: float = Field(0.0, ge=0.0, le=0.5)
    n_classes: int = Field(2, ge=2, le=3)
    val_fraction: float = Field(0.2, ge=0.1, le=0.5)
    seed: int = Field(0, ge=0, le=2**31 - 1)

    hidden_layers: tuple[int, ...] = (16, 16)
    activation: Activation = "tanh"
    output: Output = "sigmoid"

    optimizer: Optimizer = "adam"
    learning_rate: float = Field(0.01, ge=1e-5, le=10.0)
    momentum: float = Field(0.9, ge=0.0, le=0.99)
    batch_size: int = Field(32, ge=1, le=2000)
    epochs: int = Field(20, ge=1, le=500)
    l2: float = Field(0.0, ge=0.0, le=1.0)
    drop_last: bool = False

    early_stopping: bool = False
    monitor: Monitor = "val_loss"
    min_delta: float = Field(0.0, ge=0.0, le=1.0)
    patience: int = Field(5, ge=0, le=100)
    restore_best_weights: bool = False
    baseline: float | None = Field(None, ge=0.0, le=100.0)

    @field_validator("hidden_layers", mode="before")
    @classmethod
    def _layers_from_text(cls, value: Any) -> Any:
        # "16,16" (a URL or a text box) and [] both mean something sensible.
        if isinstance(value, str):
            value = [int(v) for v in value.replace(" ", "").split(",") if v]
        return value

    @field_validator("hidden_layers")
    @classmethod
    def _layers_in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if len(value) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(value)}")
        for units in value:
            if not 1 <= units <= MAX_UNITS:
                raise ValueError(f"each hidden layer has 1–{MAX_UNITS} units, got {units}")
        return value

    @field_validator("noise", "label_noise", "val_fraction", "learning_rate", "momentum", "l2",
                     "min_delta", "baseline")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        # -0.0 passes `ge=0` but NumPy refuses a negative-zero spread: store it as 0.0.
        return None if value is None else value + 0.0

    @model_validator(mode="after")
    def _consistent(self) -> "SimConfig":
        if self.classes > 2 and self.output == "sigmoid":
            raise ValueError("a sigmoid output separates two classes; use softmax for 3 classes")
        return self

    # Derived values the page, the readout and the engine share.
    @property
    def classes(self) -> int:
        """Number of classes actually generated (blobs and spiral honour `n_classes`)."""
        return self.n_classes if self.dataset in MULTICLASS_DATASETS else 2

    @property
    def n_val(self) -> int:
        """Validation samples: the held-out share, rounded, at least 1 and leaving ≥ 1 to train."""
        return min(max(1, round(self.n_samples * self.val_fraction)), self.n_samples - 1)

    @property
    def n_train(self) -> int:
        """Training samples: what one epoch goes through."""
        return self.n_samples - self.n_val

    def to_query_params(self) -> dict[str, str]:
        """Every field as a string, so a link reproduces the run even if defaults change."""
        out: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            if isinstance(value, bool):
                out[name] = "1" if value else "0"
            elif isinstance(value, (tuple, list)):
                out[name] = ",".join(str(v) for v in value) or "none"
            elif isinstance(value, float):
                out[name] = repr(value)  # shortest text that reads back to the same float
            else:
                out[name] = str(value)
        return out

    @classmethod
    def from_query_params(cls, params: dict[str, Any]) -> tuple["SimConfig", list[str]]:
        """Read a link back. Returns the config and notes about every value that had to change.

        Unknown keys are ignored (other parts of the page share the URL). A value that cannot
        be read falls back to its default; a number out of range is clamped to the nearest end
        of its range; an unknown choice falls back to the default choice.
        """
        values: dict[str, Any] = {}
        notes: list[str] = []
        for name, field in cls.model_fields.items():
            if name not in params:
                continue
            raw = params[name]
            if isinstance(raw, list):  # st.query_params.to_dict() gives strings; be lenient
                raw = raw[-1] if raw else ""
            text = str(raw).strip()
            value, note = _read_field(name, text, field.default)
            if note:
                notes.append(note)
            if value is not _DEFAULT:
                values[name] = value
        fixed = dict(values)
        dataset = fixed.get("dataset", cls.model_fields["dataset"].default)
        n_classes = fixed.get("n_classes", cls.model_fields["n_classes"].default)
        output = fixed.get("output", cls.model_fields["output"].default)
        if dataset in MULTICLASS_DATASETS and n_classes > 2 and output == "sigmoid":
            fixed["output"] = "softmax"
            if "output" in values:  # only worth a note if the link asked for sigmoid itself
                notes.append("output: a sigmoid output can only separate two classes; using softmax for 3 classes.")
        return cls(**fixed), notes


_DEFAULT = object()

# Ranges, read from the fields' own constraints so they are written once.
def allowed_range(name: str) -> tuple[float | None, float | None]:
    """(smallest, largest) value a numeric setting accepts; None where there is no limit."""
    return _bounds(name)


def _bounds(name: str) -> tuple[float | None, float | None]:
    lo = hi = None
    for meta in SimConfig.model_fields[name].metadata:
        lo = getattr(meta, "ge", lo) if getattr(meta, "ge", None) is not None else lo
        hi = getattr(meta, "le", hi) if getattr(meta, "le", None) is not None else hi
    return lo, hi


_CHOICES = {"dataset": DATASETS, "activation": ACTIVATIONS, "output": OUTPUTS,
            "optimizer": OPTIMIZERS, "monitor": MONITORS}
_INTS = {"n_samples", "n_classes", "seed", "batch_size", "epochs", "patience"}
_BOOLS = {"drop_last", "early_stopping", "restore_best_weights"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _clamp(name: str, number: float, text: str) -> tuple[float, str | None]:
    lo, hi = _bounds(name)
    if lo is not None and number < lo:
        return lo, f"{name}: {text} is below the smallest allowed value; using {_show(lo)}."
    if hi is not None and number > hi:
        return hi, f"{name}: {text} is above the largest allowed value; using {_show(hi)}."
    return number, None


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _shown(text: str) -> str:
    """A link's value as a note quotes it: at most 40 characters, and how long it really was."""
    return text if len(text) <= 40 else f"{text[:40]}… ({len(text):,} characters)"


def _read_field(name: str, text: str, default: Any) -> tuple[Any, str | None]:
    shown = _shown(text)
    unreadable = f"{name}: could not read {shown!r}; using the default ({_default_text(default)})."
    if name in _CHOICES:
        choice = text.lower()
        if choice in _CHOICES[name]:
            return choice, None
        return _DEFAULT, f"{name}: {shown!r} is not one of {', '.join(_CHOICES[name])}; using {default}."
    if name in _BOOLS:
        if text.lower() in _TRUE:
            return True, None
        if text.lower() in _FALSE:
            return False, None
        return _DEFAULT, unreadable
    if name == "hidden_layers":
        return _read_layers(text)
    if name == "baseline" and text.lower() in ("", "none"):
        return None, None
    try:
        number = float(text)
    except ValueError:
        return _DEFAULT, unreadable
    if math.isinf(number) and "inf" not in text.lower():
        # Digits too many for a float ("1e999", 400 nines): a number, just far out of range.
        lo, hi = _bounds(name)
        edge = hi if number > 0 else lo
        side = "above the largest" if number > 0 else "below the smallest"
        return (int(edge) if name in _INTS else float(edge)), (
            f"{name}: {shown} is far {side} allowed value; using {_show(edge)}.")
    if not math.isfinite(number):
        return _DEFAULT, unreadable
    note = None
    if name in _INTS:
        if not number.is_integer():
            note = f"{name}: {shown} is not a whole number; using {round(number)}."
        number = float(round(number))
    number, clamp_note = _clamp(name, number, shown)
    return (int(number) if name in _INTS else float(number)), clamp_note or note


def _read_layers(text: str) -> tuple[Any, str | None]:
    if text.lower() in ("", "none", "0"):
        return (), None
    unreadable = (f"hidden_layers: could not read {_shown(text)!r}; using the default "
                  f"({_default_text(SimConfig.model_fields['hidden_layers'].default)}).")
    try:
        units = [float(v) for v in text.replace(" ", "").split(",") if v]
    except ValueError:
        return _DEFAULT, unreadable
    if not all(math.isfinite(u) for u in units):
        return _DEFAULT, unreadable
    notes = []
    if len(units) > MAX_HIDDEN_LAYERS:
        notes.append(f"at most {MAX_HIDDEN_LAYERS} hidden layers, keeping the first {MAX_HIDDEN_LAYERS}")
        units = units[:MAX_HIDDEN_LAYERS]
    fixed = tuple(min(max(int(round(u)), 1), MAX_UNITS) for u in units)
    if any(f != u for f, u in zip(fixed, units)):
        notes.append(f"each layer has 1–{MAX_UNITS} units")
    note = None
    if notes:
        note = f"hidden_layers: {_shown(text)!r} changed to {','.join(map(str, fixed)) or 'none'} ({'; '.join(notes)})."
    return fixed, note


def _default_text(default: Any) -> str:
    if isinstance(default, tuple):
        return ",".join(map(str, default)) or "none"
    return str(default)
