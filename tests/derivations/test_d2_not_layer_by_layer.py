"""D2: the exact witness is a global minimum with zero layer gradients, and W_1 is not isometric."""

import numpy as np
import pytest
from sympy import ImmutableMatrix, Rational, diff, symbols

from derivations.claims.d2_not_layer_by_layer import (
    CLAIM,
    COVARIANCE,
    LAYER_1,
    LAYER_2,
    S3,
    W1,
    W2,
    not_layer_by_layer,
)
from derivations.engine import DerivationError
from derivations.mathematics.deep import layer_gradients


def test_d2_checks():
    assert CLAIM.check() >= 7


@pytest.mark.parametrize("changed", [
    {"layer_2": ImmutableMatrix([[1, 0]])},  # E = [2, 0, 0]: not optimal, gradient nonzero
    {"layer_1": ImmutableMatrix([[1, 0, 0], [0, 1, 0]]), "layer_2": ImmutableMatrix([[1, 0]])},
    {"covariance": ImmutableMatrix([[1, 0, 0], [0, 2, 0], [0, 0, 3]])},  # e_1 no longer on top
], ids=["stretched-end-to-end", "isometric-layers", "reordered-eigenvalues"])
def test_d2_a_different_witness_is_refused(changed):
    with pytest.raises(DerivationError, match="claim D2"):
        not_layer_by_layer(**changed).check()


def test_d2_layer_gradients_match_entrywise_derivatives_away_from_the_witness():
    # Guards the gradients the claim sets to zero against SymPy's silent zero for sums of
    # traces: matrix calculus against scalar derivatives of the multiplied-out loss, exactly.
    entries_1, entries_2 = symbols("a0:6"), symbols("b0:2")
    symbolic = {W1: ImmutableMatrix(2, 3, entries_1), W2: ImmutableMatrix(1, 2, entries_2),
                S3: COVARIANCE}
    a, b = symbolic[W1], symbolic[W2]
    residual = ImmutableMatrix.eye(3) - a.T * b.T * b * a
    loss = (residual * COVARIANCE * residual.T).trace()  # written out independently
    point = dict(zip(entries_1 + entries_2, (Rational(n, 7) for n in (3, -2, 5, 1, 4, -6, 2, 9)),
                     strict=True))
    for layer, entries, gradient in zip((W1, W2), (entries_1, entries_2),
                                        layer_gradients((W1, W2), S3), strict=True):
        matrix = gradient.subs(symbolic).doit().subs(point)
        scalar = ImmutableMatrix(*layer.shape, [diff(loss, e).subs(point) for e in entries])
        assert matrix == scalar
        assert matrix != ImmutableMatrix.zeros(*layer.shape)


def test_d2_witness_numerically():
    w1, w2 = (np.array(m, dtype=float) for m in (LAYER_1, LAYER_2))
    assert np.linalg.svd(w1, compute_uv=False).tolist() == [2.0, 1.0]
    assert np.linalg.norm(w1.T - np.linalg.pinv(w1), 2) == pytest.approx(1.5, rel=1e-14)
    assert LAYER_2[0, 0] == Rational(1, 2)
