"""D1: the deep tied network's decoder is the transpose of its encoder; the proof refuses less."""

import numpy as np
import pytest
from sympy import Eq, Identity, MatrixSymbol, ZeroMatrix

from derivations.claims.d1_end_to_end_tied import (
    CLAIM,
    CRITICAL_IN_E,
    EVEN_DEPTH,
    G_1,
    G_E,
    D_m,
    E,
    E_m,
    Q,
    end_to_end_tied,
)
from derivations.engine import DerivationError
from derivations.notation import d, k


def test_d1_checks():
    assert CLAIM.check() >= 10


@pytest.mark.parametrize("weaker", [Eq(D_m, 2 * E_m.T), Eq(D_m, MatrixSymbol("Y", d, D_m.cols))],
                         ids=["scaled", "unrelated-decoder"])
def test_d1_induction_step_needs_the_tied_decoder(weaker):
    with pytest.raises(DerivationError, match="claim D1, Proof"):
        end_to_end_tied(induction_hypothesis=weaker).check()


def test_d1_states_the_missing_step_and_an_even_depth():
    """The layers' critical points are critical in E; the network has N = 2 m layers."""
    assert CRITICAL_IN_E in [c.args[1] for c in CLAIM.conclusions if c.func.__name__ == "Implies"]
    assert EVEN_DEPTH in CLAIM.hypotheses


@pytest.mark.parametrize("weaker", [Eq(G_1, Q.T * G_E), Eq(G_1, MatrixSymbol("B", *G_1.shape))],
                         ids=["chain-rule-only", "unrelated-gradient"])
def test_d1_missing_step_needs_a_critical_first_layer(weaker):
    """Without G_1 = 0 the Gram matrix of G_E is not shown to vanish: the step is refused."""
    with pytest.raises(DerivationError, match="claim D1, Proof, part 5"):
        end_to_end_tied(first_layer_critical=weaker).check()


def test_d1_missing_step_refuses_a_critical_point_of_the_wrong_layer():
    """G_1 names the gradient in W_1; a zero matrix of another shape proves nothing."""
    with pytest.raises(DerivationError):
        end_to_end_tied(first_layer_critical=Eq(G_1.T, ZeroMatrix(*G_1.T.shape))).check()


def test_d1_pseudo_inverse_needs_orthonormal_rows():
    with pytest.raises(DerivationError, match="Penrose condition 1"):
        end_to_end_tied(orthonormal_rows=Eq(E * E.T, 2 * Identity(k))).check()


def test_d1_numerically_the_decoder_of_four_random_layers_is_the_encoder_transposed():
    rng = np.random.default_rng(11)
    widths = (7, 6, 5, 4, 3)
    layers = [rng.standard_normal((widths[i + 1], widths[i])) for i in range(4)]
    encoder = layers[3] @ layers[2] @ layers[1] @ layers[0]
    decoder = layers[0].T @ layers[1].T @ layers[2].T @ layers[3].T
    # The two sides are the same product, associated differently: each of the 3 products on
    # each side has inner dimension at most 7 and a forward error of at most 7 eps times the
    # product of the norms (Higham, Accuracy and Stability, Section 3.5).
    eps = np.finfo(float).eps
    bound = 2 * 3 * 7 * eps * np.prod([np.linalg.norm(x, 2) for x in layers])
    assert np.linalg.norm(decoder - encoder.T, 2) <= bound
    assert not np.allclose(decoder, 0)
