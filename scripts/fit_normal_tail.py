"""Fit the float32 normal tail of nnref._special: Q(a) = 1 - Phi(a) = t P(t) e^{-a^2/2}, t = 1 / (1 + p a).

Usage: python scripts/fit_normal_tail.py [--degree D]

For a given p, the polynomial P of degree D minimizes the largest weighted
relative error

    max over a in [0, 14] of |t P(t) e^{-a^2/2} / Q(a) - 1| / max(1, a^2)

(Lawson's iteratively reweighted least squares, on a grid of 20,001 points).
The weight 1 / max(1, a^2) allows what rounding a float32 a costs anyway: Q
changes by a relative a^2 eps when a changes by a relative eps. The script
searches p by golden section and prints p, the coefficients of P (highest
degree first, as ``_Q32_P`` and ``_Q32_POLY``) and the error reached. The
reference Q is nnref's float64 path (W. J. Cody's approximations, ~1e-15
relative error, checked against math.erfc in the tests). Takes about 30 s.
"""

import argparse
import math
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from nnref._special import normal_cdf  # noqa: E402

A = np.linspace(0.0, 14.0, 20_001)
TAIL = normal_cdf(-A)  # Q(a)
SCALED = TAIL * np.exp(0.5 * A * A)  # t P(t), what the polynomial times t must match
WEIGHT = 1.0 / np.maximum(1.0, A * A)


def fit(p, degree, iterations=400):
    """The coefficients of P (highest degree first) for this p, and their weighted error."""
    t = 1.0 / (1.0 + p * A)
    target = SCALED / t  # P(t)
    powers = np.vander(t, degree + 1)
    scale = WEIGHT / target  # |P - target| * scale is the weighted relative error
    lawson = np.full(A.size, 1.0 / A.size)
    best = (math.inf, None)
    for _ in range(iterations):
        rows = scale * np.sqrt(lawson)
        coefficients = np.linalg.lstsq(powers * rows[:, None], target * rows, rcond=None)[0]
        error = np.abs(powers @ coefficients - target) * scale
        best = min(best, (error.max(), tuple(coefficients)))
        lawson *= error
        lawson /= lawson.sum()
    return best


def search_p(degree, low=0.25, high=0.45, steps=20):
    """Golden-section search for the p with the smallest weighted error."""
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = high - ratio * (high - low), low + ratio * (high - low)
    fa, fb = fit(a, degree)[0], fit(b, degree)[0]
    for _ in range(steps):
        if fa < fb:
            high, b, fb = b, a, fa
            a = high - ratio * (high - low)
            fa = fit(a, degree)[0]
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = fit(b, degree)[0]
    return round((low + high) / 2.0, 4)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--degree", type=int, default=6)
    args = parser.parse_args()
    p = search_p(args.degree)
    error, coefficients = fit(p, args.degree)
    print(f"_Q32_P = {p}")
    print(f"_Q32_POLY = {tuple(float(c) for c in coefficients)}")
    print(f"largest |relative error| / max(1, a^2) on [0, 14]: {error:.2e}")


if __name__ == "__main__":
    main()
