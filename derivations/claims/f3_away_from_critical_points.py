"""F3: away from critical points the transpose is not the pseudo-inverse.

A4 speaks of critical points only. At initialisation and during training
``W^T != W^+`` in general; gradient descent on the tied loss with ``S``
positive definite drives ``W^T W - I`` (and with it ``W^T - W^+``) to 0.
Here one exact gradient-descent step with a rational learning rate on a
``2 x 1`` example, starting off the critical set, shrinks both defects; the
long-run convergence is demonstrated numerically by
``verify.training.train_tied`` and the property tests of F3 in ``tests/``.

>>> away_from_critical_points().check()
10
>>> from sympy import Rational
>>> from derivations.engine import DerivationError
>>> try:
...     away_from_critical_points(learning_rate=Rational(1, 2)).check()
... except DerivationError as error:
...     print(error.where)
Proof, part 2 (One exact gradient-descent step), step 2
"""

from __future__ import annotations

from sympy import (
    Abs,
    Eq,
    ImmutableMatrix,
    MatrixSymbol,
    Rational,
    Trace,
    Transpose,
    ZeroMatrix,
    diag,
    symbols,
)

from derivations.claims.f1_rank_deficient_data import tied_gradient
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import PseudoInverse

__all__ = ["CLAIM", "DATA", "START", "away_from_critical_points", "gradient_step"]

#: Positive definite data covariance with distinct eigenvalues.
DATA = ImmutableMatrix(diag(2, 1))
#: A starting point that is not critical: ``W^T W = 1/2``.
START = ImmutableMatrix([Rational(1, 2), Rational(1, 2)])


def gradient_step(S, W, learning_rate):
    """One step of gradient descent on the tied loss: ``W - learning_rate * grad L(W)``.

    >>> gradient_step(DATA, START, Rational(1, 8)).T
    Matrix([[25/32, 19/32]])
    """
    return ImmutableMatrix(W - learning_rate * tied_gradient(S, W))


def _squared_gap(W):
    """``||W^T - W^+||_F^2`` as an unevaluated expression in the matrix symbol ``W``."""
    gap = W.T - PseudoInverse(W)
    return Trace(gap * Transpose(gap))


#: A learning rate small enough for one step to shrink the defect from :data:`START`.
LEARNING_RATE = Rational(1, 8)


def away_from_critical_points(*, start=START, learning_rate=LEARNING_RATE) -> Claim:
    """Build F3 from a starting point ``start`` and a step size ``learning_rate``.

    The hypotheses: ``start`` is not a critical point, and ``learning_rate``
    is small enough for the step to shrink the defect.
    """
    eta = symbols("eta", positive=True)
    S = MatrixSymbol("S", 2, 2)
    W0, W1 = MatrixSymbol("W_0", 2, 1), MatrixSymbol("W_1", 2, 1)
    data, first = Eq(S, DATA), Eq(W0, ImmutableMatrix(start))
    after = gradient_step(DATA, ImmutableMatrix(start), learning_rate)
    second = Eq(W1, after)
    rate = Eq(eta, learning_rate)
    defect_before = Abs(1 - Trace(W0.T * W0))
    defect_after = Abs(1 - Trace(W1.T * W1))

    start_part = Part(
        heading="A point that is not critical",
        text=prose("Data ", data, " (positive definite, distinct eigenvalues) and the "
                   "starting point ", first, "."),
        steps=(
            Step(tied_gradient(S, W0), ZeroMatrix(2, 1),
                 "the tied gradient (A3) does not vanish: not a critical point",
                 relation="!=", using=(data, first)),
            Step(Trace(W0.T * W0), 1, prose(W0.T * W0, " is not 1"),
                 relation="!=", using=(first,)),
            Step(PseudoInverse(W0), W0.T, "so the transpose is not the pseudo-inverse",
                 relation="!=", using=(first,)),
        ),
    )
    step_part = Part(
        heading="One exact gradient-descent step",
        text=prose("With the rational learning rate ", rate, ", the step ",
                   Eq(W1, W0 - eta * tied_gradient(S, W0)), " is exact."),
        steps=(
            Step(W0 - eta * tied_gradient(S, W0), after,
                 prose("the step, in exact arithmetic: ", second),
                 using=(data, first, rate)),
            Step(defect_after, defect_before,
                 prose("the orthonormality defect ", defect_before,
                       " shrinks"), relation="<", using=(first, second)),
            Step(_squared_gap(W1), _squared_gap(W0),
                 prose("and so does the squared distance ", _squared_gap(W0),
                       " between transpose and pseudo-inverse"), relation="<",
                 using=(first, second)),
            Step(PseudoInverse(W1), W1.T, "though after one step they still differ",
                 relation="!=", using=(second,)),
        ),
        conclusion=prose("Iterating, with ", S, " positive definite the defect goes to 0 "
                         "(the numeric demonstration is ", "`verify.training.train_tied`",
                         " and the property tests of F3 in `tests/`): the transpose becomes "
                         "the pseudo-inverse only as training converges."),
    )

    critical = Eq(W0, ImmutableMatrix([1, 0]))
    at_critical = Part(
        heading="At a critical point the counterexample disappears",
        text=prose("At ", critical, ", an eigenvector of ", S, " of length 1, A4 applies."),
        steps=(
            Step(tied_gradient(S, W0), ZeroMatrix(2, 1), "the gradient vanishes",
                 using=(data, critical)),
            Step(PseudoInverse(W0), W0.T, "and the transpose is the pseudo-inverse",
                 using=(critical,)),
        ),
    )
    big = Rational(1, 2)
    overshoot = Eq(W1, gradient_step(DATA, ImmutableMatrix(start), big))
    too_large = Part(
        heading="The step must be small",
        text=prose("With ", Eq(eta, big), " the step overshoots: ", overshoot, "."),
        steps=(
            Step(defect_after, defect_before, "the defect grows instead",
                 relation=">", using=(first, overshoot)),
        ),
    )

    return Claim(
        id="F3",
        title="Away from critical points",
        statement=prose("At a point that is not critical, in particular at initialisation "
                        "and during training, ", PseudoInverse(W0), " is not ", W0.T,
                        " in general; gradient descent on the tied loss with ", S,
                        " positive definite shrinks ", W0.T * W0, " minus the identity "
                        "towards 0. A4 needs its hypothesis of a critical point."),
        hypotheses=(prose("The starting point ", first, " is not a critical point."),
                    prose("The learning rate ", rate, " is small enough.")),
        proof=(start_part, step_part),
        failures=(at_critical, too_large),
    )


CLAIM = away_from_critical_points()
