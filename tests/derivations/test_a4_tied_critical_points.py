"""A4: tied critical points are partial isometries; every hypothesis is load-bearing."""

import pytest
from sympy import Eq, Identity, Q, ZeroMatrix

from derivations.claims.a4_tied_critical_points import (
    CLAIM,
    CRITICAL,
    tied_critical_points,
)
from derivations.engine import DerivationError
from derivations.mathematics.facts import COMPACT_SVD_OF_A_NONZERO_MATRIX, SPECTRAL_THEOREM
from derivations.mathematics.losses import S, tied_gradient
from derivations.notation import W, d, k


def test_a4_checks_and_cites_the_spectral_theorem_and_the_svd():
    assert CLAIM.check() >= 30
    assert {SPECTRAL_THEOREM, COMPACT_SVD_OF_A_NONZERO_MATRIX} <= set(CLAIM.citations())


def test_a4_needs_a_positive_definite_covariance():
    with pytest.raises(DerivationError, match="premise"):
        tied_critical_points(positive_definite=Q.symmetric(S)).check()


def test_a4_needs_a_critical_point():
    # A point where the gradient equals W (not 0) is not critical: the Sylvester step fails.
    shifted = Eq(tied_gradient(W), W, evaluate=False)
    with pytest.raises(DerivationError, match="claim A4, Proof"):
        tied_critical_points(critical=shifted).check()


def test_a4_conclusion_needs_full_column_rank_for_the_identity():
    assert Eq(tied_gradient(W), ZeroMatrix(d, k), evaluate=False) == CRITICAL
    with pytest.raises(DerivationError, match="claim A4, Proof, part 1"):
        tied_critical_points(full_column_rank=Q.positive_definite(W * W.T)).check()


def test_a4_failures_are_exact_nonzero_sylvester_solutions():
    assert len(CLAIM.failures) == 2
    assert Identity(k).shape == (k, k)
