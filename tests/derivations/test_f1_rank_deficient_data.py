"""F1: rank-deficient data give tied critical points that are not partial isometries."""

import pytest
from sympy import ImmutableMatrix, Matrix, Rational, eye, symbols, zeros

from derivations.claims.f1_rank_deficient_data import (
    CLAIM,
    NULL_VECTOR,
    TOP_EIGENVECTOR,
    rank_deficient_data,
)
from derivations.engine import DerivationError
from derivations.mathematics.losses import tied_gradient


def test_f1_checks():
    assert CLAIM.check() >= 30


@pytest.mark.parametrize("scale", [-1], ids=["c=-1"])
def test_f1_counterexample_needs_scale_outside_unit_and_zero(scale):
    # At c = +-1 the weights are a partial isometry: the '!=' steps must fail.
    with pytest.raises(DerivationError, match="claim F1, Exact instances"):
        rank_deficient_data(scale=scale).check()


@pytest.mark.parametrize("scale", [Rational(-7, 5)])
def test_f1_other_scales_break_a4(scale):
    assert rank_deficient_data(scale=scale).check() >= 30


def test_f1_is_a_critical_point_with_zero_loss_exactly():
    c = Rational(5, 2)
    S = TOP_EIGENVECTOR * TOP_EIGENVECTOR.T
    W = Matrix.hstack(TOP_EIGENVECTOR, c * NULL_VECTOR)
    assert tied_gradient(W, S) == zeros(3, 2)
    residual = (eye(3) - W * W.T) * S * (eye(3) - W * W.T)
    assert residual.trace() == 0
    assert W.T * W == Matrix([[1, 0], [0, c**2]])
    assert W.pinv() != W.T
    assert (W.T * S * W).det() == 0


def test_f1_positive_definite_data_restores_a4():
    # Adding the missing direction to S makes the same W non-critical unless c^2 = 1.
    c = symbols("c", real=True)
    S = ImmutableMatrix(TOP_EIGENVECTOR * TOP_EIGENVECTOR.T + NULL_VECTOR * NULL_VECTOR.T)
    W = Matrix.hstack(TOP_EIGENVECTOR, c * NULL_VECTOR)
    gradient = tied_gradient(W, S).applyfunc(lambda x: x.factor())
    assert gradient != zeros(3, 2)
    assert gradient.subs(c, 1) == zeros(3, 2)
    assert gradient.subs(c, 2) != zeros(3, 2)
