"""D5: the layer-wise decoder W_1^+ W_2^+ is a right inverse of E, not E^+ in general."""

import pytest
from sympy import Eq, Identity, ImmutableMatrix, Matrix, Rational, diag

from derivations.claims.d5_layerwise_pseudo_inverse import (
    CLAIM,
    FIRST_1,
    FIRST_2,
    SECOND_1,
    SECOND_2,
    layerwise_decoder,
    layerwise_pseudo_inverse,
)
from derivations.engine import DerivationError
from derivations.mathematics.deep import W_2
from derivations.notation import PseudoInverse, h


def test_d5_checks():
    assert CLAIM.check() >= 14


def test_d5_an_orthogonal_refactoring_is_refused_as_the_counterexample():
    # C = [[0, 1], [1, 0]] is orthogonal: (C W_1)^+ = W_1^+ C^T and (W_2 C^T)^+ = C W_2^+, so
    # the layer-wise decoder does not change and the instance's "!=" fails.
    swap = ImmutableMatrix([[0, 1], [1, 0]])
    with pytest.raises(DerivationError, match="claim D5, Exact instances"):
        layerwise_pseudo_inverse(second_1=swap * FIRST_1, second_2=FIRST_2 * swap.T).check()


def test_d5_needs_full_row_rank_layers():
    # A left inverse of W_2 (W_2^+ W_2 = I_h) is not what the cancellation uses.
    left = Eq(PseudoInverse(W_2) * W_2, Identity(h))
    with pytest.raises(DerivationError, match="claim D5"):
        layerwise_pseudo_inverse(right_2=left).check()


def test_d5_the_instance_by_hand():
    # E = [1, 1, 0] both ways. First: W_1^+ = W_1^T, W_2^+ = [1/2, 1/2]^T, so D_lw = E^+ =
    # [1/2, 1/2, 0]^T. Second: (C W_1)^+ = [[1/3, 0], [0, 1], [0, 0]], (W_2 C^{-1})^+ =
    # [3/10, 9/10]^T, so D_lw = [1/10, 9/10, 0]^T. On S = diag(3, 2, 1) the loss
    # sum_ij (I - D E)_ij^2 S_jj is 2 (1/4 3 + 1/4 2) + 1 = 7/2, then
    # 2 (81/100 3 + 1/100 2) + 1 = 59/10.
    E = Matrix([[1, 1, 0]])
    assert SECOND_2 * SECOND_1 == FIRST_2 * FIRST_1 == E
    assert layerwise_decoder((FIRST_1, FIRST_2)) == Matrix([Rational(1, 2), Rational(1, 2), 0])
    assert layerwise_decoder((SECOND_1, SECOND_2)) == Matrix([Rational(1, 10), Rational(9, 10), 0])
    S = diag(3, 2, 1)
    for decoder, loss in ((Matrix([Rational(1, 2), Rational(1, 2), 0]), Rational(7, 2)),
                          (Matrix([Rational(1, 10), Rational(9, 10), 0]), Rational(59, 10))):
        residual = Matrix.eye(3) - decoder * E
        assert sum(residual[i, j] ** 2 * S[j, j] for i in range(3) for j in range(3)) == loss
    assert E.pinv() == Matrix([Rational(1, 2), Rational(1, 2), 0])
