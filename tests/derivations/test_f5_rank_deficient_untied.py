"""F5: a rank-deficient decoder admits critical encoders other than its pseudo-inverse."""

import pytest
from sympy import ImmutableMatrix, Matrix, Rational, zeros

from derivations.claims.f5_rank_deficient_untied import (
    CLAIM,
    EIGENBASIS,
    critical_encoder,
    rank_deficient_untied,
)
from derivations.engine import DerivationError
from derivations.mathematics.losses import untied_gradients


def test_f5_checks():
    assert CLAIM.check() >= 10


def test_f5_counterexample_needs_a_rank_deficient_decoder():
    with pytest.raises(DerivationError, match="claim F5, Exact instances"):
        rank_deficient_untied(decoder=EIGENBASIS[:, :2]).check()


def test_f5_counterexample_needs_a_nonzero_free_part():
    with pytest.raises(DerivationError, match="not the pseudo-inverse"):
        rank_deficient_untied(offset=zeros(2, 3)).check()


@pytest.mark.parametrize(
    "offset",
    [Matrix([[1, 0, 0], [0, 2, -1]]), Matrix([[Rational(1, 2), 3, 0], [-1, 0, 5]])],
    ids=["integer", "rational"],
)
def test_f5_every_free_part_solves_the_normal_equation(offset):
    decoder = ImmutableMatrix(EIGENBASIS[:, 0] * Matrix([[2, -1]]))
    encoder = critical_encoder(decoder, offset)
    assert decoder.T * decoder * encoder == decoder.T
    assert encoder != decoder.pinv()
    S = EIGENBASIS * Matrix.diag(3, 2, 1) * EIGENBASIS.T
    # The encoder gradient vanishes; the decoder gradient needs the rows of Z in span(u_1).
    assert untied_gradients(decoder, encoder, S)[1] == zeros(2, 3)


def test_f5_critical_encoders_of_a_rank_deficient_decoder_can_equal_the_pseudo_inverse():
    # F5 says "can differ", not "differ": for the rank-one decoder D = u_1 [1, 2] a free part
    # Z with (I - D^+ D) Z = 0 (here Z = D^+ D Y, Y nonzero) gives E = D^+ exactly, and that
    # encoder is critical (the gradient 2 D^T (D E - I) S vanishes with S = U diag(3,2,1) U^T).
    decoder = ImmutableMatrix(EIGENBASIS[:, 0] * Matrix([[1, 2]]))
    pinv = decoder.pinv()
    free = ImmutableMatrix(pinv * decoder * Matrix([[1, -1, 2], [3, 0, 1]]))
    assert free != zeros(2, 3)
    encoder = critical_encoder(decoder, free)
    assert encoder == pinv
    covariance = ImmutableMatrix(EIGENBASIS * Matrix.diag(3, 2, 1) * EIGENBASIS.T)
    gradient = 2 * decoder.T * (decoder * encoder - Matrix.eye(3)) * covariance
    assert gradient == zeros(2, 3)
