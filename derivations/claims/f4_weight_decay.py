"""F4: weight decay moves the optimum off the partial isometries.

Tied loss plus ``lambda ||W||_F^2``: along an eigen-direction ``W = s u_i`` the
loss is ``lambda_i (1 - s^2)^2 + lambda s^2`` (plus terms without ``s``), whose
stationarity condition gives ``sigma_i^2 = 1 - lambda / (2 lambda_i)``, and
``sigma_i = 0`` once ``lambda >= 2 lambda_i``. Untied loss plus
``lambda (||D||_F^2 + ||E||_F^2)``: the critical points are balanced, so the
optimum has ``E = D^T`` (Kunin et al. 2019), with
``sigma_i^2 = 1 - lambda / lambda_i``. Either way the singular values are not
1, so this breaks A4 and A5 (tied) and A2 (untied): the transpose is not the
pseudo-inverse. Derived with SymPy from the scalar losses, and checked as
exact critical points of the full matrix losses at ``lambda = 1``.

>>> weight_decay().check()
15
>>> from derivations.engine import DerivationError
>>> try:
...     weight_decay(strength=0).check()
... except DerivationError as error:
...     print(error.where)
Exact instances, part 1 (Tied: an exact regularised critical point), step 2
"""

from __future__ import annotations

from sympy import (
    Derivative,
    Eq,
    FiniteSet,
    Ge,
    Gt,
    ImmutableMatrix,
    MatrixSymbol,
    Rational,
    ZeroMatrix,
    diag,
    sqrt,
    symbols,
)
from sympy import (
    S as Sym,
)

from derivations.claims.f1_rank_deficient_data import tied_gradient
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import FrobeniusNorm, PseudoInverse, SolutionSet, d, k
from derivations.notation import W as TIED

__all__ = [
    "CLAIM",
    "EIGENVALUES",
    "tied_singular_value_squared",
    "untied_gradients",
    "untied_singular_value_squared",
    "weight_decay",
]

#: Eigenvalues of the data covariance of the exact instances, ``S = diag(4, 2, 1)``.
EIGENVALUES = (4, 2, 1)


def tied_singular_value_squared(eigenvalue, strength):
    """``sigma_i^2`` of the tied weight-decay optimum: ``max(0, 1 - lambda / (2 lambda_i))``.

    >>> tied_singular_value_squared(4, 1)
    7/8
    """
    return max(Sym.Zero, 1 - Rational(strength) / (2 * Rational(eigenvalue)))


def untied_singular_value_squared(eigenvalue, strength):
    """``sigma_i^2`` of the untied weight-decay optimum: ``max(0, 1 - lambda / lambda_i)``.

    >>> untied_singular_value_squared(4, 1)
    3/4
    """
    return max(Sym.Zero, 1 - Rational(strength) / Rational(eigenvalue))


def untied_gradients(S, D, E, strength):
    """The gradients in ``D`` and ``E`` of ``L(D, E) + strength (||D||_F^2 + ||E||_F^2)``.

    ``L(D, E) = tr((I - D E) S (I - D E)^T)``, expanded so that no identity
    matrix meets an explicit one.

    >>> from sympy import MatrixSymbol
    >>> grad_D, grad_E = untied_gradients(MatrixSymbol("S", 3, 3),
    ...     MatrixSymbol("D", 3, 2), MatrixSymbol("E", 2, 3), 0)
    >>> grad_E
    2*D.T*D*E*S - 2*D.T*S
    """
    grad_D = -2 * S * E.T + 2 * D * E * S * E.T + 2 * strength * D
    grad_E = -2 * D.T * S + 2 * D.T * D * E * S + 2 * strength * E
    return grad_D, grad_E


def _padded(values):
    return ImmutableMatrix([[values[0], 0], [0, values[1]], [0, 0]])


#: The weight decay ``lambda`` of the exact instances.
STRENGTH = Rational(1)


