"""P5: how far the transpose is from the pseudo-inverse, and a bound by ``||W^T W - I||_2``.

Generic in ``d``, ``k`` and the rank ``r``: ``W^T - W^+ = V (Sigma^T - Sigma^+) U^T``
(compact SVD, P3's formula ``W^+ = V Sigma^+ U^T``), factors with orthonormal
columns leave the 2-norm unchanged, and the 2-norm of a diagonal matrix is its
largest entry in absolute value (both cited), so
``||W^T - W^+||_2 = max_i |sigma_i - 1/sigma_i|``. The bound
``|sigma_i - 1/sigma_i| <= delta / sqrt(1 - delta)`` is derived for a symbolic
singular value in each of its two cases, with ``rho = sqrt(1 - delta)``
written as the hypothesis ``delta = 1 - rho^2``, ``rho > 0``; and every singular value
with ``|sigma_i^2 - 1| <= delta`` is shown to lie between ``rho`` and ``1/rho``.

>>> transpose_pseudo_inverse_gap().check()
42
"""

from __future__ import annotations

from sympy import (
    Abs,
    Eq,
    Ge,
    Gt,
    Identity,
    ImmutableMatrix,
    Le,
    MatAdd,
    MatrixSymbol,
    Max,
    Rational,
    Symbol,
    diag,
    sqrt,
)
from sympy.logic.boolalg import And

from derivations.engine import (
    Assume,
    Chain,
    Cite,
    Claim,
    Conclude,
    Define,
    ForEvery,
    Link,
    Part,
    Step,
    prose,
)
from derivations.mathematics.facts import DIAGONAL_2_NORM, ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM
from derivations.mathematics.penrose import product
from derivations.mathematics.pseudo_inverse_svd import pseudo_inverse_through_svd
from derivations.mathematics.svd import (
    Sigma,
    SigmaPlus,
    U,
    V,
    diagonal,
    explicit_sigma,
    i,
    j,
    r,
    rational_orthogonal,
    sigma,
)
from derivations.notation import LargestOver, PseudoInverse, SpectralNorm, W, k

__all__ = ["BELOW_ONE", "BOUND", "CLAIM", "GAP_FORMULA", "NEAR_ONE", "delta", "rho",
           "transpose_pseudo_inverse_gap"]

#: ``delta = ||W^T W - I||_2``.
delta = Symbol("delta", nonnegative=True)
#: ``rho = sqrt(1 - delta)``: positive exactly when ``delta < 1``.
rho = Symbol("rho", positive=True)
#: The hypothesis ``delta < 1``, as the equation that introduces ``rho > 0``.
BELOW_ONE = Eq(delta, 1 - rho**2, evaluate=False)
#: The bound on ``|sigma_i - 1/sigma_i|``: ``delta / sqrt(1 - delta)``.
BOUND = delta / rho
#: The gap as the largest of the ``|sigma_i - 1/sigma_i|``.
GAP_FORMULA = Eq(SpectralNorm(W.T - PseudoInverse(W)),
                 LargestOver(Abs(sigma[i] - 1 / sigma[i]), i, r), evaluate=False)
#: The diagonal matrix of the gaps, named.
Gamma = MatrixSymbol("Gamma", r, r)

# The two cases of one singular value sigma_i, each written with nonnegative parameters:
# below 1 (and at least rho), or at least 1 (with 1/sigma_i at least rho).
_u, _a = Symbol("u", positive=True), Symbol("a", nonnegative=True)
_t, _b = Symbol("t", nonnegative=True), Symbol("b", nonnegative=True)
_x = Symbol("x", positive=True)
_BELOW_SIGN, _BELOW_SIZE = (Eq(sigma[i], 1 / (1 + _u), evaluate=False),
                            Eq(sigma[i], rho + _a, evaluate=False))
_ABOVE_SIGN, _ABOVE_SIZE = (Eq(sigma[i], 1 + _t, evaluate=False),
                            Eq(sigma[i], 1 / (rho + _b), evaluate=False))
BELOW = And(_BELOW_SIGN, _BELOW_SIZE)
ABOVE = And(_ABOVE_SIGN, _ABOVE_SIZE)
# |sigma_i^2 - 1| <= delta = 1 - rho^2, its two sides written with nonnegative parameters:
# sigma_i^2 - 1 >= -delta and sigma_i^2 - 1 <= delta.
_c1, _c2 = Symbol("c_1", nonnegative=True), Symbol("c_2", nonnegative=True)
NEAR_ONE = And(Eq(sigma[i]**2, rho**2 + _c1, evaluate=False),
               Eq(sigma[i]**2, 2 - rho**2 - _c2, evaluate=False))


