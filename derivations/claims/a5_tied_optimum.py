"""A5: the tied optimum ``W = U_k Q``, ``Q`` orthogonal, at the untied minimum value.

Dimension-generic: with the eigen-relations of A2 and ``Q^T Q = Q Q^T = I`` as
rewrite rules, ``W = U_k Q`` makes the tied gradient (A3) vanish, has
orthonormal columns (so ``W^+ = W^T``, P1), and its tied loss is the untied
loss at ``D = U_k Q``, ``E = Q^{-1} U_k^T``: the untied optimum of A2 with
``C = Q``. Conversely an untied optimum ``(U_k C, C^{-1} U_k^T)`` is tied,
``E = D^T``, only if ``C^{-1} = C^T``. Since the tied loss is the untied loss
restricted to ``E = D^T``, its minimum is at least the untied one and reaches
it exactly at these points. Beside it, exact instances at ``d = 3``, ``k = 2``
with symbolic eigenvalues and a rational rotation ``Q``, and a
non-orthogonal ``Q`` whose loss is higher and whose transpose is not its
pseudo-inverse.

>>> critical = CLAIM.proof[0].steps[0]
>>> critical.holds()
True
"""

from __future__ import annotations

from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    Inverse,
    MatrixSymbol,
    Rational,
    ZeroMatrix,
    diag,
    sympify,
)

from derivations.claims.a2_untied_optimum import EIGENVECTORS
from derivations.claims.a3_tied_gradient import TIED_GRADIENT, gradient_formula
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.mathematics.losses import (
    SYMMETRIC,
    C,
    D,
    E,
    Lambda_k,
    S,
    U_k,
    eigenbasis_3,
    eigenvalues_3,
    tied_loss,
    untied_loss,
)
from derivations.notation import PseudoInverse, W, d, k

__all__ = ["CLAIM", "NON_ORTHOGONAL", "ORTHOGONAL", "cayley_rotation", "tied_optimum"]

Q = MatrixSymbol("Q", k, k)
#: ``Q`` is orthogonal (square, so both Gram matrices are the identity).
ORTHOGONAL = (Eq(Q.T * Q, Identity(k)), Eq(Q * Q.T, Identity(k)))
#: A non-orthogonal mixing matrix for the failure instance.
NON_ORTHOGONAL = ImmutableMatrix([[1, 1], [0, 1]])


def cayley_rotation(t):
    """The rotation ``(I - K)(I + K)^{-1}`` of ``K = [[0, -t], [t, 0]]``: rational in ``t``.

    >>> from sympy import Symbol
    >>> rotation = cayley_rotation(Symbol("t"))
    >>> (rotation * rotation.T).applyfunc(lambda x: x.simplify()) == ImmutableMatrix.eye(2)
    True
    """
    t = sympify(t)  # a Python int would make the entries floats
    scale = 1 + t ** 2
    return ImmutableMatrix([[(1 - t ** 2) / scale, -2 * t / scale],
                            [2 * t / scale, (1 - t ** 2) / scale]])


def _generic_parts(orthogonal):
    symmetric = {S.T: S, Lambda_k.T: Lambda_k}
    transposed = Eq(EIGENVECTORS.lhs.T.subs(symmetric), EIGENVECTORS.rhs.T.subs(symmetric))
    optimum = Eq(W, U_k * Q)
    rules = (SYMMETRIC, optimum, *orthogonal, Eq(U_k.T * U_k, Identity(k)), EIGENVECTORS,
             transposed)
    critical = Part(
        heading=prose(Eq(W, U_k * Q, evaluate=False), " is a critical point with orthonormal "
                      "columns"),
        text=prose("The rules of A2 (", EIGENVECTORS, ", ", transposed, ", ",
                   Eq(U_k.T * U_k, Identity(k)), ") and the orthogonality ", *_listed(orthogonal),
                   "."),
        steps=(
            Step(TIED_GRADIENT, ZeroMatrix(d, k), "the tied gradient (A3) vanishes",
                         using=rules),
            Step(W.T * W, Identity(k), "orthonormal columns", using=rules),
            Step(W * W.T, U_k * U_k.T, "the same projector as the untied optimum",
                         using=rules),
        ),
        conclusion=prose("By P1, ", Eq(PseudoInverse(W), W.T, evaluate=False), " there."),
    )
    same_value = Part(
        heading="Its loss is the untied loss at an untied optimum",
        steps=(
            Step(tied_loss(W), untied_loss(D, E),
                         prose("the tied loss at ", W, " is the untied loss at the optimum ",
                               Eq(D, U_k * Q), ", ", Eq(E, Inverse(Q) * U_k.T),
                               " of A2 (", Eq(C, Q), "), because ", Eq(Inverse(Q), Q.T)),
                         using=(optimum, Eq(D, U_k * Q), Eq(E, Inverse(Q) * U_k.T),
                                Eq(Inverse(Q), Q.T), *orthogonal)),
        ),
        conclusion=prose("So the tied minimum value equals the untied one, the sum of the ",
                         d - k, " smallest eigenvalues: tying costs nothing at the optimum."),
    )
    encoder_side, decoder_side = Eq(Inverse(C), E * U_k), Eq(C.T, D.T * U_k)
    selects = Part(
        heading=prose("Tying selects the orthogonal ", C),
        text=prose("An untied optimum ", Eq(D, U_k * C), ", ", Eq(E, Inverse(C) * U_k.T),
                   " satisfies ", encoder_side, " and ", decoder_side, " (A2). If it is tied, ",
                   Eq(E, D.T, evaluate=False), ":"),
        steps=(
            Step(Inverse(C), C.T, "both sides are the same product",
                 using=(encoder_side, decoder_side, Eq(E, D.T))),
            Step(C.T * C, Identity(k), prose("so ", C, " is orthogonal"),
                 using=(Eq(C.T, Inverse(C)),)),
        ),
        conclusion=prose("The tied loss is the untied loss on the set ",
                         Eq(E, D.T, evaluate=False), ", so a tied ", W,
                         " reaches the untied minimum exactly when (", W, ", ", W.T,
                         ") is an untied optimum: ", Eq(W, U_k * C, evaluate=False), " with ",
                         Eq(W.T, Inverse(C) * U_k.T, evaluate=False), ", that is ",
                         Eq(W, U_k * Q, evaluate=False), " with ", Q,
                         " orthogonal. These are the tied global minima, and at each of them ",
                         Eq(PseudoInverse(W), W.T, evaluate=False), "."),
    )
    return (critical, same_value, selects)


