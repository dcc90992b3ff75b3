"""Benchmark nnref against PyTorch's CPU kernels and against naive Python loops.

Usage: python scripts/bench.py [--family NAME] [--repeat R] [--json PATH]

Each op family lives in ``scripts/bench_cases/<family>.py`` and defines
``cases(torch)``, which returns a list of :class:`Case`. Every case is timed as
the best of ``--repeat`` runs after one warm-up, with NumPy's BLAS and PyTorch
both limited to one thread, in float32. The nnref, PyTorch and floor calls of a
case take turns, one run of each per round, so that the state of the machine
(caches, the allocator's free memory, other load) is the same for all of them.
Printed per case: nnref time, the ratio nnref / PyTorch (when torch is
installed), the ratio naive loop / nnref on a smaller shape (when the case has
one), and nnref's peak extra memory (tracemalloc). A case can also time a
``floor``: a part of its work that nnref cannot skip (say, the exponential a
recomputed softmax needs), so that a gap to PyTorch can be shown to come from
that part. A backward that can also be given a value its forward saved
(max-pool indices, the softmax) is benchmarked both ways, each against PyTorch
given the same inputs: from x alone against PyTorch's forward and backward
(with ``torch_saved``, PyTorch's backward kernel alone, timed for the record),
and given the saved value against PyTorch's backward kernel. Every other
backward is compared with PyTorch's backward kernel alone, even where that
kernel reads the forward's output (sigmoid, tanh). The timings are a
benchmark, never a test.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import importlib
import json
import math
import pathlib
import platform
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))
FAMILIES = ["activations", "linear", "conv", "pooling", "upsampling", "normalization"]


@dataclass
class Case:
    """One timed operation: zero-argument callables with their inputs already bound."""

    name: str
    shape: str
    nnref: Callable
    torch: Optional[Callable] = None
    naive: Optional[Callable] = None  # a Python-loop version on a smaller input
    nnref_small: Optional[Callable] = None  # nnref on that same smaller input
    floor: Optional[Callable] = None  # a part of the work nnref cannot skip, timed alone
    floor_what: str = ""  # what ``floor`` runs, in words
    torch_saved: Optional[Callable] = None  # for a backward from x alone: PyTorch's kernel reading saved values
    extra: dict = field(default_factory=dict)


def set_torch_backward(case, torch, forward, x, g, recomputes=False):
    """PyTorch's side of the backward ``case`` of ``forward`` (a tensor function) at the arrays ``x``
    and ``g``: its backward kernel, by autograd on a retained graph. With ``recomputes`` (nnref's
    backward recomputes from x what PyTorch's forward saved), PyTorch's forward and backward
    instead, and the kernel alone as ``case.torch_saved``."""
    tx, tg = torch.from_numpy(x).requires_grad_(), torch.from_numpy(g)
    ty = forward(tx)
    kernel = lambda: torch.autograd.grad(ty, tx, tg, retain_graph=True)  # noqa: E731
    if recomputes:
        case.torch, case.torch_saved = (lambda: torch.autograd.grad(forward(tx), tx, tg)), kernel
    else:
        case.torch = kernel


def best_times(fns, repeat):
    """The best time of each callable over ``repeat`` rounds, after a warm-up round; in every round
    the callables run one after the other, so that they share the machine's state."""
    best = [math.inf] * len(fns)
    for round_ in range(repeat + 1):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            if round_:  # round 0 is the warm-up
                best[i] = min(best[i], time.perf_counter() - start)
    return best


def best_time(fn, repeat):
    return best_times([fn], repeat)[0]


def peak_memory(fn):
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def run_case(case, repeat):
    timed = {"nnref_s": case.nnref, "torch_s": case.torch, "floor_s": case.floor, "torch_saved_s": case.torch_saved}
    timed = {key: fn for key, fn in timed.items() if fn is not None}
    row = {"name": case.name, "shape": case.shape} | dict(zip(timed, best_times(list(timed.values()), repeat)))
    if case.torch is not None:
        row["ratio_torch"] = row["nnref_s"] / row["torch_s"]
    if case.torch_saved is not None:
        row["ratio_torch_saved"] = row["nnref_s"] / row["torch_saved_s"]
    if case.naive is not None:
        row["ratio_naive"] = best_time(case.naive, 1) / best_time(case.nnref_small, repeat)
    if case.floor is not None:
        row["floor_what"] = case.floor_what
        if case.torch is not None:
            row["floor_ratio"] = row["floor_s"] / row["torch_s"]
    row["peak_bytes"] = peak_memory(case.nnref)
    row |= case.extra
    if "flops" in row:  # multiply-adds counted twice
        row["nnref_gflops"] = row["flops"] / row["nnref_s"] / 1e9
        if "torch_s" in row:
            row["torch_gflops"] = row["flops"] / row["torch_s"] / 1e9
    return row


def cpu_model():
    """The CPU's model name (Linux), else what platform knows."""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", action="append", choices=FAMILIES)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--json", type=pathlib.Path)
    args = parser.parse_args()
    torch = load_torch()
    rows = []
    print(f"{'op':34} {'shape':28} {'nnref ms':>9} {'/torch':>7} {'naive/':>8} {'peak MB':>8}")
    for family in args.family or FAMILIES:
        try:
            module = importlib.import_module(f"bench_cases.{family}")
        except ModuleNotFoundError:
            continue
        for case in module.cases(torch):
            row = run_case(case, args.repeat) | {"family": family}
            rows.append(row)
            torch_ratio = f"{row['ratio_torch']:7.2f}" if "ratio_torch" in row else "      -"
            naive_ratio = f"{row['ratio_naive']:8.0f}" if "ratio_naive" in row else "       -"
            print(f"{row['name']:34} {row['shape']:28} {row['nnref_s'] * 1e3:9.3f} {torch_ratio} "
                  f"{naive_ratio} {row['peak_bytes'] / 2**20:8.1f}", flush=True)
    for r in rows:
        if "torch_gflops" in r:
            print(f"{r['name']}: nnref {r['nnref_gflops']:.1f} GFLOP/s, PyTorch {r['torch_gflops']:.1f} GFLOP/s")
    ratios = [r["ratio_torch"] for r in rows if "ratio_torch" in r]
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"geometric mean nnref/torch over {len(ratios)} cases: {geo:.2f}; worst {max(ratios):.2f}")
    if args.json:
        meta = {"machine": platform.machine(), "processor": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
                "numpy": np.__version__, "torch": torch.__version__ if torch else None, "threads": 1}
        args.json.write_text(json.dumps({"meta": meta, "results": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
