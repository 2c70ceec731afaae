"""D4: the layer-gradient identity, conservation under gradient flow, balance under weight decay."""

import numpy as np
import pytest
from sympy import Eq

from derivations.claims.d4_imbalance_conserved import (
    CLAIM,
    DECAYED_CRITICAL_POINT,
    G_L,
    GRADIENT_FLOW,
    V_L,
    G_next,
    V_next,
    imbalance_conserved,
)
from derivations.engine import DerivationError
from derivations.mathematics.deep import W_L, W_next
from derivations.notation import mu


def test_d4_checks():
    assert CLAIM.check() >= 9


@pytest.mark.parametrize("flow", [
    (Eq(V_next, G_next), GRADIENT_FLOW[1]),  # the upper layer climbs the gradient
    (GRADIENT_FLOW[0], Eq(V_L, -2 * G_L)),  # the lower layer moves twice as fast
], ids=["ascent-in-one-layer", "unequal-rates"])
def test_d4_conservation_needs_the_same_gradient_flow_in_both_layers(flow):
    with pytest.raises(DerivationError, match="does not change"):
        imbalance_conserved(flow=flow).check()


def test_d4_balance_needs_the_same_decay_in_both_layers():
    critical = (DECAYED_CRITICAL_POINT[0], Eq(G_L, -4 * mu * W_L))
    with pytest.raises(DerivationError, match="Weight decay balances"):
        imbalance_conserved(critical=critical).check()
    assert DECAYED_CRITICAL_POINT[0].rhs == -2 * mu * W_next


def _loss_and_gradients(w1, w2, s):
    e = w2 @ w1
    residual = np.eye(s.shape[0]) - e.T @ e
    loss = np.trace(residual @ s @ residual)
    g = -4 * e @ s + 2 * e @ s @ e.T @ e + 2 * e @ e.T @ e @ s  # dL/dE (A3, transposed)
    return loss, w2.T @ g, g @ w1.T


def test_d4_numerically_gradient_descent_drifts_from_balance_only_at_second_order():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((5, 40)) / np.sqrt(40)
    s = x @ x.T
    w2 = 0.5 * np.linalg.qr(rng.standard_normal((3, 2)))[0].T  # 2 x 3
    w1 = w2.T @ np.linalg.qr(rng.standard_normal((5, 2)))[0].T  # 3 x 5, balanced: W1 W1^T = W2^T W2
    start = w2.T @ w2 - w1 @ w1.T
    assert np.linalg.norm(start, 2) < 1e-14
    drift = {}
    for eta in (1e-2, 5e-3):
        a, b = w1.copy(), w2.copy()
        for _ in range(int(0.5 / eta)):  # the same time horizon t = 0.5
            _, g1, g2 = _loss_and_gradients(a, b, s)
            a, b = a - eta * g1, b - eta * g2
        drift[eta] = np.linalg.norm(b.T @ b - a @ a.T, 2)
    # Each step changes the imbalance by eta^2 (G2^T G2 - G1 G1^T) exactly (the first-order
    # terms cancel by the identity), so over a fixed horizon the drift is O(eta): halving eta
    # halves it, up to the change of the trajectory itself.
    assert 0 < drift[5e-3] < drift[1e-2]
    assert drift[1e-2] / drift[5e-3] == pytest.approx(2, rel=0.1)
