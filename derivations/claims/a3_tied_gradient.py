"""A3: the gradient of the tied loss is ``-4 S W + 2 S W W^T W + 2 W W^T S W``.

Dimension-generic: SymPy's matrix calculus (through the engine's guarded
``matrix_derivative``) differentiates the single trace
``tr((I - W W^T) S (I - W W^T))`` with respect to ``W`` (symbolic ``d x k``);
the symmetry of ``S`` collects the terms. The formula is cross-checked by
central finite differences in exact rational arithmetic at a seeded random
rational point: the loss is a polynomial of degree 4 in ``W``, so the central
difference with step ``h`` equals the derivative plus exactly
``h^2 / 6`` times the third derivative (the Taylor series stops), with no
rounding and no tolerance. (In floating point the same difference has error at
most ``h^2 |L'''| / 6`` from truncation plus about ``eps |L| / h`` from
rounding; the property tests use that bound.)

>>> CLAIM.conclusions[0].rhs
-4*S*W + 2*S*W*W.T*W + 2*W*W.T*S*W
>>> CLAIM.check()
4
"""

from __future__ import annotations

import functools
import random

from sympy import (
    Eq,
    ImmutableMatrix,
    Matrix,
    MatrixSymbol,
    Rational,
    Trace,
    symbols,
)

from derivations.engine import Chain, Claim, Link, Part, Step, matrix_derivative, prose
from derivations.mathematics.losses import (
    SYMMETRIC,
    S,
    gradient,
    tied_loss,
)
from derivations.mathematics.losses import tied_gradient as gradient_formula
from derivations.notation import W, d, k

__all__ = ["CLAIM", "TIED_GRADIENT", "sum_of_traces_derivative", "tied_gradient"]

#: The seed of the rational point of the finite-difference check.
SEED = 20260
#: Sizes of the finite-difference check.
ROWS, COLUMNS = 3, 2


TIED_GRADIENT = gradient_formula(W)


@functools.cache
def sum_of_traces_derivative():
    """What SymPy returns for the same loss written as a sum of traces.

    ``tr(S) - 2 tr(W^T S W) + tr(W W^T S W W^T)`` equals the tied loss, yet
    SymPy 1.14 differentiates it to ``0`` (upstream issue 27406).
    """
    expanded = Trace(S) - 2 * Trace(W.T * S * W) + Trace(W * W.T * S * W * W.T)
    return expanded, expanded.diff(W)


def _rational_point(seed):
    """A seeded rational ``W_0`` and a symmetric positive definite rational ``S_0``."""
    generator = random.Random(seed)

    def draw():
        return Rational(generator.randint(-9, 9), generator.randint(1, 5))

    weights = ImmutableMatrix(ROWS, COLUMNS, lambda i, j: draw())
    factor = ImmutableMatrix(ROWS, ROWS, lambda i, j: draw())
    # X X^T + I is symmetric positive definite whatever X is.
    covariance = ImmutableMatrix(factor * factor.T + Matrix.eye(ROWS))
    return weights, covariance


@functools.cache
def _finite_differences(seed):
    weights, covariance = _rational_point(seed)
    h, t = symbols("h t", positive=True)

    def along(i, j):
        """The loss on the line ``W_0 + t e_i e_j^T``: a quartic in ``t``."""
        moved = Matrix(weights)
        moved[i, j] += t
        residual = Matrix.eye(ROWS) - moved * moved.T
        return (residual * covariance * residual).trace().expand()

    lines = {(i, j): along(i, j) for i in range(ROWS) for j in range(COLUMNS)}
    central = ImmutableMatrix(ROWS, COLUMNS, lambda i, j: (
        (lines[i, j].subs(t, h) - lines[i, j].subs(t, -h)) / (2 * h)).expand())
    third = ImmutableMatrix(ROWS, COLUMNS, lambda i, j: lines[i, j].diff(t, 3).subs(t, 0))

    named_w = MatrixSymbol("W_0", ROWS, COLUMNS)
    named_s = MatrixSymbol("S_0", ROWS, ROWS)
    named_delta = MatrixSymbol("Delta_h", ROWS, COLUMNS)
    named_third = MatrixSymbol("T_0", ROWS, COLUMNS)
    rules = (Eq(named_w, weights), Eq(named_s, covariance), Eq(named_delta, central),
             Eq(named_third, third))
    part = Part(
        heading="Cross-check: exact central differences at a random rational point",
        text=prose("At a rational point drawn at random (the draw is fixed, so every run "
                   "checks the same point): ", Eq(named_w, weights), " and the positive "
                   "definite ", Eq(named_s, covariance), ". The entrywise central difference "
                   "of the loss with step ", h, " is ", Eq(named_delta, central),
                   " and the third derivatives of the loss in each entry are ",
                   Eq(named_third, third), ". The loss is a polynomial of degree 4, so ",
                   "the Taylor series of the central difference ends at the ", h ** 2,
                   " term: the check is exact, with no step size to tune."),
        steps=(
            Step(named_delta, gradient_formula(named_w, named_s) + h ** 2 / 6 * named_third,
                 prose("the central difference is the formula plus exactly ", h ** 2 / 6,
                       " times the third derivative"), using=rules),
        ),
        conclusion=prose("As ", h, " tends to 0 the central difference tends to the formula, "
                         "entry by entry."),
    )
    return part, (named_w, named_s, named_delta, h, rules)


