"""F2: a repeated unit column has W^+ = W^T / 2, not W^T, and a singular Gram matrix."""

import pytest
from sympy import Matrix, Rational, sqrt

from derivations.claims.f2_rank_deficient_weights import (
    CLAIM,
    ORTHOGONAL_UNIT,
    RATIONAL_UNIT,
    repeated_unit_column,
    stereographic_unit_vector,
)
from derivations.engine import DerivationError


def test_f2_checks():
    assert CLAIM.check() >= 12


@pytest.mark.parametrize(
    "second_column",
    [ORTHOGONAL_UNIT, -ORTHOGONAL_UNIT],
    ids=["orthogonal", "orthogonal-negated"],
)
def test_f2_counterexample_needs_the_repeated_column(second_column):
    with pytest.raises(DerivationError, match="claim F2, Exact instances, part 2"):
        repeated_unit_column(second_column=second_column).check()


def test_f2_a_scaled_copy_is_a_different_counterexample():
    # [w, 2w] is still rank 1 but its pseudo-inverse is not W^T / 2.
    with pytest.raises(DerivationError, match="half the transpose"):
        repeated_unit_column(second_column=2 * RATIONAL_UNIT).check()


@pytest.mark.parametrize("a, b", [(0, 0), (1, 2), (Rational(-1, 3), Rational(5, 4))])
def test_f2_pinv_is_half_the_transpose_on_the_stereographic_family(a, b):
    family, (x, y) = stereographic_unit_vector()
    w = family.subs({x: a, y: b})
    W = Matrix.hstack(w, w)
    assert (w.T * w)[0] == 1
    assert W.pinv() == W.T / 2
    assert W.pinv() != W.T
    assert (W.T * W).det() == 0
    assert sorted(W.singular_values(), key=lambda s: s.evalf()) == [0, sqrt(2)]
