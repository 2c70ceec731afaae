"""P5: how far the transpose is from the pseudo-inverse, and a bound by ``||W^T W - I||_2``.

``W^T = V Sigma^T U^T`` and ``W^+ = V Sigma^+ U^T`` share the singular vectors,
so ``||W^T - W^+||_2 = max_i |sigma_i - 1/sigma_i|`` over the nonzero singular
values. With ``delta = ||W^T W - I||_2 = max_i |sigma_i^2 - 1| < 1`` each term
is at most ``delta / sqrt(1 - delta)``, with equality at ``sigma^2 = 1 - delta``.

The inequality is checked by SymPy's assumptions alone: write
``1 - delta = rho^2`` with ``rho > 0`` (this *is* ``delta < 1``), so the bound
becomes ``1/rho - rho``, and parametrise each branch by nonnegative symbols
(``sigma = rho + a`` below 1, ``1/sigma = rho + b`` above 1) so that every
comparison is the sign of an expression in positive symbols.

>>> transpose_pseudo_inverse_gap().check()
20
"""

from __future__ import annotations

from sympy import (
    Abs,
    Eq,
    Ge,
    Gt,
    Identity,
    ImmutableMatrix,
    Lt,
    MatAdd,
    MatrixSymbol,
    Max,
    Rational,
    Symbol,
    Transpose,
    diag,
    sqrt,
)

from derivations.mathematics.penrose import product
from derivations.claims.p3_characterisation import (
    PINV_THROUGH_SVD,
    SVD,
    Sigma,
    SigmaPlus,
    U,
    V,
    explicit_sigma,
    rational_orthogonal,
)
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import PseudoInverse, SpectralNorm, W, k

__all__ = ["BELOW_ONE", "BOUND", "CLAIM", "delta", "rho", "sigma", "transpose_pseudo_inverse_gap"]

#: A nonzero singular value, and ``delta = ||W^T W - I||_2``.
sigma = Symbol("sigma", positive=True)
delta = Symbol("delta", nonnegative=True)
#: ``rho = sqrt(1 - delta)``: positive exactly when ``delta < 1``.
rho = Symbol("rho", positive=True)

#: The hypothesis ``delta < 1``, as the rewrite that introduces ``rho > 0``.
BELOW_ONE = Eq(delta, 1 - rho**2)
#: The bound on ``|sigma - 1/sigma|``.
BOUND = delta / sqrt(1 - delta)


def _shared_vectors_part() -> Part:
    difference = W.T - PseudoInverse(W)
    factored = product(V, MatAdd(Sigma.T, -SigmaPlus), U.T)
    return Part(
        heading="The transpose and the pseudo-inverse share the singular vectors",
        text=prose("From the SVD ", SVD, " and P3, ", PINV_THROUGH_SVD, ":"),
        steps=(
            Step(difference, V * Sigma.T * U.T - V * SigmaPlus * U.T,
                 "both are conjugates of a diagonal matrix by the same orthogonal factors",
                 using=(PINV_THROUGH_SVD, SVD)),
            Step(V * Sigma.T * U.T - V * SigmaPlus * U.T, factored,
                 "the same factors on both sides come out of the difference"),
        ),
        conclusion=prose("Multiplying by orthogonal matrices leaves singular values "
                         "unchanged: the singular values of ", difference, " are those of ",
                         MatAdd(Sigma.T, -SigmaPlus), "."),
    )


def _diagonal_part() -> Part:
    sigma_1, sigma_2 = Symbol("sigma_1", positive=True), Symbol("sigma_2", positive=True)
    explicit, plus = explicit_sigma([sigma_1, sigma_2])
    S, P = MatrixSymbol("Sigma", 3, 2), MatrixSymbol("Sigma^+", 2, 3)
    definitions = (Eq(S, explicit), Eq(P, plus))
    defect = MatAdd(S.T, -P)
    gap = Max(Abs(sigma_1 - 1 / sigma_1), Abs(sigma_2 - 1 / sigma_2))
    spread = Max(Abs(sigma_1**2 - 1), Abs(sigma_2**2 - 1))
    return Part(
        heading="On the diagonal",
        text=prose("With two nonzero singular values, ", definitions[0], " and ",
                   definitions[1], "; the singular values of a diagonal matrix are the "
                   "absolute values of its diagonal entries."),
        steps=(
            Step(product(defect, Transpose(defect)),
                 diag((sigma_1 - 1 / sigma_1)**2, (sigma_2 - 1 / sigma_2)**2),
                 "the gap matrix times its transpose", using=definitions),
            Step(S.T * S - Identity(2), diag(sigma_1**2 - 1, sigma_2**2 - 1),
                 "the distance of the Gram matrix from the identity", using=definitions),
        ),
        conclusion=prose("Hence ", Eq(SpectralNorm(W.T - PseudoInverse(W)), gap,
                                      evaluate=False), " and ",
                         Eq(SpectralNorm(W.T * W - Identity(k)), spread, evaluate=False),
                         ": each singular value obeys ", Abs(sigma**2 - 1) <= delta, "."),
    )


