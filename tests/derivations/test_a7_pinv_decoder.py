"""A7: decoding with E^+ gives tr S - tr(P S); invariant under E -> C E; gradient ~ 1/sigma_min."""

import numpy as np
import pytest
from sympy import Q

from derivations.claims.a7_pinv_decoder import CLAIM, C, pinv_decoder
from derivations.engine import DerivationError
from derivations.mathematics.losses import E


def test_a7_checks():
    assert CLAIM.check() >= 20


def test_a7_needs_full_row_rank():
    # Full column rank of E (E^T E positive definite) does not license (E E^T)^(-1).
    with pytest.raises(DerivationError, match="unjustified inverse"):
        pinv_decoder(full_row_rank=Q.positive_definite(E.T * E)).check()


def test_a7_needs_an_invertible_mix():
    with pytest.raises(DerivationError, match=r"unjustified inverse: C\*\*\(-1\)"):
        pinv_decoder(invertible_mix=Q.symmetric(C)).check()


def _loss_and_gradient(encoder, s):
    pinv = np.linalg.pinv(encoder)
    projector = pinv @ encoder
    residual = np.eye(s.shape[0]) - projector
    return np.trace(s) - np.trace(projector @ s), -2 * pinv.T @ s @ residual


def test_a7_numerically_loss_is_a_function_of_the_row_space_and_gradient_scales_inversely():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((5, 50)) / np.sqrt(50)
    s = x @ x.T
    encoder = rng.standard_normal((2, 5))
    mix = rng.standard_normal((2, 2)) + 3 * np.eye(2)
    loss, gradient = _loss_and_gradient(encoder, s)
    mixed_loss, _ = _loss_and_gradient(mix @ encoder, s)
    eps = np.finfo(float).eps
    cond = np.linalg.cond(encoder) * np.linalg.cond(mix @ encoder)
    # Both losses are tr S - tr(P S) for the same P, up to pinv's backward error (~cond eps).
    assert abs(mixed_loss - loss) <= 32 * 5 * cond * eps * np.trace(s)
    # Scaling E by t scales the gradient by 1/t (E^+ scales by 1/t, P is unchanged).
    for t in (1e-1, 1e-3):
        _, scaled = _loss_and_gradient(t * encoder, s)
        # Scaling is exact in binary up to pinv's relative error, ~cond(E) eps per evaluation.
        bound = 32 * 5 * np.linalg.cond(encoder) * eps * np.linalg.norm(gradient, 2)
        assert np.linalg.norm(scaled * t - gradient, 2) <= bound
