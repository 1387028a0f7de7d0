"""A small fully connected network whose parameters live in one flat vector.

Why it is built this way: at batch 32 most of an iteration's time is the fixed cost of each
NumPy call (about a microsecond here), not arithmetic. So
- every weight and bias lives in one flat vector: the optimizer updates the whole network in a
  handful of calls, an early-stopping snapshot is one copy, and a History carries the trained
  network as a plain list of floats;
- each layer is one units × (inputs + 1) block whose last column is the bias, and every
  layer's input carries a trailing row of ones: the bias takes part in the matrix product,
  and its gradient comes out of the same product as the weights' gradient;
- inside a pass, samples are columns (features × batch): each layer's activations are then one
  contiguous block, which NumPy's elementwise calls run two to three times faster than a
  strided one. Only the logits come out sample by sample (batch × outputs), so that every
  batch writes into its own rows of one epoch-wide buffer, and the epoch's losses and
  accuracies are computed from that buffer in a few calls;
- a forward/backward pass is compiled once per batch into a *plan*: a flat list of NumPy calls
  whose every argument (batch views, preallocated buffers, the parameter views) is fixed in
  advance. Running an iteration is `for f, args in plan: f(*args)`. Constants in a plan are
  0-d arrays of the network's dtype, not Python floats: NumPy converts a Python float on
  every call, which here costs about a microsecond, more than the arithmetic.

Training runs in float32, as Keras and PyTorch do by default (NumPy's float32 tanh is
vectorised, float64's is not). The gradient check in the tests runs the very same plans in
float64, where finite differences are precise.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable

import numpy as np

from .config import SimConfig

Plan = list[tuple[Callable[..., Any], tuple]]


class Network:
    """Layer shapes, the layout of the flat parameter vector, and compiled passes."""

    def __init__(self, n_inputs: int, hidden: tuple[int, ...], n_outputs: int,
                 activation: str = "tanh", output: str = "sigmoid", dtype: type = np.float32):
        if output == "sigmoid" and n_outputs != 1:
            raise ValueError("a sigmoid output has exactly one unit")
        if activation not in _ACTIVATE:
            raise ValueError(f"unknown activation {activation!r}")
        self.sizes = [n_inputs, *hidden, n_outputs]
        self.activation = activation
        self.output = output
        self.dtype = np.dtype(dtype)
        self.shapes = [(b, a + 1) for a, b in zip(self.sizes[:-1], self.sizes[1:])]
        self.offsets = np.cumsum([0] + [r * c for r, c in self.shapes]).tolist()
        self.n_params = self.offsets[-1]
        # 1 on weights, 0 on biases: L2 weight decay leaves the biases alone (as Keras's
        # kernel_regularizer and scikit-learn's alpha do).
        self.weight_mask = np.ones(self.n_params, dtype=self.dtype)
        for view in self.views(self.weight_mask):
            view[:, -1] = 0.0

    @classmethod
    def for_config(cls, config: SimConfig, dtype: type = np.float32) -> "Network":
        outputs = 1 if config.output == "sigmoid" else config.classes
        return cls(2, config.hidden_layers, outputs, config.activation, config.output, dtype)

    def views(self, flat: np.ndarray) -> list[np.ndarray]:
        """Each layer's units × (inputs + 1) block (last column: bias), a view into `flat`."""
        return [flat[a:b].reshape(shape) for a, b, shape in
                zip(self.offsets[:-1], self.offsets[1:], self.shapes)]

    def init(self, rng: np.random.Generator) -> np.ndarray:
        """First weights: He-uniform for ReLU layers, Glorot-uniform otherwise; biases 0."""
        flat = np.zeros(self.n_params, dtype=self.dtype)
        for i, view in enumerate(self.views(flat)):
            fan_out, fan_in = view.shape[0], view.shape[1] - 1
            hidden_relu = self.activation == "relu" and i < len(self.shapes) - 1
            limit = np.sqrt(6.0 / fan_in) if hidden_relu else np.sqrt(6.0 / (fan_in + fan_out))
            view[:, :-1] = rng.uniform(-limit, limit, (fan_out, fan_in))
        return flat

    # -- compiled passes ------------------------------------------------------------------
    def forward_plan(self, theta: np.ndarray, x_aug: np.ndarray, logits: np.ndarray,
                     ws: "Workspace") -> Plan:
        """Calls that write the logits (batch × outputs) of the batch `x_aug` (inputs + a row
        of ones, × batch) into `logits`. Hidden activations stay in `ws` for the backward pass.
        """
        plan: Plan = []
        layers = self.views(theta)
        prev = x_aug
        for w, z, h, h_units in zip(layers, ws.z, ws.hidden, ws.hidden_units):
            plan.append((np.dot, (w, prev, z)))
            plan.extend(_ACTIVATE[self.activation](z, h_units, self.dtype))
            prev = h
        plan.append((np.dot, (prev.T, layers[-1].T, logits)))
        return plan

    def grad_scale(self, batch: int) -> float:
        """The factor κ by which `train_plan` multiplies the gradient of a batch of `batch`.

        The output error is then what the last layer computes anyway, with no division by the
        batch size: tanh(z/2) + (1 − 2y) = 2B·(σ(z) − y)/B for a sigmoid output, softmax(z) −
        one-hot = B·(…)/B for softmax. The optimizer divides κ back out in a step it does
        anyway (see optimizers.py), which saves a call on every iteration.
        """
        return 2.0 * batch if self.output == "sigmoid" else float(batch)

    def train_plan(self, theta: np.ndarray, grad: np.ndarray, x_aug: np.ndarray,
                   target: np.ndarray, logits: np.ndarray, ws: "Workspace",
                   l2: float = 0.0, full_batch: int | None = None,
                   x_rows: np.ndarray | None = None, penalty: np.ndarray | None = None) -> Plan:
        """Forward, then κ × the gradient of the objective (mean cross-entropy over the batch
        + l2/2 · Σ weights²) into `grad`, with κ = grad_scale(full_batch).

        `target` (batch × outputs) holds, per sample, 1 − 2y for a sigmoid output (so that
        tanh(z/2) + target = 2(σ(z) − y)), the one-hot label for softmax. The batch size B is
        the number of columns of `x_aug`; a last, smaller batch of a run whose other batches
        have `full_batch` samples is scaled to the same κ with one extra call. `x_rows`, if
        given, is the same batch stored sample by sample (batch × (inputs + 1), contiguous):
        the first layer's gradient product runs faster on it than on `x_aug` transposed.
        `penalty`, if given (one element), receives κ · l2 · Σ weights² at the weights the pass
        ran with (before the update), so the reported loss can include the L2 term as Keras's does.
        """
        batch = x_aug.shape[1]
        full_batch = full_batch or batch
        plan = self.forward_plan(theta, x_aug, logits, ws)
        delta = ws.delta
        if self.output == "sigmoid":
            plan += [(np.multiply, (logits, _const(0.5, self.dtype), delta)), (np.tanh, (delta, delta)),
                     (np.add, (delta, target, delta))]
        else:  # softmax(z) − one-hot, the max subtracted first so exp cannot overflow
            col = ws.column
            plan += [(partial(np.maximum.reduce, axis=1, out=col, keepdims=True), (logits,)),
                     (np.subtract, (logits, col, delta)), (np.exp, (delta, delta)),
                     (np.add.reduce, (delta, 1, None, col, True)), (np.divide, (delta, col, delta)),
                     (np.subtract, (delta, target, delta))]
        if batch != full_batch:
            plan.append((np.multiply, (delta, _const(full_batch / batch, self.dtype), delta)))
        layers = self.views(theta)
        grads = self.views(grad)
        inputs_t = [x_rows if x_rows is not None else x_aug.T, *[h.T for h in ws.hidden]]
        delta = delta.T  # outputs × batch, like the layers below
        for i in range(len(grads) - 1, 0, -1):
            back = ws.back[i - 1]
            plan.append((np.dot, (delta, inputs_t[i], grads[i])))
            plan.append((np.dot, (layers[i][:, :-1].T, delta, back)))
            plan.extend(_DERIVE[self.activation](back, ws.hidden_units[i - 1], ws.scratch[i - 1], self.dtype))
            delta = back
        plan.append((np.dot, (delta, inputs_t[0], grads[0])))
        if l2:
            decay = (self.grad_scale(full_batch) * l2 * self.weight_mask).astype(self.dtype)
            tmp = np.empty_like(grad)
            plan += [(np.multiply, (theta, decay, tmp)), (np.add, (grad, tmp, grad))]
            if penalty is not None:
                plan.append((np.dot, (tmp, theta, penalty.reshape(()))))
        return plan

    def workspace(self, batch: int) -> "Workspace":
        return Workspace(self, batch)

    # -- loss and predictions (once per epoch, in float64) --------------------------------
    def per_sample_loss(self, logits: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Cross-entropy of each sample, computed stably from the logits."""
        if self.output == "sigmoid":
            z = logits[:, 0]
            return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
        top = logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits - top).sum(axis=1)) + top[:, 0]
        return log_norm - logits[np.arange(len(y)), y]

    def predict(self, logits: np.ndarray) -> np.ndarray:
        """Predicted class of each sample."""
        if self.output == "sigmoid":
            return (logits[:, 0] > 0.0).astype(np.int64)
        return logits.argmax(axis=1)

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Class probabilities (n × classes; two columns for a sigmoid output)."""
        logits = np.asarray(logits, dtype=np.float64)
        if self.output == "sigmoid":
            p = 0.5 * (1.0 + np.tanh(0.5 * logits[:, 0]))
            return np.c_[1.0 - p, p]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    # -- one-off helpers (decision grid, tests) -------------------------------------------
    def logits(self, flat: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Logits for inputs `x` (n × 2) with parameters `flat`."""
        theta = np.asarray(flat, dtype=self.dtype)
        out = np.empty((len(x), self.sizes[-1]), dtype=self.dtype)
        run(self.forward_plan(theta, augment_t(x, self.dtype), out, self.workspace(len(x))))
        return out

    def loss_and_grad(self, flat: np.ndarray, x: np.ndarray, y: np.ndarray,
                      l2: float = 0.0) -> tuple[float, np.ndarray]:
        """The training objective (mean cross-entropy + l2/2 · Σ weights²) and its gradient,
        computed by the same compiled plan that training runs."""
        theta = np.array(flat, dtype=self.dtype)
        y = np.asarray(y)
        grad = np.zeros(self.n_params, dtype=self.dtype)
        logits = np.empty((len(x), self.sizes[-1]), dtype=self.dtype)
        run(self.train_plan(theta, grad, augment_t(x, self.dtype), self.targets(y), logits,
                            self.workspace(len(x)), l2))
        grad /= self.grad_scale(len(x))
        objective = float(self.per_sample_loss(logits.astype(np.float64), y).mean())
        if l2:
            objective += 0.5 * l2 * float(np.sum((theta.astype(np.float64) * self.weight_mask) ** 2))
        return objective, grad

    def targets(self, y: np.ndarray) -> np.ndarray:
        """The `target` rows `train_plan` expects (samples × outputs) for labels `y`."""
        if self.output == "sigmoid":
            return (1.0 - 2.0 * np.asarray(y, dtype=np.float64))[:, None].astype(self.dtype)
        return np.eye(self.sizes[-1], dtype=self.dtype)[y]


class Workspace:
    """Preallocated buffers for one batch size, samples as columns: pre-activations, hidden
    activations (each with a trailing row of ones), back-propagated errors; and the output
    error, samples as rows like the logits."""

    def __init__(self, net: Network, batch: int):
        dt = net.dtype
        units = net.sizes[1:-1]
        self.z = [np.empty((u, batch), dtype=dt) for u in units]
        self.hidden = [np.ones((u + 1, batch), dtype=dt) for u in units]
        self.hidden_units = [h[:u] for h, u in zip(self.hidden, units)]  # contiguous blocks
        self.back = [np.empty((u, batch), dtype=dt) for u in units]
        self.scratch = [np.empty((u, batch), dtype=dt if net.activation != "relu" else bool)
                        for u in units]
        self.delta = np.empty((batch, net.sizes[-1]), dtype=dt)
        self.column = np.empty((batch, 1), dtype=dt)


def run(plan: Plan) -> None:
    for f, args in plan:
        f(*args)


# Each activation writes its output into the hidden buffer. Each derivative is written with
# that output (tanh' = 1 − h², sigmoid' = h − h², relu' = [h > 0]) and multiplies the error
# in place, so nothing else needs keeping.
def _const(value: float, dtype: np.dtype) -> np.ndarray:
    return np.array(value, dtype=dtype)


def _tanh(z: np.ndarray, out: np.ndarray, dtype: np.dtype) -> Plan:
    return [(np.tanh, (z, out))]


def _relu(z: np.ndarray, out: np.ndarray, dtype: np.dtype) -> Plan:
    # np.maximum takes its output only by keyword (a third positional argument is deprecated).
    return [(partial(np.maximum, out=out), (z, _const(0.0, dtype)))]


def _sigmoid(z: np.ndarray, out: np.ndarray, dtype: np.dtype) -> Plan:
    # (1 + tanh(z/2)) / 2 is the logistic function and never overflows, unlike 1/(1 + e^−z).
    half = _const(0.5, dtype)
    return [(np.multiply, (z, half, z)), (np.tanh, (z, out)), (np.multiply, (out, half, out)),
            (np.add, (out, half, out))]


def _tanh_derivative(err: np.ndarray, h: np.ndarray, d: np.ndarray, dtype: np.dtype) -> Plan:
    return [(np.multiply, (h, h, d)), (np.subtract, (_const(1.0, dtype), d, d)), (np.multiply, (err, d, err))]


def _sigmoid_derivative(err: np.ndarray, h: np.ndarray, d: np.ndarray, dtype: np.dtype) -> Plan:
    return [(np.multiply, (h, h, d)), (np.subtract, (h, d, d)), (np.multiply, (err, d, err))]


def _relu_derivative(err: np.ndarray, h: np.ndarray, d: np.ndarray, dtype: np.dtype) -> Plan:
    return [(np.greater, (h, _const(0.0, dtype), d)), (np.multiply, (err, d, err))]


_ACTIVATE = {"tanh": _tanh, "relu": _relu, "sigmoid": _sigmoid}
_DERIVE = {"tanh": _tanh_derivative, "relu": _relu_derivative, "sigmoid": _sigmoid_derivative}


def augment_t(x: np.ndarray, dtype: type = np.float64) -> np.ndarray:
    """Samples (n × features) as columns with a trailing row of ones: (features + 1) × n, so
    the bias column takes part in the product."""
    x = np.asarray(x)
    out = np.ones((x.shape[1] + 1, len(x)), dtype=dtype)
    out[:-1] = x.T
    return out