def _listed(items):
    parts = []
    for position, item in enumerate(items):
        parts += ([", "] if position else []) + [item]
    return parts


def _instances(mixing):
    lambdas, order = eigenvalues_3()
    basis = eigenbasis_3()
    covariance = ImmutableMatrix(basis * diag(*lambdas) * basis.T)
    top = ImmutableMatrix(basis[:, :2])
    s0, u2 = MatrixSymbol("S_0", 3, 3), MatrixSymbol("U_2", 3, 2)
    q0, w0 = MatrixSymbol("Q_0", 2, 2), MatrixSymbol("W_0", 3, 2)
    setting = (Eq(s0, covariance), Eq(u2, top), Eq(q0, mixing), Eq(w0, u2 * q0))
    rotation = Part(
        heading=prose("Exact instance: ", Eq(d, 3), ", ", Eq(k, 2), ", a rational rotation"),
        text=prose("With symbolic eigenvalues ", *_listed(lambdas), " and the eigenbasis of A2, ",
                   Eq(s0, covariance), " and ", Eq(u2, top), "; the rotation ",
                   Eq(q0, mixing), " (the Cayley transform of a skew-symmetric matrix), and ",
                   Eq(w0, u2 * q0, evaluate=False), "."),
        steps=(
            Step(q0.T * q0, Identity(2), prose(q0, " is orthogonal"), using=setting),
            Step(w0.T * w0, Identity(2), prose(w0, " has orthonormal columns"),
                         using=setting),
            Step(gradient_formula(w0, s0), ZeroMatrix(3, 2),
                         "the tied gradient vanishes", using=setting),
            Step(tied_loss(w0, s0), lambdas[2], "the loss is the untied minimum, the "
                         "smallest eigenvalue", using=setting),
            Step(PseudoInverse(w0), w0.T, "SymPy's pinv is the transpose", using=setting),
        ),
    )
    return (rotation,), _failure(covariance, top, lambdas)


def _failure(covariance, top, lambdas):
    s0, u2 = MatrixSymbol("S_0", 3, 3), MatrixSymbol("U_2", 3, 2)
    q1, w1 = MatrixSymbol("Q_1", 2, 2), MatrixSymbol("W_1", 3, 2)
    setting = (Eq(s0, covariance), Eq(u2, top), Eq(q1, NON_ORTHOGONAL), Eq(w1, u2 * q1))
    return (Part(
        heading=prose("A non-orthogonal ", q1, ": not a minimum, and the transpose is not the "
                      "pseudo-inverse"),
        text=prose("With the shear ", Eq(q1, NON_ORTHOGONAL), " (with ", q1,
                   " as the mixing matrix it is an untied optimum of A2), ",
                   Eq(w1, u2 * q1, evaluate=False), ":"),
        steps=(
            Step(gradient_formula(w1, s0), ZeroMatrix(3, 2),
                         "the tied gradient does not vanish", relation="!=", using=setting),
            Step(tied_loss(w1, s0), lambdas[2], "the loss exceeds the minimum",
                         relation=">", using=setting),
            Step(PseudoInverse(w1), w1.T, "and the transpose is not the pseudo-inverse",
                 relation="!=", using=setting),
        ),
    ),)


def tied_optimum(*, orthogonal: tuple[Eq, Eq] = ORTHOGONAL,
                 mixing: ImmutableMatrix | None = None) -> Claim:
    """Build A5 under ``orthogonal`` (rules for ``Q^T Q`` and ``Q Q^T``).

    ``mixing`` is the explicit orthogonal ``Q`` of the exact instance (default:
    the Cayley rotation at ``t = 1/2``).
    """
    if mixing is None:
        mixing = cayley_rotation(Rational(1, 2))
    instances, failures = _instances(mixing)
    return Claim(
        id="A5",
        title="The tied optimum",
        statement=prose("For ", S, " positive definite with distinct eigenvalues, the global "
                        "minima of the tied loss ", tied_loss(W), " are ",
                        Eq(W, U_k * Q, evaluate=False), " with ", Q, " orthogonal; the "
                        "minimum equals the untied one, and tying picks out of the untied "
                        "optima of A2 exactly those with ", C, " orthogonal, where ",
                        Eq(PseudoInverse(W), W.T, evaluate=False), "."),
        hypotheses=(
            prose(S, " symmetric positive definite with distinct eigenvalues; ", U_k,
                  " its top ", k, " eigenvectors as in A2."),
            prose(*_listed(orthogonal), "."),
        ),
        proof=_generic_parts(orthogonal),
        instances=instances,
        failures=failures,
        sources=("Baldi and Hornik 1989",),
    )


CLAIM = tied_optimum()
