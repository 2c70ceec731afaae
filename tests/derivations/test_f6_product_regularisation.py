"""F6: with mu ||D E||_F^2 the critical encoder is D^+ S (S + mu I)^{-1}; the loss is
invariant under D -> D C^{-1}, E -> C E, so the penalty does not pick the transpose, and
at the optimum the encoder is the transpose (the old "neither D^+ nor D^T" is false there)."""

import pytest
from sympy import Eq, ImmutableMatrix, Matrix, Rational, ZeroMatrix, diag, simplify, sqrt, symbols

from derivations.claims.f6_product_regularisation import (
    CLAIM,
    DECODER,
    balanced_decoder,
    product_regularisation,
    product_regularised_encoder,
)
from derivations.engine import DerivationError, Step
from derivations.mathematics.losses import D, E, S, eigenbasis_3
from derivations.notation import PseudoInverse

EIGENBASIS = eigenbasis_3()
COVARIANCE = ImmutableMatrix(EIGENBASIS * Matrix.diag(3, 2, 1) * EIGENBASIS.T)


def test_f6_checks():
    assert CLAIM.check() >= 15


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


@pytest.mark.parametrize("strength", [Rational(1), Rational(1, 2)])
def test_f6_at_the_optimum_the_critical_encoder_is_the_transpose(strength):
    # D = U_k diag(sqrt(lambda_i / (lambda_i + mu))): E = D^+ S (S + mu I)^{-1} equals D^T
    # exactly, so "neither D^+ nor D^T" is false at the optimum. Checked with the loss
    # written out by hand: the gradient in E vanishes at E = D^T, and D D^T is the optimal
    # product U_k diag(lambda_i / (lambda_i + mu)) U_k^T.
    decoder = balanced_decoder(EIGENBASIS, (3, 2, 1), 2, strength)
    expected = EIGENBASIS[:, :2] * diag(*(sqrt(Rational(v) / (v + strength)) for v in (3, 2)))
    assert simplify(decoder - expected) == Matrix.zeros(3, 2)
    encoder = product_regularised_encoder(decoder, COVARIANCE, strength)
    assert simplify(encoder - decoder.T) == Matrix.zeros(2, 3)
    entries = symbols("e0:6")
    free = Matrix(2, 3, entries)
    residual = Matrix.eye(3) - decoder * free
    product = decoder * free
    loss = (residual * COVARIANCE * residual.T).trace() + strength * (product * product.T).trace()
    point = dict(zip(entries, decoder.T, strict=True))
    assert all(simplify(loss.diff(x).subs(point)) == 0 for x in entries)
    shrunk = EIGENBASIS[:, :2] * diag(*(Rational(v) / (v + strength) for v in (3, 2))) \
        * EIGENBASIS[:, :2].T
    assert simplify(decoder * decoder.T - shrunk) == Matrix.zeros(3, 3)
    assert simplify(encoder - decoder.pinv()) != Matrix.zeros(2, 3)


def test_f6_the_loss_is_invariant_under_a_change_of_basis_of_the_code():
    # The product penalty does not pick the transpose: D -> D C^{-1}, E -> C E keeps the loss
    # and moves E = D^T off the transpose. Exactly, on the optimum above with C = [[1,1],[0,2]].
    decoder = balanced_decoder(EIGENBASIS, (3, 2, 1), 2, 1)
    change = Matrix([[1, 1], [0, 2]])

    def loss(dec, enc):
        residual = Matrix.eye(3) - dec * enc
        return simplify((residual * COVARIANCE * residual.T).trace()
                        + ((dec * enc) * (dec * enc).T).trace())
    moved_decoder, moved_encoder = decoder * change.inv(), change * decoder.T
    assert loss(moved_decoder, moved_encoder) == loss(decoder, decoder.T)
    assert simplify(moved_encoder - moved_decoder.T) != Matrix.zeros(2, 3)
