"""A1: the best encoder for a fixed decoder is its pseudo-inverse, only under the hypotheses."""

import pytest
from sympy import ImmutableMatrix, Matrix, solve, symbols

from derivations.claims.a1_best_encoder import CLAIM, DATA, DECODER, best_encoder
from derivations.engine import DerivationError


def test_a1_checks():
    assert CLAIM.check() >= 15


def test_a1_singular_covariance_breaks_uniqueness():
    rank_two = ImmutableMatrix([[1, 0, 1], [0, 1, 1], [1, 1, 2]])  # third row = first + second
    assert (rank_two * rank_two.T).det() == 0
    with pytest.raises(DerivationError, match="claim A1, Exact instances, part 1"):
        best_encoder(data=rank_two).check()


def test_a1_rank_deficient_decoder_breaks_uniqueness():
    repeated_column = ImmutableMatrix([[1, 1], [1, 1], [0, 0]])
    with pytest.raises(DerivationError, match="claim A1, Exact instances, part 1"):
        best_encoder(decoder=repeated_column).check()


def test_a1_invertible_singular_data_is_refused_by_name():
    with pytest.raises(ValueError, match="singular_data=.*full row rank 3"):
        best_encoder(singular_data=DATA)


def test_a1_normal_equations_have_the_pseudo_inverse_as_their_only_solution():
    s = DATA * DATA.T
    entries = symbols("e1:7")
    unknown = Matrix(2, 3, entries)
    equations = DECODER.T * DECODER * unknown * s - DECODER.T * s
    solution = solve(list(equations), entries, dict=True)
    assert len(solution) == 1
    assert unknown.subs(solution[0]) == DECODER.pinv()


def test_a1_the_inverse_of_the_gram_matrix_needs_full_column_rank():
    from sympy import Q

    from derivations.mathematics.losses import D

    with pytest.raises(DerivationError, match=r"unjustified inverse: \(D.T\*D\)\*\*\(-1\)"):
        best_encoder(full_column_rank=Q.positive_definite(D * D.T)).check()


def test_a1_the_best_decoder_needs_an_encoder_of_full_row_rank():
    # Without S positive definite, E S E^T need not be: the congruence fact does not apply.
    from sympy import Q

    from derivations.mathematics.losses import S

    with pytest.raises(DerivationError, match="claim A1, Proof"):
        best_encoder(positive_definite=Q.symmetric(S)).check()
