"""Benchmark cases for nnref.activations (2M-element float32 inputs), forward and backward."""

import math

import numpy as np

import nnref
from bench import Case, set_torch_backward
from nnref import _special

SHAPE = (2, 1024, 1024)
SAVES_OUTPUT = ("softmax", "log_softmax")  # nnref's backward also takes the output; see _pair


def _naive_relu(x):
    return np.array([max(0.0, float(v)) for v in x.ravel()]).reshape(x.shape)


def _naive_leaky_relu(x):
    return np.array([v if v > 0 else 0.01 * v for v in x.ravel().tolist()]).reshape(x.shape)


def _naive_sigmoid(x):
    return np.array([1 / (1 + math.exp(-v)) for v in x.ravel().tolist()]).reshape(x.shape)


def _naive_softmax(x):
    rows = []
    for row in x.reshape(-1, x.shape[-1]).tolist():
        top = max(row)
        e = [math.exp(v - top) for v in row]
        total = sum(e)
        rows.append([t / total for t in e])
    return np.array(rows).reshape(x.shape)


def _ops(torch):
    """(name, nnref keywords, torch function or None, naive loop or None) for each activation."""
    F = torch.nn.functional if torch else None
    t = (lambda f: f) if torch else (lambda f: None)
    return [
        ("identity", {}, None, None),
        ("relu", {}, t(F and F.relu), _naive_relu),
        ("leaky_relu", {}, t(F and F.leaky_relu), _naive_leaky_relu),
        ("rrelu", {}, t(F and (lambda x: F.rrelu(x, training=False))), None),
        ("bipolar_relu", {}, None, None),
        ("sigmoid", {}, t(torch and torch.sigmoid), _naive_sigmoid),
        ("tanh", {}, t(torch and torch.tanh), None),
        ("arctan", {}, t(torch and torch.atan), None),
        ("binary_step", {}, None, None),
        ("elu", {}, t(F and F.elu), None),
        ("selu", {}, t(F and F.selu), None),
        ("gelu", {}, t(F and F.gelu), None),
        ("gelu", {"approximate": "tanh"}, t(F and (lambda x: F.gelu(x, approximate="tanh"))), None),
        ("softsign", {}, t(F and F.softsign), None),
        ("softplus", {}, t(F and F.softplus), None),
        ("isru", {}, None, None),
        ("isrlu", {}, None, None),
        ("sqnl", {}, None, None),
        ("silu", {}, t(F and F.silu), None),
        ("mish", {}, t(F and F.mish), None),
        ("hardtanh", {}, t(F and F.hardtanh), None),
        ("softmax", {"dim": -1}, t(F and (lambda x: F.softmax(x, dim=-1))), _naive_softmax),
        ("log_softmax", {"dim": -1}, t(F and (lambda x: F.log_softmax(x, dim=-1))), None),
    ]


def _without_polynomial(call):
    """``call()`` (a gelu or gelu_backward case) with the polynomial P(t) of the float32 normal CDF
    (nnref._special) cut to its leading coefficient: every pass but the 12 Horner steps, what any
    degree of P costs on top of them."""
    poly = _special._Q32_POLY
    _special._Q32_POLY = poly[:1]
    try:
        return call()
    finally:
        _special._Q32_POLY = poly


def _pair(name, kw, forward, backward, tfn, naive, x, g, small, torch):
    """The forward and backward cases of one activation. softmax and log_softmax: PyTorch's
    backward kernel reads the forward's output, which nnref's backward from x recomputes, so
    torch's side runs forward and backward, and its kernel alone is timed as ``torch_saved``."""
    label = name + "".join(f"({k}={v})" for k, v in kw.items() if k != "dim")
    cases = [Case(label, str(SHAPE), lambda: forward(x, **kw),
                  (lambda: tfn(torch.from_numpy(x))) if tfn else None,
                  (lambda: naive(small)) if naive else None,
                  (lambda: forward(small, **kw)) if naive else None)]
    cases.append(Case(label + "_backward", str(SHAPE), lambda: backward(g, x, **kw)))
    if tfn:
        set_torch_backward(cases[1], torch, tfn, x, g, recomputes=name in SAVES_OUTPUT)
    return cases


def _saved_output_cases(x, g, torch):
    """softmax / log_softmax backward given the forward's output, against the same torch backward."""
    cases = []
    for name in ("softmax", "log_softmax"):
        backward, y = getattr(nnref, name + "_backward"), getattr(nnref, name)(x, dim=-1)
        cases.append(Case(name + "_backward (output)", str(SHAPE),
                          lambda backward=backward, y=y: backward(g, x, dim=-1, output=y)))
        if torch:
            tfn = getattr(torch.nn.functional, name)
            set_torch_backward(cases[-1], torch, lambda t, tfn=tfn: tfn(t, dim=-1), x, g)
    return cases


def cases(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE, dtype=np.float32)
    g = rng.standard_normal(SHAPE, dtype=np.float32)
    small = x[0, :64]
    out = []
    for name, kw, tfn, naive in _ops(torch):
        forward, backward = getattr(nnref, name), getattr(nnref, name + "_backward")
        out += _pair(name, kw, forward, backward, tfn, naive, x, g, small, torch)
    out += _saved_output_cases(x, g, torch)
    for case in out:  # each needs at least one exponential per element: the floor times that alone
        if case.name in ("softmax_backward", "log_softmax_backward", "log_softmax_backward (output)"):
            case.floor, case.floor_what = (lambda: np.exp(x)), "one np.exp over the input"
        if case.name == "silu_backward":  # silu'(x) = sigma(x) (1 + x (1 - sigma(x))) needs the sigmoid first
            case.floor, case.floor_what = (lambda: nnref.sigmoid(x)), "nnref.sigmoid(x), which the derivative needs"
        if case.name in ("gelu", "gelu_backward"):
            case.floor = (lambda call=case.nnref: _without_polynomial(call))
            case.floor_what = "the same call with the degree-6 polynomial of the float32 normal CDF cut to a constant"
    w = rng.uniform(0.1, 0.3, SHAPE[1]).astype(np.float32)  # one slope per channel
    tprelu = (lambda tx: torch.nn.functional.prelu(tx, torch.from_numpy(w))) if torch else None
    out += _pair("prelu", {}, lambda x: nnref.prelu(x, w), lambda g, x: nnref.prelu_backward(g, x, w)[0],
                 tprelu, None, x, g, small, torch)
    return out