def weight_decay(*, strength=STRENGTH) -> Claim:
    """Build F4; ``strength`` is the weight decay ``lambda`` of the exact instances.

    The hypothesis is ``strength > 0``; at 0 the optima are partial
    isometries again and the check fails.
    """
    s, a, b = symbols("s a b", real=True)
    t = symbols("t", real=True)
    lam, li = symbols("lambda lambda_i", positive=True)
    mu = symbols("mu", nonnegative=True)
    sigma = symbols("sigma_i", positive=True)
    u = MatrixSymbol("u_i", d, 1)
    DECODER, ENCODER = MatrixSymbol("D", d, k), MatrixSymbol("E", k, d)

    tied_loss = li * (1 - s**2) ** 2 + lam * s**2
    root = 1 - lam / (2 * li)
    # Dividing the derivative by 2 s and writing t for s^2 leaves a linear equation.
    tied_condition = Eq((Derivative(tied_loss, s).doit() / (2 * s)).expand().subs(s**2, t), 0)
    tied_part = Part(
        heading="Tied: the stationarity condition along one eigen-direction",
        text=prose("Along ", Eq(TIED, s * u, evaluate=False),
                   " with ", u, " an eigenvector of ", MatrixSymbol("S", d, d),
                   " for the eigenvalue ", li, ", the regularised tied loss is ",
                   tied_loss, " plus terms free of ", s, "."),
        steps=(
            Step(Derivative(tied_loss, s), 2 * s * (lam - 2 * li * (1 - s**2)),
                 "differentiate"),
            Step(SolutionSet(t, tied_condition, Sym.Reals), FiniteSet(root),
                 prose("away from ", Eq(s, 0), ", solve for ", Eq(t, s**2, evaluate=False))),
            Step(tied_loss.subs(s, 0) - tied_loss.subs(s**2, root),
                 (2 * li - lam) ** 2 / (4 * li),
                 prose("the nonzero root beats ", Eq(s, 0), " by a square: it is the "
                       "minimum when ", lam < 2 * li)),
            Step(tied_loss.subs(lam, 2 * li + mu) - tied_loss.subs(s, 0), 0,
                 prose("when ", Eq(lam, 2 * li + mu), " with ", Ge(mu, 0, evaluate=False),
                       ", no ", s, " beats ", Eq(s, 0), ": the direction is switched off"),
                 relation=">="),
            Step(root, 1, prose("for ", Gt(lam, 0, evaluate=False), " the optimal ", sigma**2,
                                " is not 1"), relation="!="),
        ),
        conclusion=prose("So the tied optimum has ", Eq(sigma**2, root),
                         " (0 where ", lam >= 2 * li, "): not a partial isometry, so ",
                         PseudoInverse(TIED), " is not ", TIED.T,
                         " (P3); this breaks A4 and A5."),
    )

    untied_loss = li * (1 - a * b) ** 2 + lam * (a**2 + b**2)
    untied_root = 1 - lam / li
    untied_condition = Eq((Derivative(untied_loss, a).doit().subs(b, a) / (2 * a))
                          .expand().subs(a**2, t), 0)
    untied_part = Part(
        heading="Untied: balancedness, then the stationarity condition",
        text=prose("Along ", Eq(DECODER, a * u, evaluate=False), ", ",
                   Eq(ENCODER, b * u.T, evaluate=False),
                   " the regularised untied loss is ", untied_loss, " plus terms free of ",
                   a, " and ", b, "."),
        steps=(
            Step(a * Derivative(untied_loss, a) - b * Derivative(untied_loss, b),
                 2 * lam * (a - b) * (a + b),
                 prose("at a critical point the left side is 0, so ", Eq(a**2, b**2),
                       ": the critical points are balanced, ", Eq(a, b), " up to sign")),
            Step(SolutionSet(t, untied_condition, Sym.Reals), FiniteSet(untied_root),
                 prose("with ", Eq(b, a), ", away from ", Eq(a, 0), ", solve for ",
                       Eq(t, a**2, evaluate=False))),
            Step(untied_root, root, "the untied optimum shrinks twice as much as the tied one",
                 relation="<"),
        ),
        conclusion=prose("So at the untied optimum the encoder is the transpose of the "
                         "decoder by itself, with ", Eq(sigma**2, untied_root),
                         ": ", Eq(ENCODER, DECODER.T, evaluate=False),
                         ", which is not ", PseudoInverse(DECODER),
                         "; this breaks A2, where ", Eq(ENCODER,
                                                       PseudoInverse(DECODER),
                                                       evaluate=False), "."),
    )

    S = MatrixSymbol("S", 3, 3)
    W = MatrixSymbol("W", 3, 2)
    D, E = MatrixSymbol("D", 3, 2), MatrixSymbol("E", 2, 3)
    data = Eq(S, ImmutableMatrix(diag(*EIGENVALUES)))
    tied_sigmas = [sqrt(tied_singular_value_squared(e, strength)) for e in EIGENVALUES[:2]]
    tied_weights = Eq(W, _padded(tied_sigmas))
    tied_instance = Part(
        heading="Tied: an exact regularised critical point",
        text=prose("With ", data, " and ", Eq(lam, strength), ": ", tied_weights, "."),
        steps=(
            Step(tied_gradient(S, W) + 2 * strength * W, ZeroMatrix(3, 2),
                 "the gradient of the regularised tied loss vanishes",
                 using=(data, tied_weights)),
            Step(PseudoInverse(W), W.T, "the transpose is not the pseudo-inverse",
                 relation="!=", using=(tied_weights,)),
        ),
    )
    untied_sigmas = [sqrt(untied_singular_value_squared(e, strength)) for e in EIGENVALUES[:2]]
    decoder, encoder = Eq(D, _padded(untied_sigmas)), Eq(E, _padded(untied_sigmas).T)
    grad_D, grad_E = untied_gradients(S, D, E, strength)
    untied_rules = (data, decoder, encoder)
    untied_instance = Part(
        heading="Untied: an exact regularised critical point",
        text=prose("With ", data, " and ", Eq(lam, strength), ": ", decoder, " and ",
                   encoder, "."),
        steps=(
            Step(grad_D, ZeroMatrix(3, 2), "the gradient in the decoder vanishes",
                 using=untied_rules),
            Step(grad_E, ZeroMatrix(2, 3), "the gradient in the encoder vanishes",
                 using=untied_rules),
            Step(D.T * D, E * E.T, "balanced", using=untied_rules),
            Step(E, D.T, "the encoder is the transpose of the decoder", using=untied_rules),
            Step(PseudoInverse(D), E, "but not its pseudo-inverse", relation="!=",
                 using=untied_rules),
        ),
    )

    return Claim(
        id="F4",
        title="Weight decay",
        statement=prose("With weight decay ", Gt(lam, 0, evaluate=False),
                        " the optimal singular values are below 1: ", Eq(sigma**2, root),
                        " for the tied loss plus ", lam * FrobeniusNorm(TIED) ** 2, ", and ",
                        Eq(sigma**2, untied_root),
                        " with the encoder equal to the transpose of the decoder for the "
                        "untied loss plus ",
                        lam * (FrobeniusNorm(DECODER) ** 2 + FrobeniusNorm(ENCODER) ** 2),
                        ". The transpose is then not the pseudo-inverse: this breaks A4, "
                        "A5 and A2."),
        hypotheses=(prose("Weight decay ", Gt(lam, 0, evaluate=False), "; the exact instances use ",
                          Eq(lam, strength), "."),),
        proof=(tied_part, untied_part),
        instances=(tied_instance, untied_instance),
        sources=("Kunin, Bloom, Goeva and Seed 2019",),
    )


CLAIM = weight_decay()
