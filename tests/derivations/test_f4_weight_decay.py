"""F4: weight decay shrinks the optimal singular values below 1 (tied and untied)."""

import numpy as np
import pytest
from sympy import Matrix, Rational, diag, sqrt, symbols, zeros

from derivations.claims.f4_weight_decay import (
    CLAIM,
    EIGENVALUES,
    tied_singular_value_squared,
    untied_singular_value_squared,
    weight_decay,
)
from derivations.engine import DerivationError
from derivations.mathematics.losses import tied_gradient, untied_gradients
from verify.autoencoder import weight_decay_singular_values


def test_f4_checks():
    assert CLAIM.check() >= 30


def test_f4_counterexample_needs_positive_weight_decay():
    # Without weight decay the instances are partial isometries and '!=' fails.
    with pytest.raises(DerivationError, match="claim F4, Exact instances"):
        weight_decay(strength=0).check()


def test_f4_a_strength_that_switches_off_every_kept_column_fails_the_instance():
    # mu >= 2 lambda_2 switches off the second tied column; at mu >= 2 lambda_1 = 8 both are
    # off, W = 0 is a partial isometry (no nonzero singular value) and '!=' must fail.
    with pytest.raises(DerivationError, match="Exact instances, part 1"):
        weight_decay(strength=10).check()


@pytest.mark.parametrize("strength", [Rational(1, 2), 3])
def test_f4_exact_points_are_critical_for_the_regularised_losses(strength):
    S = diag(*EIGENVALUES)
    tied = Matrix([[sqrt(tied_singular_value_squared(e, strength)) if i == j else 0
                    for j in range(2)] for i, e in enumerate(EIGENVALUES)])
    assert (tied_gradient(tied, S) + 2 * strength * tied).applyfunc(
        lambda x: x.simplify()) == zeros(3, 2)
    D = Matrix([[sqrt(untied_singular_value_squared(e, strength)) if i == j else 0
                 for j in range(2)] for i, e in enumerate(EIGENVALUES)])
    grad_D, grad_E = untied_gradients(D, D.T, S, strength)
    assert grad_D.applyfunc(lambda x: x.simplify()) == zeros(3, 2)
    assert grad_E.applyfunc(lambda x: x.simplify()) == zeros(2, 3)


@pytest.mark.parametrize("tied", [True, False], ids=["tied", "untied"])
@pytest.mark.parametrize("strength", [Rational(1, 2), 1, 3, 9])
def test_f4_exact_singular_values_match_the_numeric_closed_form(tied, strength):
    exact = tied_singular_value_squared if tied else untied_singular_value_squared
    expected = np.sqrt([float(exact(e, strength)) for e in EIGENVALUES])
    numeric = weight_decay_singular_values(np.array(EIGENVALUES, dtype=float),
                                           float(strength), tied=tied)
    # Both are sqrt of one rounded float64 operation: a few ulps apart at most.
    assert np.allclose(numeric, expected, rtol=4 * np.finfo(float).eps, atol=0)


def test_f4_gradient_formulas_match_entrywise_differentiation():
    # The trap of summed traces: check the matrix formulas against plain calculus.
    strength = symbols("mu", positive=True)
    S = Matrix(3, 3, lambda i, j: symbols(f"s{min(i, j)}{max(i, j)}"))
    D = Matrix(3, 2, lambda i, j: symbols(f"d{i}{j}"))
    E = Matrix(2, 3, lambda i, j: symbols(f"e{i}{j}"))
    residual = Matrix.eye(3) - D * E
    loss = (residual * S * residual.T).trace() + strength * (
        sum(x**2 for x in D) + sum(x**2 for x in E))
    grad_D, grad_E = untied_gradients(D, E, S, strength)
    assert (grad_D - D.applyfunc(lambda x: loss.diff(x))).expand() == zeros(3, 2)
    assert (grad_E - E.applyfunc(lambda x: loss.diff(x))).expand() == zeros(2, 3)
    W = D
    tied = (Matrix.eye(3) - W * W.T) * S * (Matrix.eye(3) - W * W.T)
    assert (tied_gradient(W, S) - W.applyfunc(lambda x: tied.trace().diff(x))).expand() \
        == zeros(3, 2)


def test_f4_the_direction_expression_is_a_contribution_not_the_loss():
    # The penalised tied loss at W = s u_1 (d = 3, k = 1, S = diag(3, 2, 1)) is tr S plus
    # h(s) = lambda_1 (1 - s^2)^2 - lambda_1 + mu s^2, not h(s): at s = 0 the loss is
    # tr S = 6 while h(0) = 0. Written out by hand, exactly, for a symbolic s and mu.
    from derivations.claims.f4_weight_decay import direction_loss

    s, mu = symbols("s mu", positive=True)
    covariance = diag(3, 2, 1)
    W = s * Matrix([1, 0, 0])
    residual = Matrix.eye(3) - W * W.T
    loss = (residual * covariance * residual).trace() + mu * (W.T * W).trace()
    contribution = direction_loss(s, 3, mu)
    assert (loss - (covariance.trace() + contribution)).expand() == 0
    assert loss.subs(s, 0) == 6 and contribution.subs(s, 0) == 0