def _gap_formula_items(svd) -> tuple:
    gap_entry = sigma[i] - 1 / sigma[i]
    name = Define(Gamma, diagonal(lambda a: sigma[a] - 1 / sigma[a]),
                  text=prose("The diagonal matrix of the ", gap_entry, "."))
    entry = Chain(prose("Entry ", i, ", ", j), (Sigma - SigmaPlus)[i, j], (
        Link(Gamma[i, j], prose("both are diagonal: ", sigma[i], " minus ", 1 / sigma[i]),
             using=(svd.diagonal, svd.plus_definition, name.definition)),
    ))
    entrywise = ForEvery((i, j), (entry,), Eq(Sigma - SigmaPlus, Gamma, evaluate=False))
    difference = Sigma.T - SigmaPlus
    invariance = Cite(ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM, V, difference, U)
    (kept,) = invariance.relations
    diagonal_norm = Cite(DIAGONAL_2_NORM, Gamma, lambda a: sigma[a] - 1 / sigma[a], i, r)
    (largest,) = diagonal_norm.relations
    chain = Chain(prose("The gap through the SVD"), SpectralNorm(W.T - PseudoInverse(W)), (
        Link(SpectralNorm(V * Sigma.T * U.T - V * SigmaPlus * U.T),
             prose(svd.formula, " and the SVD"), using=(svd.formula, svd.factored)),
        Link(SpectralNorm(product(V, MatAdd(Sigma.T, -SigmaPlus), U.T)),
             "the same factors on both sides come out"),
        Link(SpectralNorm(difference), "factors with orthonormal columns keep the 2-norm",
             using=(kept.args[1],)),
        Link(SpectralNorm(Gamma), prose(Sigma, " is symmetric, and ", entrywise.concludes),
             using=(svd.symmetric, entrywise.concludes)),
        Link(GAP_FORMULA.rhs, "the 2-norm of a diagonal matrix", using=(largest.args[1],)),
    ))
    return (name, entrywise, invariance, Conclude(kept), diagonal_norm, Conclude(largest),
            chain)


def _bound_case(fixed_sign, parameter_rule, gap_sign, below_one, bound, *, at_least, heading):
    s = sigma[i]
    gap = Abs(s - 1 / s)
    condition = And(fixed_sign, parameter_rule)
    chain = Chain(prose("The bound ", Le(gap, bound, evaluate=False)), gap, (
        Link(gap_sign, prose("the sign of ", s - 1 / s, ", from ", fixed_sign),
             using=(fixed_sign,)),
        Link(1 / rho - rho, prose(1 / _x - _x, " decreases for ", Gt(_x, 0, evaluate=False),
                                  ", and ", parameter_rule, " puts ", at_least, " at least ",
                                  rho), relation="<=", using=(parameter_rule,)),
        Link(bound, prose("the hypothesis ", below_one), using=(below_one,)),
    ))
    return Assume(condition, (chain,), Le(gap, bound, evaluate=False), heading=heading)


def _covered(near_one=NEAR_ONE) -> Assume:
    """``|sigma_i^2 - 1| <= delta`` puts ``sigma_i`` between ``rho`` and ``1/rho``."""
    s = sigma[i]
    sides = tuple(And.make_args(near_one))  # And sorts its arguments: pick sides by parameter
    lower = next((side for side in sides if side.has(_c1)), sides[0])
    upper = next((side for side in sides if side.has(_c2)), sides[-1])
    above_rho = Chain(prose("At least ", rho), s, (
        Link(rho + (s**2 - rho**2) / (s + rho), "a difference of squares"),
        Link(rho + _c1 / (s + rho), prose("the lower side, ", lower), using=(lower,)),
        Link(rho, prose("drop ", _c1 / (s + rho), ", nonnegative over positive"),
             relation=">="),
    ))
    below_inverse = Chain(prose("At most ", 1 / rho), s, (
        Link(1 / rho - (1 / rho**2 - s**2) / (1 / rho + s), "a difference of squares"),
        Link(1 / rho - (1 / rho**2 - 2 + rho**2 + _c2) / (1 / rho + s),
             prose("the upper side, ", upper), using=(upper,)),
        Link(1 / rho - ((1 / rho - rho)**2 + _c2) / (1 / rho + s),
             prose(1 / rho**2 - 2 + rho**2, " is a square")),
        Link(1 / rho, prose("drop a square plus ", _c2, " over a positive"), relation="<="),
    ))
    return Assume(near_one, (above_rho, below_inverse),
                  And(Ge(s, rho, evaluate=False), Le(s, 1 / rho, evaluate=False)),
                  heading="Which singular values the bound covers",
                  text=prose("These are the two sides of ", Le(Abs(s**2 - 1), delta),
                             " with ", BELOW_ONE, ", written with ", Ge(_c1, 0, evaluate=False),
                             " and ",
                             Ge(_c2, 0, evaluate=False), "."))


