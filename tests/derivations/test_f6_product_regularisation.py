"""F6: with mu ||D E||_F^2 the critical encoder is D^+ S (S + mu I)^{-1}."""

import pytest
from sympy import Eq, ImmutableMatrix, Matrix, Rational, ZeroMatrix, symbols

from derivations.claims.f6_product_regularisation import (
    CLAIM,
    DECODER,
    product_regularisation,
    product_regularised_encoder,
)
from derivations.engine import DerivationError, Step
from derivations.mathematics.losses import D, E, S, eigenbasis_3
from derivations.notation import PseudoInverse

EIGENBASIS = eigenbasis_3()
COVARIANCE = ImmutableMatrix(EIGENBASIS * Matrix.diag(3, 2, 1) * EIGENBASIS.T)


def test_f6_checks():
    assert CLAIM.check() >= 7


def test_f6_counterexample_needs_positive_strength():
    with pytest.raises(DerivationError, match="not the pseudo-inverse"):
        product_regularisation(strength=0).check()


def test_f6_the_stationarity_step_rejects_the_unregularised_encoder():
    # The same check that accepts D^+ S (S + lambda I)^{-1} rejects D^+ itself.
    mu = symbols("mu", positive=True)
    gradient = 2 * mu * D.T * D * E + 2 * D.T * D * E * S - 2 * D.T * S
    step = Step(
        gradient, ZeroMatrix(*E.shape), "E = D^+ is not critical",
        using=(Eq(E, PseudoInverse(D)), Eq(D.T * D * PseudoInverse(D), D.T)))
    assert not step.holds()


@pytest.mark.parametrize("strength", [Rational(1, 3), 7])
def test_f6_encoder_minimises_the_regularised_loss_exactly(strength):
    entries = symbols("e0:6")
    encoder = Matrix(2, 3, entries)
    residual = Matrix.eye(3) - DECODER * encoder
    product = DECODER * encoder
    loss = (residual * COVARIANCE * residual.T).trace() + strength * (product * product.T).trace()
    best = product_regularised_encoder(DECODER, COVARIANCE, strength)
    point = dict(zip(entries, best, strict=True))
    assert all(loss.diff(x).subs(point) == 0 for x in entries)
    assert best != DECODER.pinv() and best != DECODER.T
