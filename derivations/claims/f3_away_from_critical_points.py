"""F3: away from critical points the transpose is not the pseudo-inverse.

A4 speaks of critical points only. At initialisation and during training
``W^T != W^+`` in general. Gradient descent ``W_{t+1} = W_t - eta grad L(W_t)``
on the tied loss with ``S`` positive definite, from a generic start and with a
small enough step, drives ``W^T W - I`` (and ``W^T - W^+``) to 0 in every run
measured here (``verify.training.train_tied``, the F3 figure and the property
tests): measured, not proved. The saddle-avoidance theorems for gradient descent
assume a globally Lipschitz gradient, which the quartic tied loss lacks, so
none is cited. What is
proved, for symbolic sizes: the fixed points of the step are exactly the
critical points, and a zero column stays zero forever, so from such a start
``e^T (W^T W - I) e = -1`` at every step and the defect never goes to 0: the
convergence needs a generic start. The exact instances take one gradient step
on a ``2 x 1`` example (the defect shrinks, the transpose is still not the
pseudo-inverse) and show a step that is too large.

>>> away_from_critical_points().check()
13
"""

from __future__ import annotations

from sympy import (
    Abs,
    And,
    Eq,
    Identity,
    ImmutableMatrix,
    MatAdd,
    MatMul,
    MatrixSymbol,
    Rational,
    Trace,
    Transpose,
    ZeroMatrix,
    diag,
    symbols,
)

from derivations.engine import Assume, Chain, Claim, Link, Part, Step, prose
from derivations.mathematics.losses import SYMMETRIC, S, gradient_step, tied_gradient, tied_loss
from derivations.notation import Gradient, PseudoInverse, W, d, k

__all__ = ["CLAIM", "DATA", "START", "away_from_critical_points"]

#: Positive definite data covariance with distinct eigenvalues.
DATA = ImmutableMatrix(diag(2, 1))
#: A starting point that is not critical: ``W^T W = 1/2``.
START = ImmutableMatrix([Rational(1, 2), Rational(1, 2)])
#: A step size small enough for one step to shrink the defect from :data:`START`.
STEP = Rational(1, 8)

#: The step size, positive.
eta = symbols("eta", positive=True)
#: A coordinate vector of the code space (``k x 1``).
e = MatrixSymbol("e", k, 1)


def _step(weights):
    """``W - eta grad L(W)``, the gradient as the unevaluated :class:`Gradient`.

    Built unevaluated: SymPy's ``MatMul`` would evaluate the gradient on construction.
    """
    step = MatMul(-eta, Gradient(tied_loss(weights), weights), evaluate=False)
    return MatAdd(weights, step, evaluate=False)


def _squared_gap(weights):
    """``||W^T - W^+||_F^2`` as an unevaluated expression."""
    gap = weights.T - PseudoInverse(weights)
    return Trace(gap * Transpose(gap))


def _instances(start, step):
    S2 = MatrixSymbol("S", 2, 2)
    W0, W1 = MatrixSymbol("W_0", 2, 1), MatrixSymbol("W_1", 2, 1)
    data, first = Eq(S2, DATA), Eq(W0, ImmutableMatrix(start))
    after = ImmutableMatrix(gradient_step(ImmutableMatrix(start), step, DATA))
    second = Eq(W1, after)
    defect_before, defect_after = Abs(1 - Trace(W0.T * W0)), Abs(1 - Trace(W1.T * W1))
    one_step = Part(
        heading="One exact gradient step from a point that is not critical",
        text=prose("Data ", data, " (positive definite, distinct eigenvalues), the start ",
                   first, " and the step size ", Eq(eta, step), ": ", second, "."),
        steps=(
            Step(tied_gradient(W0, S2), ZeroMatrix(2, 1), "the start is not critical",
                 relation="!=", using=(data, first)),
            Step(PseudoInverse(W0), W0.T, "and its transpose is not its pseudo-inverse",
                 relation="!=", using=(first,)),
            Step(W0 - step * tied_gradient(W0, S2), W1, "the step, in exact arithmetic",
                 using=(data, first, second)),
            Step(defect_after, defect_before, prose("the defect ", defect_before, " shrinks"),
                 relation="<", using=(first, second)),
            Step(_squared_gap(W1), _squared_gap(W0),
                 prose("and so does ", _squared_gap(W0)), relation="<",
                 using=(first, second)),
            Step(PseudoInverse(W1), W1.T, "though after one step they still differ",
                 relation="!=", using=(second,)),
        ),
        conclusion=prose("One step is an instance, not a proof of convergence."),
    )
    big = Rational(1, 2)
    overshoot = Eq(W1, ImmutableMatrix(gradient_step(ImmutableMatrix(start), big, DATA)))
    too_large = Part(
        heading="The step must be small",
        text=prose("With ", Eq(eta, big), " the step overshoots: ", overshoot, "."),
        steps=(Step(defect_after, defect_before, "the defect grows instead", relation=">",
                    using=(first, overshoot)),),
    )
    Z0, Z1 = MatrixSymbol("W_0", 2, 2), MatrixSymbol("W_1", 2, 2)
    zero_start = ImmutableMatrix([[Rational(1, 2), 0], [Rational(1, 2), 0]])
    column = Eq(Z0, zero_start)
    stepped = Eq(Z1, ImmutableMatrix(gradient_step(zero_start, step, DATA)))
    zero_column = Part(
        heading="A zero column stays zero",
        text=prose("From ", column, " one step gives ", stepped, "."),
        steps=(
            Step(Z1 * ImmutableMatrix([0, 1]), ZeroMatrix(2, 1),
                 "the second column is still zero", using=(stepped,)),
            Step(Z1.T * Z1, Identity(2), "so the defect cannot vanish", relation="!=",
                 using=(stepped,)),
        ),
    )
    return (one_step,), (too_large, zero_column)