def _instances(bound) -> tuple[Part, ...]:
    left, right = rational_orthogonal()
    values = (1, Rational(1, 2))
    explicit = ImmutableMatrix(left * explicit_sigma(values)[0] * right.T)
    W0 = MatrixSymbol("W_0", 3, 2)
    definition = Eq(W0, explicit)
    gap = MatAdd(W0.T, -PseudoInverse(W0))
    spread = W0.T * W0 - Identity(2)
    U3, V2 = MatrixSymbol("U_0", 3, 3), MatrixSymbol("V_0", 2, 2)
    factors = (Eq(U3, left), Eq(V2, right))
    at_three_quarters = (Eq(delta, Rational(3, 4)), Eq(rho, Rational(1, 2)))
    equality = Part(
        heading="A rational matrix on which the bound is attained",
        text=prose("With orthogonal factors ", factors[0], " and ", factors[1],
                   " and singular values 1 and ", values[1], ": ", definition, "."),
        steps=(
            Step(gap, product(V2, ImmutableMatrix([[0, 0, 0], [0, -Rational(3, 2), 0]]), U3.T),
                 prose("the gap is diagonal between the same factors, so ",
                       Eq(SpectralNorm(gap), Rational(3, 2), evaluate=False)),
                 using=(definition, *factors)),
            Step(spread, product(V2, diag(0, -Rational(3, 4)), V2.T),
                 prose("and ", Eq(delta, Rational(3, 4)), ", ", Eq(rho, Rational(1, 2))),
                 using=(definition, *factors)),
            Step(bound, Rational(3, 2), "the bound equals the gap", using=at_three_quarters),
        ),
    )
    value = Symbol("sigma", positive=True)
    at_six_fifths = (Eq(value, Rational(6, 5)), Eq(delta, Rational(11, 25)),
                     Eq(rho, sqrt(14) / 5))
    strict = Part(
        heading="A singular value above 1: the bound is strict",
        text=prose("At ", at_six_fifths[0], ", ", at_six_fifths[1], " and ", at_six_fifths[2],
                   "."),
        steps=(
            Step(Abs(value - 1 / value), bound, "strictly below the bound", relation="<",
                 using=at_six_fifths),
        ),
    )
    return equality, strict


def _failures() -> tuple[Part, ...]:
    m = Symbol("m", positive=True)
    M = Symbol("M", positive=True)
    explicit, plus = explicit_sigma([1 / m, 0])
    S, P = MatrixSymbol("Sigma_0", 3, 2), MatrixSymbol("Sigma_0^+", 2, 3)
    definitions = (Eq(S, explicit), Eq(P, plus))
    spread = Max(Abs(1 / m**2 - 1), 1)
    at_one = Part(
        heading=prose("A rank-deficient ", W, " has ", delta >= 1, ": no bound"),
        text=prose("A zero singular value puts ", -1, " on the diagonal of ",
                   W.T * W - Identity(k), ", so a rank-deficient ", W, " has ",
                   Eq(delta, Max(1, LargestOver(Abs(sigma[i]**2 - 1), i, r)),
                      evaluate=False),
                   ", at least 1, whatever its nonzero singular values. With one nonzero "
                   "singular value ", 1 / m, ": ", definitions[0], " and ", definitions[1], "."),
        steps=(
            Step(S.T * S - Identity(2), diag(1 / m**2 - 1, -1),
                 "the zero singular value puts -1 on the diagonal", using=definitions),
            Step(spread, 1, prose("here ", Eq(delta, 1), ", since the nonzero singular value ",
                                  1 / m, " is below 1 (", Eq(m, 1 + M), ")"),
                 using=(Eq(m, 1 + M),)),
            Step(S.T - P, ImmutableMatrix([[1 / m - m, 0, 0], [0, 0, 0]]),
                 prose("while the gap is ", Abs(m - 1 / m)), using=definitions),
            Step(m - 1 / m, M, prose("which exceeds any ", Gt(M, 0, evaluate=False), " at ",
                                     Eq(m, M + 1)),
                 relation=">", using=(Eq(m, M + 1),)),
        ),
    )
    half = Rational(1, 2)
    value = Symbol("sigma", positive=True)
    no_root = Part(
        heading=prose("The factor ", 1 / sqrt(1 - delta), " is needed"),
        text=prose("At ", Eq(value, half), ", ", Eq(delta, Rational(3, 4)),
                   ": the gap exceeds ", delta, " itself."),
        steps=(
            Step(Abs(value - 1 / value), delta, prose("the gap is larger than ", delta),
                 relation=">", using=(Eq(value, half), Eq(delta, Rational(3, 4)))),
        ),
    )
    return at_one, no_root


