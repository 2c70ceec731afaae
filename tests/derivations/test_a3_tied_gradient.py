"""A3: the tied gradient, symbolically, in exact central differences and in float64."""

from fractions import Fraction

import numpy as np
import pytest
from sympy import Eq, Matrix, MatrixSymbol, Poly, Rational, Symbol

from derivations.claims.a3_tied_gradient import (
    CLAIM,
    sum_of_traces_derivative,
    tied_gradient,
)
from derivations.engine import DerivationError
from derivations.mathematics.losses import S
from derivations.notation import d

EPS = np.finfo(np.float64).eps


def test_a3_checks():
    assert CLAIM.check() >= 3


@pytest.mark.parametrize("weaker", [Eq(S.T, MatrixSymbol("M", d, d)), Eq(S.T, 2 * S)],
                         ids=["arbitrary-transpose", "scaled-transpose"])
def test_a3_check_fails_without_a_symmetric_covariance(weaker):
    with pytest.raises(DerivationError, match="claim A3, Proof"):
        tied_gradient(symmetry=weaker).check()


def test_a3_sum_of_traces_trap_is_reported_as_it_is():
    expanded, derivative = sum_of_traces_derivative()
    remark = "".join(part if isinstance(part, str) else "" for part in CLAIM.remarks[0])
    if derivative == 0 or getattr(derivative, "is_ZeroMatrix", False):
        assert "A trap" in remark and len(CLAIM.instances) == 2 and not CLAIM.failures
    else:
        assert "older versions" in remark and len(CLAIM.instances) == 1


def _loss(weights, covariance):
    residual = np.eye(weights.shape[0]) - weights @ weights.T
    return np.trace(residual @ covariance @ residual)


def _formula(weights, covariance, *, cubic_factor=2.0):
    gram = weights.T @ weights
    return (-4 * covariance @ weights + cubic_factor * covariance @ weights @ gram
            + 2 * weights @ weights.T @ covariance @ weights)


def _exact_line_polynomial(weights, covariance, i, j):
    """The loss along ``W + t e_i e_j^T`` as an exact quartic in ``t`` (floats read exactly)."""
    t = Symbol("t")
    rational = lambda x: Rational(Fraction(float(x)))  # noqa: E731
    w = Matrix(weights.shape[0], weights.shape[1], lambda a, b: rational(weights[a, b]))
    w[i, j] += t
    s = Matrix(covariance.shape[0], covariance.shape[1], lambda a, b: rational(covariance[a, b]))
    residual = Matrix.eye(w.shape[0]) - w * w.T
    return Poly((residual * s * residual).trace().expand(), t)


def _central_difference_bound(weights, covariance, i, j, h):
    """Bound on |central difference - derivative| for entry (i, j) in float64.

    Truncation: the loss is a quartic q(t) along the entry, so the central
    difference (q(h) - q(-h)) / (2 h) is q'(0) + h^2 q'''(0) / 6 exactly (only
    the odd coefficients survive): truncation error h^2 |q'''(0)| / 6.
    Rounding: each loss value is a sum of products of absolute size at most
    ``L_abs = tr(|I - W W^T| |S| |I - W W^T|)`` evaluated with about ``4 d``
    roundings per term, so each carries error <= 4 d eps L_abs; the difference
    of two divided by 2 h gives 4 d eps L_abs / h. The formula itself is
    evaluated with error <= 4 d eps times the absolute-value product of its
    terms; both are added.
    """
    size = weights.shape[0]
    third = float(_exact_line_polynomial(weights, covariance, i, j).diff().diff().diff()
                  .eval(0))
    shifted = weights.copy()
    shifted[i, j] += h
    residual = np.abs(np.eye(size) - shifted @ shifted.T)
    loss_scale = np.trace(residual @ np.abs(covariance) @ residual)
    a_w, a_s = np.abs(weights), np.abs(covariance)
    formula_scale = (4 * a_s @ a_w + 2 * a_s @ a_w @ a_w.T @ a_w
                     + 2 * a_w @ a_w.T @ a_s @ a_w)[i, j]
    return (h ** 2 * abs(third) / 6 + 4 * size * EPS * loss_scale / h
            + 4 * size * EPS * formula_scale)


def _random_point(seed, size=4, code=2):
    generator = np.random.default_rng(seed)
    weights = generator.uniform(-1, 1, (size, code))
    factor = generator.uniform(-1, 1, (size, size))
    return weights, factor @ factor.T + np.eye(size)


@pytest.mark.parametrize("seed", [0, 1])
def test_a3_formula_matches_float_central_differences_within_the_derived_bound(seed):
    weights, covariance = _random_point(seed)
    h = 1e-5  # near (eps L / |q'''|)^(1/3): balances truncation against rounding
    gradient = _formula(weights, covariance)
    for i in range(weights.shape[0]):
        for j in range(weights.shape[1]):
            plus, minus = weights.copy(), weights.copy()
            plus[i, j] += h
            minus[i, j] -= h
            central = (_loss(plus, covariance) - _loss(minus, covariance)) / (2 * h)
            bound = _central_difference_bound(weights, covariance, i, j, h)
            assert abs(central - gradient[i, j]) <= bound, (i, j, central, gradient[i, j], bound)


def test_a3_wrong_cubic_coefficient_is_caught_by_the_same_bound():
    weights, covariance = _random_point(0)
    h = 1e-5
    wrong = _formula(weights, covariance, cubic_factor=1.0)
    plus, minus = weights.copy(), weights.copy()
    plus[0, 0] += h
    minus[0, 0] -= h
    central = (_loss(plus, covariance) - _loss(minus, covariance)) / (2 * h)
    assert abs(central - wrong[0, 0]) > _central_difference_bound(weights, covariance, 0, 0, h)
