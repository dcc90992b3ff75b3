r"""The standard normal distribution, which NumPy lacks (it has no ``erf``).

$$ \Phi(x) = \frac{1}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right), \qquad
   \phi(x) = \Phi'(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}} $$

``normal_cdf`` evaluates $\Phi$ through the upper tail $Q(a) = 1 - \Phi(a)$, $a \ge 0$, so
that small values keep their relative precision ($1 + \operatorname{erf}$ would cancel for
$x \ll 0$):

* float64 (and any floating dtype but float32): W. J. Cody's rational approximations (ACM TOMS
  715, the algorithm of R's ``pnorm``), with a relative error below $10^{-15}$ wherever $\Phi(x)$
  is a normal float64 number ($x \ge -37.5$).
* float32: one form without masks, $Q(a) = t\,P(t)\,e^{-a^2/2}$ with $t = 1/(1 + p\,a)$ and a
  degree-6 polynomial $P$ (fitted by ``scripts/fit_normal_tail.py``), about ten times faster
  than Cody's three masked regions. Relative error below $5 \cdot 10^{-7} \max(1, x^2)$ where
  $\Phi(x)$ is a normal float32 number ($x \ge -12.9$): the $x^2$ growth is what the rounding of a
  float32 $x$ itself costs, as $\Phi$ changes by a relative $x^2 \epsilon$ when $x$ does by $\epsilon$.

Below those ranges the results are subnormal, with an absolute error of a few of the
smallest subnormals. ``tests/test_special.py`` checks both bounds against ``math.erfc``.
"""

import math

import numpy as np

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

# Cody's coefficients, numerator P and denominator Q of each rational function, highest degree first.
_CODY_CENTRE = ((0.065682337918207449113, 2.2352520354606839287, 161.02823106855587881,
                 1067.6894854603709582, 18154.981253343561249),
                (1.0, 47.20258190468824187, 976.09855173777669322,
                 10260.932208618978205, 45507.789335026729956))
_CODY_MIDDLE = ((1.0765576773720192317e-8, 0.39894151208813466764, 8.8831497943883759412,
                 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
                 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218),
                (1.0, 22.266688044328115691, 235.38790178262499861, 1519.377599407554805,
                 6485.558298266760755, 18615.571640885098091, 34900.952721145977266,
                 38912.003286093271411, 19685.429676859990727))
_CODY_FAR = ((0.02307344176494017303, 0.21589853405795699, 0.1274011611602473639,
              0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5),
             (1.0, 1.28426009614491121, 0.468238212480865118, 0.0659881378689285515,
              0.00378239633202758244, 7.29751555083966205e-5))

# Float32: Q(a) = t P(t) e^{-a^2/2}, t = 1 / (1 + p a), with P (highest degree first) fitted by
# scripts/fit_normal_tail.py to the relative error of Q on [0, 14] weighted by 1 / max(1, a^2):
# below 9e-8 max(1, a^2) in exact arithmetic (Q(14) underflows float32).
_Q32_P = 0.3453
_Q32_POLY = (0.04563670524192631, -0.1954562599422275, 0.24071400124262643,
             -0.012888978043083992, 0.15066236938576222, 0.133304521269917,
             0.1380276840287047)

# The float32 path runs over flat blocks of this many elements, so that its ~20 passes stay in
# the CPU cache and its scratch array is one block, not one more array of the size of x.
_BLOCK = 1 << 16


def normal_pdf(x):
    r"""$\phi(x) = e^{-x^2/2} / \sqrt{2\pi}$ elementwise, in the floating dtype of ``x``.

    The exponential is evaluated as $2^{-x^2 \log_2(e)/2}$, with the same operations as in the
    float32 ``normal_cdf``. In $\Phi(x) + x\,\phi(x)$ (GELU's derivative), whose terms cancel
    in part for $x < 0$, both terms then carry the same rounding of that factor, which the
    cancellation does not amplify.
    """
    with np.errstate(over="ignore"):  # x^2 = inf for huge |x|: 2^{-inf} = 0, the limit
        return np.exp2(np.square(x) * (-0.5 / math.log(2.0))) * _INV_SQRT_2PI


