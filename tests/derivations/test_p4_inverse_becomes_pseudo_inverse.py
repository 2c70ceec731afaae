"""P4: full column rank gives the left inverse and the projector; without it the checks fail."""

import pytest
from sympy import Determinant, Identity, ImmutableMatrix, MatrixSymbol, Rational

from derivations.claims.p4_inverse_becomes_pseudo_inverse import (
    CLAIM,
    FULL_RANK_INSTANCE,
    left_inverse,
    symbolic_matrix,
)
from derivations.engine import DerivationError
from derivations.notation import k


def test_p4_checks():
    assert CLAIM.check() == 28


def test_p4_fails_without_an_inverse_of_the_gram_matrix():
    # An arbitrary k x k matrix in place of (W^T W)^{-1}: nothing makes it a left inverse.
    arbitrary = MatrixSymbol("M", k, k)
    with pytest.raises(DerivationError, match="claim P4, Proof, part 2"):
        left_inverse(gram_inverse=arbitrary).check()


def test_p4_fails_on_an_instance_without_full_column_rank():
    rank_one = ImmutableMatrix([[1, 2], [2, 4], [0, 0]])
    with pytest.raises(DerivationError, match="claim P4, Exact instances, part 1"):
        left_inverse(instance=rank_one).check()


@pytest.mark.parametrize("instance", [
    [[1, 0], [0, 1], [0, 0], [0, 0]],
    [[Rational(1, 2), 3], [-2, 0], [7, Rational(-5, 3)]],
])
def test_p4_other_full_rank_instances_check(instance):
    assert left_inverse(instance=instance).check() == CLAIM.check()


def test_p4_rejects_a_matrix_that_is_not_tall():
    with pytest.raises(ValueError, match=r"instance has shape \(2, 2\)"):
        left_inverse(instance=[[1, 0], [0, 1]])


def test_p4_wide_gram_determinant_vanishes_identically():
    wide = symbolic_matrix("w", 2, 3)
    assert (wide.T * wide).det().expand() == 0
    # while a square Gram matrix does not vanish identically
    square = symbolic_matrix("w", 2, 2)
    assert (square.T * square).det().expand() != 0


def test_p4_left_inverse_formula_is_pinv_on_the_default_instance():
    Q = FULL_RANK_INSTANCE
    assert Q.pinv() == (Q.T * Q).inv() * Q.T
    assert Q.pinv() * Q == Identity(2).as_explicit()
    assert Determinant(Q * Q.pinv()).doit() == 0
