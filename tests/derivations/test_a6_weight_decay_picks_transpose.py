"""A6: weight decay makes every untied critical point tied, E = D^T; without decay it need not."""

import numpy as np
import pytest
from sympy import Eq, MatrixSymbol

from derivations.claims.a6_weight_decay_picks_transpose import (
    CLAIM,
    weight_decay_picks_transpose,
)
from derivations.engine import DerivationError
from derivations.mathematics.losses import S, X
from derivations.notation import d


def test_a6_checks():
    assert CLAIM.check() >= 20


def test_a6_needs_positive_decay():
    # mu = 0: the balance step divides by 2 mu, and the invertible factor is lost.
    with pytest.raises(DerivationError, match="claim A6"):
        weight_decay_picks_transpose(decay=0).check()


def test_a6_needs_a_covariance():
    # An arbitrary S is neither symmetric nor positive semidefinite.
    with pytest.raises(DerivationError, match="claim A6"):
        weight_decay_picks_transpose(covariance=Eq(S, MatrixSymbol("M", d, d))).check()
    assert CLAIM.hypotheses[0] == Eq(S, X * X.T, evaluate=False)


def _train(s, mu, *, seed, steps=20000, eta=0.05):
    rng = np.random.default_rng(seed)
    dec, enc = rng.standard_normal((4, 2)), 0.1 * rng.standard_normal((2, 4))
    for _ in range(steps):
        residual = np.eye(4) - dec @ enc
        grad_dec = -2 * residual @ s @ enc.T + 2 * mu * dec
        grad_enc = -2 * dec.T @ residual @ s + 2 * mu * enc
        dec, enc = dec - eta * grad_dec, enc - eta * grad_enc
    return dec, enc, grad_dec, grad_enc


def test_a6_numerically_gradient_descent_with_decay_ends_tied_and_without_does_not():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((4, 30)) / np.sqrt(30)
    s, mu = x @ x.T, 0.05
    dec, enc, grad_dec, grad_enc = _train(s, mu, seed=1)
    # The proof's identity D^T grad_D - grad_E E^T = 2 mu (D^T D - E E^T) bounds the
    # imbalance by the gradients; float64 roundoff adds a few eps per product.
    eps = np.finfo(float).eps
    scale = max(np.linalg.norm(dec, 2), np.linalg.norm(enc, 2))
    imbalance = np.linalg.norm(dec.T @ dec - enc @ enc.T, 2)
    bound = scale * (np.linalg.norm(grad_dec, 2) + np.linalg.norm(grad_enc, 2)) / (2 * mu)
    assert imbalance <= bound + 16 * 4 * eps * scale**2
    tied_gap = np.linalg.norm(enc - dec.T, 2)
    dec0, enc0, *_ = _train(s, 0.0, seed=1)
    untied_gap = np.linalg.norm(enc0 - dec0.T, 2)
    # Without decay the same start ends at an untied optimum (A2 with C not orthogonal).
    assert untied_gap > 0.1
    assert tied_gap < 1e-6 * untied_gap