def normal_cdf(x):
    r"""$\Phi(x)$ elementwise for a floating ndarray ``x``, in its dtype (a new array)."""
    if x.dtype == np.float32:
        return _normal_cdf_float32(x)
    y = np.empty_like(x)
    centre = np.abs(x) <= 0.67448975  # |x| up to the quartile: Phi(x) = 1/2 + x P(x^2) / Q(x^2)
    xc = x[centre]
    y[centre] = 0.5 + xc * np.polyval(_CODY_CENTRE[0], xc * xc) / np.polyval(_CODY_CENTRE[1], xc * xc)
    xt = x[~centre]
    tail = _upper_tail(np.abs(xt))
    y[~centre] = np.where(xt > 0, 1.0 - tail, tail)  # Phi(x) = Q(|x|) for x < 0, 1 - Q(x) for x > 0
    return y


def _upper_tail(a):
    r"""Cody's $Q(a) = 1 - \Phi(a)$ for $a \ge 0.674$: $e^{-a^2/2}$ times a rational function."""
    a = np.minimum(a, 40.0)  # Q(40) underflows to 0 anyway; keeps a * a finite
    ratio = np.empty_like(a)  # Q(a) e^{a^2/2}
    middle = a <= math.sqrt(32.0)
    am = a[middle]
    ratio[middle] = np.polyval(_CODY_MIDDLE[0], am) / np.polyval(_CODY_MIDDLE[1], am)
    af = a[~middle]
    s = 1.0 / (af * af)
    ratio[~middle] = (_INV_SQRT_2PI - s * np.polyval(_CODY_FAR[0], s) / np.polyval(_CODY_FAR[1], s)) / af
    head = np.trunc(16.0 * a) / 16.0  # a = head + rest with head^2 exact, so that e^{-a^2/2} keeps
    return ratio * np.exp(-0.5 * head * head) * np.exp(-0.5 * (a - head) * (a + head))  # full precision


def _normal_cdf_float32(x):
    r"""$\Phi(x)$ for float32 ``x`` from $Q(|x|) = t\,P(t)\,e^{-x^2/2}$, $t = 1/(1 + p|x|)$, block by block.

    No masks: $\Phi(x) = Q(|x|) + [x > 0]\,(1 - 2Q(|x|))$, where the factor $[x > 0]$ is
    applied as $\max(\min(1 - 2Q, x), 0)$, because $0 \le 1 - 2Q(|x|) = \operatorname{erf}(|x|/\sqrt 2)
    \le |x|$.
    """
    y = np.empty(x.shape, np.float32)
    flat_x, flat_y = x.reshape(-1), y.reshape(-1)  # a copy only for a non-contiguous x
    scratch = np.empty(min(x.size, _BLOCK), np.float32)
    for start in range(0, x.size, _BLOCK):
        xb, q = flat_x[start:start + _BLOCK], flat_y[start:start + _BLOCK]
        e = scratch[:xb.size]
        np.abs(xb, out=e)
        e += 1.0 / _Q32_P
        t = np.divide(1.0 / _Q32_P, e, out=e)  # t = 1 / (1 + p|x|), in (0, 1]
        np.multiply(t, _Q32_POLY[0], out=q)
        for c in _Q32_POLY[1:]:  # Horner: q = t P(t)
            q += c
            q *= t
        with np.errstate(over="ignore"):  # x^2 = inf for huge |x| gives e^{-inf} = 0
            np.square(xb, out=e)
        e *= -0.5 / math.log(2.0)
        q *= np.exp2(e, out=e)  # e^{-x^2/2} = 2^{-x^2 log2(e) / 2} (float32 exp2 takes half the time of exp)
        np.multiply(q, -2.0, out=e)  # q is Q(|x|)
        e += 1.0
        np.minimum(e, xb, out=e)
        np.clip(e, 0.0, np.inf, out=e)  # [x > 0] (1 - 2Q)
        q += e
    return y