def _bound_parts(below_one: Eq, bound) -> tuple[Part, ...]:
    e = Symbol("e", nonnegative=True)
    f = Symbol("f", positive=True)
    a, b, c, t = (Symbol(name, nonnegative=True) for name in "abct")
    u = Symbol("u", positive=True)
    rho_definition = Eq(rho, sqrt(1 - delta))
    gap = Abs(sigma - 1 / sigma)
    statement = prose(gap <= bound)
    above = Part(
        heading=prose("The bound where ", sigma >= 1),
        text=prose("Here ", Eq(sigma**2, 1 + e), " with ", e, " between 0 and ", delta,
                   ", that is ", Eq(delta, e + c), " with ", Ge(c, 0, evaluate=False), "."),
        steps=(
            Step(gap, sigma - 1 / sigma, prose("the sign, with ", Eq(sigma, 1 + t)),
                 using=(Eq(sigma, 1 + t),)),
            Step(1 / sigma**2, rho**2, prose("so ", 1 / sigma >= rho, ", which lets us write ",
                                             Eq(1 / sigma, rho + b), " with ",
                                             Ge(b, 0, evaluate=False)),
                 relation=">=", using=(Eq(sigma, sqrt(1 + e)), rho_definition,
                                       Eq(delta, e + c))),
            Step(sigma - 1 / sigma, bound, prose("the bound, with ", below_one),
                 relation="<=", using=(Eq(sigma, 1 / (rho + b)), below_one)),
        ),
    )
    below = Part(
        heading=prose("The bound where ", sigma < 1),
        text=prose("Here ", Eq(sigma**2, 1 - f), " with ", f, " positive and at most ",
                   delta, ", that is ", Eq(delta, f + c), " with ", Ge(c, 0, evaluate=False), "."),
        steps=(
            Step(gap, 1 / sigma - sigma, prose("the sign, with ", Eq(sigma, 1 / (1 + u)),
                                               " and ", Gt(u, 0, evaluate=False)),
                 using=(Eq(sigma, 1 / (1 + u)),)),
            Step(sigma**2, rho**2, prose("so ", sigma >= rho, ", which lets us write ",
                                         Eq(sigma, rho + a), " with ", Ge(a, 0, evaluate=False)),
                 relation=">=", using=(Eq(sigma, sqrt(1 - f)), rho_definition,
                                       Eq(delta, f + c))),
            Step(1 / sigma - sigma, bound, prose("the bound, with ", below_one),
                 relation="<=", using=(Eq(sigma, rho + a), below_one)),
            Step(1 / sigma - sigma, bound, prose("with equality at ", Eq(sigma, rho),
                                                 ", that is ", Eq(sigma**2, 1 - delta)),
                 using=(Eq(sigma, rho), below_one)),
        ),
        conclusion=prose("In both cases ", *statement, ", so ",
                         SpectralNorm(W.T - PseudoInverse(W)) <= bound,
                         " and the bound is attained."),
    )
    return above, below