def transpose_pseudo_inverse_gap(*, below_one: Eq = BELOW_ONE, bound=BOUND,
                                 near_one=NEAR_ONE) -> Claim:
    """Build P5 with the hypothesis ``below_one`` (an equation for ``delta``), ``bound``, and
    ``near_one``, the two sides of ``|sigma_i^2 - 1| <= delta`` with parameters."""
    svd = pseudo_inverse_through_svd()
    covered = _covered(near_one)
    s = sigma[i]
    gap = Abs(s - 1 / s)
    below = _bound_case(_BELOW_SIGN, _BELOW_SIZE, 1 / s - s, below_one, bound, at_least=s,
                        heading=prose("A singular value below 1: ", BELOW))
    above = _bound_case(_ABOVE_SIGN, _ABOVE_SIZE, s - 1 / s, below_one, bound, at_least=1 / s,
                        heading=prose("A singular value at least 1: ", ABOVE))
    bound_text = delta / sqrt(1 - delta)
    return Claim(
        id="P5",
        title="How far the transpose is from the pseudo-inverse",
        statement=prose("For ", W, " of rank ", r, " with nonzero singular values ", s, ": ",
                        GAP_FORMULA, ". If ", Eq(delta, SpectralNorm(W.T * W - Identity(k)),
                                                 evaluate=False),
                        " is below 1, write ", below_one, " with ", Gt(rho, 0, evaluate=False),
                        ". Every singular value with ", Le(Abs(s**2 - 1), delta),
                        " lies between ", rho, " and ", 1 / rho, ", and every one there has ",
                        Le(gap, bound, evaluate=False), ", that is ", Le(gap, bound_text),
                        ": nearly orthonormal columns make the transpose nearly the "
                        "pseudo-inverse."),
        hypotheses=(below_one,),
        conclusions=(GAP_FORMULA, covered.derives, below.derives, above.derives),
        idea=prose(W.T, " and ", PseudoInverse(W), " are ", Sigma.T, " and ", SigmaPlus,
                   " between the same singular vectors, so their difference has the "
                   "singular values ", gap, ". A singular value with ",
                   Le(Abs(s**2 - 1), delta), " lies between ", rho, " and ", 1 / rho,
                   ", where ", gap, " is largest at the ends, ", 1 / rho - rho, "."),
        generality=prose(
            "The gap formula is proved for symbolic ", W.shape[0], ", ", k, " and rank ", r,
            ", entry by entry on the diagonal for a symbolic index ", i,
            "; it cites the compact SVD, the invariance of the 2-norm under factors with "
            "orthonormal columns and the 2-norm of a diagonal matrix. The bound is proved "
            "for one symbolic singular value ", s, " between ", rho, " and ", 1 / rho,
            ", in its two cases written with parameters: below 1 as ", BELOW,
            ", at least 1 as ", ABOVE, " (", _u, " positive; ", _a, ", ", _t, ", ", _b,
            " nonnegative). That ", Le(Abs(s**2 - 1), delta), " puts ", s, " between ", rho,
            " and ", 1 / rho, " is proved with its two sides written as ", NEAR_ONE, " (",
            _c1, ", ", _c2, " nonnegative). Read off and not checked: that a value between ",
            rho, " and ", 1 / rho, " falls in one of the two cases (with parameters of the "
            "signs they need), that ", delta, " is the largest ",
            Abs(s**2 - 1), " when ", Eq(r, k), ", and that terms each below the bound "
            "keep their maximum below it; the exact instances check them at 3 by 2."),
        proof=(*svd.items, *_gap_formula_items(svd), covered, below, above),
        instances=_instances(bound),
        failures=_failures(),
        remarks=(prose("The gap formula is elementary linear algebra; it is not in "
                       "Penrose's paper, which characterises the pseudo-inverse."),),
        sources=(),
    )


CLAIM = transpose_pseudo_inverse_gap()
