"""D2: the exact witness is a global minimum with zero layer gradients, and W_1 is not isometric."""

import numpy as np
import pytest
from sympy import ImmutableMatrix, Rational, diff, symbols

from derivations.claims.d2_not_layer_by_layer import (
    CLAIM,
    COVARIANCE,
    ISOMETRIC_LAYER_1,
    ISOMETRIC_LAYER_2,
    LAYER_1,
    LAYER_2,
    S3,
    W1,
    W2,
    isometric_unbalanced_optimum,
    not_layer_by_layer,
)
from derivations.engine import DerivationError
from derivations.mathematics.deep import layer_gradients


def test_d2_checks():
    assert CLAIM.check() >= 14


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


def test_d2_the_isometric_unbalanced_instance_checks():
    # D2 is an existence statement: an unbalanced optimum need not have layers that are
    # partial isometries, but may. Every step of the instance holds exactly.
    part = isometric_unbalanced_optimum()
    assert len(part.steps) == 7 and all(step.holds() for step in part.steps)


def test_d2_the_old_universal_statement_fails_on_an_exact_instance():
    # "From an unbalanced start the optimum is reached with layers that are not partial
    # isometries" is false: S = diag(3, 2, 1), W_1 = [[1,0,0],[0,1,0]], W_2 = [1, 0] is
    # unbalanced, optimal (zero gradients, loss 3 = lambda_2 + lambda_3) and isometric.
    # Checked here with the loss written out by hand and scalar derivatives.
    a, b = ImmutableMatrix(2, 3, symbols("a0:6")), ImmutableMatrix(1, 2, symbols("b0:2"))
    residual = ImmutableMatrix.eye(3) - a.T * b.T * b * a
    loss = (residual * COVARIANCE * residual.T).trace()
    point = {**dict(zip(a, ISOMETRIC_LAYER_1, strict=True)),
             **dict(zip(b, ISOMETRIC_LAYER_2, strict=True))}
    assert all(diff(loss, x).subs(point) == 0 for x in (*a, *b))
    assert loss.subs(point) == 3
    w1, w2 = ISOMETRIC_LAYER_1, ISOMETRIC_LAYER_2
    assert w2.T * w2 != w1 * w1.T  # unbalanced
    assert w1 * w1.T * w1 == w1 and w2 * w2.T * w2 == w2  # both partial isometries
    assert w1.pinv() == w1.T and w2.pinv() == w2.T


def test_d2_the_isometric_instance_refuses_layers_that_are_not_isometric():
    # On D2's own witness (optimal, unbalanced, W_1 stretched) the same steps fail exactly
    # where the layers stop being partial isometries, and nowhere else.
    part = isometric_unbalanced_optimum(layer_1=LAYER_1, layer_2=LAYER_2)
    holds = [step.holds() for step in part.steps]
    assert holds == [True, True, True, True, False, False, False]