def _instances(bound) -> tuple[Part, ...]:
    left, right = rational_orthogonal()
    values = (1, Rational(1, 2))
    explicit = ImmutableMatrix(left * explicit_sigma(values)[0] * right.T)
    W0 = MatrixSymbol("W_0", 3, 2)
    definition = Eq(W0, explicit)
    gap = MatAdd(W0.T, -PseudoInverse(W0))
    spread = W0.T * W0 - Identity(2)
    U3, V2 = MatrixSymbol("U", 3, 3), MatrixSymbol("V", 2, 2)
    factors = (Eq(U3, left), Eq(V2, right))
    equality = Part(
        heading="A rational matrix on which the bound is attained",
        text=prose("With the orthogonal factors ", U3, " and ", V2, " of P3 and singular "
                   "values 1 and ", values[1], ": ", definition, "."),
        steps=(
            Step(gap, product(V2, ImmutableMatrix([[0, 0, 0], [0, -Rational(3, 2), 0]]), U3.T),
                 prose("the gap is diagonal between the same factors, so ",
                       Eq(SpectralNorm(gap), Rational(3, 2), evaluate=False)),
                 using=(definition, *factors)),
            Step(spread, product(V2, diag(0, -Rational(3, 4)), V2.T),
                 prose("and ", Eq(delta, Rational(3, 4))), using=(definition, *factors)),
            Step(bound, Rational(3, 2), "the bound equals the gap",
                 using=(Eq(delta, Rational(3, 4)),)),
        ),
    )
    strict = Part(
        heading="A singular value above 1: the bound is strict",
        text=prose("At ", Eq(sigma, Rational(6, 5)), ", ", Eq(delta, Rational(11, 25)), "."),
        steps=(
            Step(Abs(sigma - 1 / sigma), bound, "strictly below the bound", relation="<",
                 using=(Eq(sigma, Rational(6, 5)), Eq(delta, Rational(11, 25)))),
        ),
    )
    return equality, strict


def _failures() -> tuple[Part, ...]:
    m = Symbol("m", positive=True)
    M = Symbol("M", positive=True)
    explicit, plus = explicit_sigma([1 / m, 0])
    S, P = MatrixSymbol("Sigma", 3, 2), MatrixSymbol("Sigma^+", 2, 3)
    definitions = (Eq(S, explicit), Eq(P, plus))
    at_one = Part(
        heading=prose("At ", Eq(delta, 1), " no bound exists"),
        text=prose("A rank-deficient ", W, " has ", Eq(delta, 1), " whatever its nonzero "
                   "singular values: ", definitions[0], " and ", definitions[1], "."),
        steps=(
            Step(S.T * S - Identity(2), diag(1 / m**2 - 1, -1),
                 "the zero singular value puts -1 on the diagonal", using=definitions),
            Step(Max(Abs(1 / m**2 - 1), 1), 1,
                 prose("so ", Eq(delta, 1), " for every ", Gt(m, 1, evaluate=False)),
                 using=(Eq(m, 1 + M),)),
            Step(S.T - P, ImmutableMatrix([[1 / m - m, 0, 0], [0, 0, 0]]),
                 prose("while the gap is ", Abs(m - 1 / m)), using=definitions),
            Step(m - 1 / m, M, prose("which exceeds any ", Gt(M, 0, evaluate=False), " at ",
                       Eq(m, M + 1)),
                 relation=">", using=(Eq(m, M + 1),)),
        ),
    )
    half = Rational(1, 2)
    no_root = Part(
        heading=prose("The factor ", 1 / sqrt(1 - delta), " is needed"),
        text=prose("At ", Eq(sigma, half), ", ", Eq(delta, Rational(3, 4)),
                   ": the gap exceeds ", delta, " itself."),
        steps=(
            Step(Abs(sigma - 1 / sigma), delta, prose("the gap is larger than ", delta),
                 relation=">", using=(Eq(sigma, half), Eq(delta, Rational(3, 4)))),
        ),
    )
    return at_one, no_root


def transpose_pseudo_inverse_gap(*, below_one: Eq = BELOW_ONE, bound=BOUND) -> Claim:
    """Build P5 with the hypothesis ``below_one`` (a rewrite of ``delta``) and ``bound``."""
    return Claim(
        id="P5",
        title="How far the transpose is from the pseudo-inverse",
        statement=prose("For ", W, " with nonzero singular values ", Symbol("sigma_i"), ", ",
                        SpectralNorm(W.T - PseudoInverse(W)), " is the largest of the numbers ",
                        Abs(Symbol("sigma_i") - 1 / Symbol("sigma_i")), ". If ",
                        Eq(delta, SpectralNorm(W.T * W - Identity(k)), evaluate=False),
                        " is below 1, this is at most ", bound,
                        ": nearly orthonormal columns make the transpose nearly the "
                        "pseudo-inverse."),
        hypotheses=(
            prose(SVD, " with ", U, " and ", V, " orthogonal (as in P3)."),
            prose(Lt(delta, 1, evaluate=False), ", written as ", below_one, " with ",
                  Gt(rho, 0, evaluate=False), "."),
        ),
        proof=(_shared_vectors_part(), _diagonal_part(), *_bound_parts(below_one, bound)),
        instances=_instances(bound),
        failures=_failures(),
        sources=("Penrose 1955",),
    )


CLAIM = transpose_pseudo_inverse_gap()