def away_from_critical_points(*, symmetric: Eq = SYMMETRIC, start=START, step=STEP) -> Claim:
    """Build F3 under ``symmetric`` (``S^T = S``); ``start`` and ``step`` make the instance.

    The instance needs ``start`` not critical and ``step`` small enough for the
    defect to shrink.
    """
    gradient = Chain("The gradient (A3)", Gradient(tied_loss(W), W), (
        Link(tied_gradient(W), prose("matrix calculus on the single trace, with ", symmetric),
             using=(symmetric,)),))
    fixed = Chain("A step moves the weights by the gradient", _step(W) - W, (
        Link(-eta * tied_gradient(W), "the gradient", using=(symmetric,)),),
        conclusion=prose("With ", eta, " > 0 the step leaves ", W, " where it is exactly when "
                         "the gradient vanishes: its fixed points are the critical points."))
    zero = Eq(W * e, ZeroMatrix(d, 1))
    zero_transposed = Eq(e.T * W.T, ZeroMatrix(1, d))
    stays = Assume(zero, (
        Chain("A zero column stays zero", MatMul(_step(W), e, evaluate=False), (
            Link(ZeroMatrix(d, 1), prose("every term of the gradient ends in ", W * e),
                 using=(zero,)),)),),
        Eq(MatMul(_step(W), e, evaluate=False), ZeroMatrix(d, 1), evaluate=False),
        heading=prose("If ", zero, ", the step keeps it"))
    unit = Eq(e.T * e, Identity(1))
    premise = And(zero, zero_transposed, unit)
    defect = MatAdd(MatMul(Transpose(_step(W)), _step(W), evaluate=False), -Identity(k),
                    evaluate=False)
    column = MatMul(e.T, defect, e, evaluate=False)
    stuck = Assume(premise, (
        Chain("and the defect does not shrink along it", column, (
            Link(-Identity(1), prose(_step(W) * e, " vanishes and ", e, " is a unit vector"),
                 using=(zero, zero_transposed, unit)),)),),
        Eq(column, -Identity(1), evaluate=False),
        heading=prose("From a start with a zero column the defect stays"))

    instances, failures = _instances(start, step)
    return Claim(
        id="F3",
        title="Away from critical points",
        statement=prose(
            "At a point that is not critical, in particular at initialisation and during "
            "training, ", PseudoInverse(W), " is not ", W.T, " in general; A4 needs its "
            "hypothesis. Gradient descent ", Eq(MatrixSymbol("W_next", d, k), _step(W),
                                                 evaluate=False),
            " stops exactly at the critical points. With ", S, " positive definite, a "
            "generic start and a small enough step it drives ", W.T * W - Identity(k),
            " to 0 in every run measured here (measured, not proved); not from every start: "
            "a zero "
            "column stays zero, and with it ",
            Eq(e.T * (W.T * W - Identity(k)) * e, -Identity(1), evaluate=False), "."),
        hypotheses=(symmetric,),
        conclusions=(gradient.derives, fixed.derives, stays.derives, stuck.derives),
        idea=prose("Every term of the tied gradient ", tied_gradient(W), " ends in ", W,
                   ", so a column that is zero has a zero gradient column and stays zero; "
                   "then the corresponding diagonal entry of ", W.T * W - Identity(k),
                   " is -1 forever."),
        generality=prose(
            "The fixed points and the zero column are proved for symbolic ", d, " and ", k,
            " (by induction, since the step keeps the column zero, at every step). "
            "Convergence from a generic start is measured, not proved: gradient descent "
            "reaches a partial isometry in every run measured here (the training runs of "
            "verify.training.train_tied, the F3 figure and the property tests of F3). The "
            "theorems that gradient descent with a small fixed step avoids strict saddles "
            "assume a gradient that is Lipschitz on the whole space, and the tied loss is "
            "quartic in ", W, ", so its gradient is not: they do not apply as stated, and "
            "none is cited. What is checked exactly is one gradient step (an instance)."),
        proof=(gradient, fixed, stays, stuck),
        instances=instances,
        failures=failures,
    )


CLAIM = away_from_critical_points()
