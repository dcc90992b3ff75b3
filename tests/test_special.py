"""Tests for nnref._special: the normal CDF and density against the math module, over every float range."""

import math

import numpy as np
import pytest

from nnref._special import _BLOCK, _Q32_P, _Q32_POLY, normal_cdf, normal_pdf


def erfc_cdf(x):
    """Phi(x) = erfc(-x / sqrt 2) / 2 from math.erfc, element by element, in float64.

    erfc, not 1 + erf, keeps the relative precision of the tail. Its argument x / sqrt 2 is
    rounded, which moves the reference by a relative error of up to about 2e-16 x^2.
    """
    return np.array([0.5 * math.erfc(-t / math.sqrt(2.0)) for t in np.ravel(x).astype(np.float64)])


def powers_of_two(low, high):
    """+-2^k for every k in [low, high]: one value from each binade of the range."""
    p = 2.0 ** np.arange(low, high + 1)
    return np.concatenate([-p, p])


def test_float64_normal_cdf_matches_math_erfc_over_the_whole_range():
    # The stated bound, relative 1e-15 down to x = -37.5, plus the reference's own error; below
    # that Phi is subnormal (absolute error within the same relative term) and then 0.
    x = np.concatenate([np.linspace(-39.0, 9.0, 24001), powers_of_two(-1074, 1023)])
    y = normal_cdf(x)
    expected = erfc_cdf(x)
    assert y.dtype == np.float64 and y.shape == x.shape
    bound = (1e-15 + 2e-16 * np.minimum(np.abs(x), 100.0) ** 2) * expected + 1e-323
    np.testing.assert_array_less(np.abs(y - expected), bound)
    np.testing.assert_array_equal(normal_cdf(np.array([-np.inf, -0.0, 0.0, np.inf])), [0.0, 0.5, 0.5, 1.0])
    assert np.isnan(normal_cdf(np.array([np.nan]))).all()


def test_float32_normal_cdf_matches_math_erfc_over_the_whole_range():
    # The stated bound, relative 5e-7 max(1, x^2) down to x = -12.9; below, subnormal results
    # within the same relative term and a few of the smallest subnormals (1.4e-45).
    x = np.concatenate([np.linspace(-16.0, 10.0, 52001), powers_of_two(-149, 127)]).astype(np.float32)
    with np.errstate(over="ignore"):  # 2^128 overflows float32: +-inf, also worth testing
        x = np.concatenate([x, np.float32([2.0**128, -2.0**128])])
    y = normal_cdf(x)
    assert y.dtype == np.float32 and y.shape == x.shape
    x64 = x.astype(np.float64)
    expected = erfc_cdf(x64)
    bound = 5e-7 * np.maximum(1.0, np.minimum(np.abs(x64), 100.0) ** 2) * expected + 1e-44
    np.testing.assert_array_less(np.abs(y - expected), bound)
    assert np.isnan(normal_cdf(np.float32([np.nan]))).all()


def test_float32_normal_cdf_over_several_blocks_and_non_contiguous_input():
    # The float32 path runs over flat blocks: three blocks and a partial one, against the
    # float64 path (a different algorithm, checked above). A transposed input gives the same values.
    x = np.linspace(-12.0, 8.0, 3 * _BLOCK + 5, dtype=np.float32)
    expected = normal_cdf(x.astype(np.float64))
    y = normal_cdf(x)
    np.testing.assert_array_less(np.abs(y - expected), 5e-7 * np.maximum(1.0, x.astype(np.float64) ** 2) * expected)
    t = x[:-5].reshape(768, 256).T
    np.testing.assert_array_equal(normal_cdf(t), normal_cdf(np.ascontiguousarray(t)))
    assert normal_cdf(np.float32(1.0).reshape(())).shape == ()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_normal_pdf_matches_math_exp(dtype):
    # phi(x) = e^{-x^2/2} / sqrt(2 pi); rounding x^2 costs a relative (x^2 / 2) eps.
    x = np.concatenate([np.linspace(-14.0, 14.0, 2801), [1e4, -1e30]]).astype(dtype)
    x64 = x.astype(np.float64)
    expected = np.array([math.exp(-t * t / 2) / math.sqrt(2 * math.pi) for t in x64])
    y = normal_pdf(x)
    assert y.dtype == dtype
    eps, tiny = np.finfo(dtype).eps, np.finfo(dtype).smallest_subnormal
    np.testing.assert_array_less(np.abs(y - expected), (3 + x64 * x64 / 2) * eps * expected + tiny)


def test_float32_normal_tail_fit_is_within_its_stated_error_in_exact_arithmetic():
    # The comment above _Q32_POLY: t P(t) e^{-a^2/2} matches Q(a) = erfc(a / sqrt 2) / 2 to
    # 9e-8 max(1, a^2) relative on [0, 14], evaluated in float64 (no float32 rounding).
    a = np.linspace(0.0, 14.0, 2801)
    tail = np.array([0.5 * math.erfc(v / math.sqrt(2)) for v in a])
    t = 1.0 / (1.0 + _Q32_P * a)
    fitted = t * np.polyval(_Q32_POLY, t) * np.exp(-0.5 * a * a)
    assert np.max(np.abs(fitted / tail - 1) / np.maximum(1.0, a * a)) < 9e-8
