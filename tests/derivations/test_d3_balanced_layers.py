"""D3: balanced layers at the optimum are partial isometries; unbalanced ones need not be."""

import numpy as np
import pytest
from sympy import Eq

from derivations.claims.d3_balanced_layers import CLAIM, balanced_layers
from derivations.engine import DerivationError
from derivations.mathematics.deep import W_1, W_2


def test_d3_checks():
    assert CLAIM.check() >= 40


@pytest.mark.parametrize("weaker", [Eq(W_2.T * W_2, 2 * W_1 * W_1.T),
                                    Eq(W_2.T * W_2, -W_1 * W_1.T)],
                         ids=["scaled-balance", "negated-balance"])
def test_d3_needs_balance(weaker):
    with pytest.raises(DerivationError, match="claim D3"):
        balanced_layers(balanced=weaker).check()


def test_d3_numerically_balanced_optimum_has_isometric_layers():
    # Balanced layers built from orthonormal factors: W_1 = Q_2^T P, W_2 = Q_2 with rows kept.
    rng = np.random.default_rng(3)
    d, h, k = 6, 4, 2
    top, _ = np.linalg.qr(rng.standard_normal((h, k)))  # h x k orthonormal columns
    basis, _ = np.linalg.qr(rng.standard_normal((d, h)))  # d x h orthonormal columns
    w2 = top.T  # k x h, orthonormal rows
    w1 = top @ top.T @ basis.T  # h x d, W_1 W_1^T = W_2^T W_2
    # Householder QR gives columns orthonormal to a small multiple of d eps (Higham, Section
    # 19.3); each product below adds at most d eps more, all factors having norm <= 1.
    eps = np.finfo(float).eps
    assert np.linalg.norm(w2.T @ w2 - w1 @ w1.T, 2) <= 8 * d * eps
    end = w2 @ w1
    assert np.linalg.norm(end @ end.T - np.eye(k), 2) <= 8 * d * eps
    for layer in (w1, w2):
        # pinv cut-off: singular values below 1e-8 are the exact zeros of a rank-k layer.
        gap = np.linalg.norm(layer.T - np.linalg.pinv(layer, rcond=1e-8), 2)
        assert gap <= 64 * d * eps