def _reproduces_trap(derivative) -> bool:
    return derivative == 0 or getattr(derivative, "is_ZeroMatrix", False)


def _trap_remark():
    expanded, derivative = sum_of_traces_derivative()
    if _reproduces_trap(derivative):
        return prose("A trap: the same loss written as a sum of traces, ", expanded,
                     ", is differentiated by this SymPy version to ", derivative,
                     " (upstream issue 27406), silently. Every gradient here is therefore "
                     "taken of one trace around the whole loss and cross-checked by "
                     "finite differences.")
    return prose("The same loss written as a sum of traces, ", expanded,
                 ", differentiates to ", derivative, " with this SymPy version; older "
                 "versions returned 0 (upstream issue 27406), so every gradient here is "
                 "taken of one trace and cross-checked by finite differences.")


def _trap_parts(point):
    """The wrong zero gradient of the sum of traces, refuted at the rational point.

    Only while the installed SymPy still returns zero: a fixed SymPy has no trap.
    """
    expanded, derivative = sum_of_traces_derivative()
    if not _reproduces_trap(derivative):
        return ()
    named_w, named_s, named_delta, h, rules = point
    at_point = derivative.subs({d: ROWS, k: COLUMNS})
    return (Part(
        heading="A tool's trap, not a failure of A3: SymPy differentiates a sum of traces to "
                "the wrong answer",
        text=prose("SymPy's derivative of ", expanded, " is ", derivative,
                   " for every ", W, " (upstream issue 27406); at the rational point above the "
                   "exact central differences say otherwise."),
        steps=(
            Step(at_point, gradient_formula(named_w, named_s),
                 "the zero matrix is not the gradient at the point", relation="!=",
                 using=rules),
        ),
    ),)


def tied_gradient(*, symmetry: Eq = SYMMETRIC, seed: int = SEED) -> Claim:
    """Build A3 under ``symmetry`` (a rewrite rule for ``S^T``); ``seed`` picks the point."""
    finite_differences, point = _finite_differences(seed)
    loss = tied_loss(W)
    calculus = Chain(
        "Matrix calculus on one trace", gradient(loss, W), (
            Link(matrix_derivative(loss, W),
                 prose("SymPy's matrix calculus on the single trace ", loss)),
            Link(TIED_GRADIENT, prose("the symmetry ", symmetry, " of the covariance collects "
                                      "the terms"), using=(symmetry,)),
        ))
    return Claim(
        id="A3",
        title="The gradient of the tied loss",
        statement=prose("For symmetric ", S, ", the tied loss ", loss,
                        " has gradient ", Eq(gradient(loss, W), TIED_GRADIENT, evaluate=False),
                        " with respect to ", W, " (", d, " by ", k, ")."),
        hypotheses=(symmetry,),
        conclusions=(Eq(gradient(loss, W), TIED_GRADIENT, evaluate=False),),
        idea=prose("Differentiate the whole loss, kept inside one trace, with SymPy's matrix "
                   "calculus; the terms with ", S.T, " and ", S, " coincide because ", S,
                   " is symmetric."),
        generality=prose("The derivative is taken for symbolic ", d, " and ", k, ". The "
                         "exact central differences at a ", ROWS, " by ", COLUMNS,
                         " rational point are an instance, a cross-check of the formula, "
                         "not part of the proof."),
        proof=(calculus,),
        # SymPy's wrong derivative of a sum of traces is a tool's bug, not a case where A3
        # fails: it is checked beside the instances, not under "Where it fails".
        instances=(finite_differences, *_trap_parts(point)),
        remarks=(_trap_remark(),),
    )


CLAIM = tied_gradient()
