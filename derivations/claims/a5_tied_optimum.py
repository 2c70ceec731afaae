"""A5: the tied optimum ``W = U_k Q``, ``Q`` orthogonal, at the untied minimum value.

Dimension-generic in ``d`` and ``k``. With the eigen-relations of A2 and
``Q^T Q = Q Q^T = I`` as rewrite rules, ``W = U_k Q`` makes the tied gradient (A3)
vanish, has orthonormal columns and ``(U_k Q)^+ = (U_k Q)^T`` (Penrose's
conditions and uniqueness), and its loss is ``tr S - tr Lambda_k``, the untied
minimum. The tied loss is the untied loss at ``E = D^T``, so Eckart-Young (cited)
bounds it below by the same value: tying costs nothing at the optimum. Conversely
a tied ``W`` at that value is an untied global minimum, so Baldi and Hornik's
characterisation (cited) gives ``W = U_k Q`` with ``Q = U_k^T W`` orthogonal; and
an untied optimum ``(U_k C, C^{-1} U_k^T)`` is tied only if ``C`` is orthogonal.
Beside it, an exact instance at ``d = 3``, ``k = 2`` with symbolic eigenvalues
and a rational rotation ``Q``, and a non-orthogonal ``Q`` whose loss is higher and
whose transpose is not its pseudo-inverse.

>>> CLAIM.check() > 15
True
"""

from __future__ import annotations

from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    Inverse,
    MatrixSymbol,
    Q,
    Rational,
    Transpose,
    ZeroMatrix,
    diag,
    sympify,
)
from sympy.logic.boolalg import And

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import Assume, Chain, Cite, Claim, Conclude, Link, Part, Step, prose
from derivations.mathematics.facts import BALDI_HORNIK, ECKART_YOUNG
from derivations.mathematics.losses import (
    SYMMETRIC,
    C,
    E,
    Lambda_k,
    S,
    U_k,
    eigenbasis_3,
    eigenvalues_3,
    tied_gradient,
    tied_loss,
)
from derivations.mathematics.penrose import penrose_conditions
from derivations.mathematics.spectral import (
    EIGENVECTORS,
    EIGENVECTORS_TRANSPOSED,
    ORTHONORMAL_EIGENVECTORS,
    UNTIED_MINIMUM,
)
from derivations.notation import PseudoInverse, W, d, k

__all__ = ["CLAIM", "NON_ORTHOGONAL", "ORTHOGONAL", "Q_", "cayley_rotation", "tied_optimum"]

#: The orthogonal mixing of the tied optimum (``Q_`` in Python: ``Q`` is SymPy's predicates).
Q_ = MatrixSymbol("Q", k, k)
#: ``Q`` is orthogonal (square, so both Gram matrices are the identity).
ORTHOGONAL = (Eq(Q_.T * Q_, Identity(k), evaluate=False),
              Eq(Q_ * Q_.T, Identity(k), evaluate=False))
INVERTIBLE_MIXING = Q.invertible(C)
POSITIVE_DEFINITE = Q.positive_definite(S)
#: A non-orthogonal mixing matrix for the failure instance.
NON_ORTHOGONAL = ImmutableMatrix([[1, 1], [0, 1]])
OPTIMUM = U_k * Q_


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


def _optimum(rules, orthogonal):
    critical = Chain(prose("The tied gradient (A3) vanishes at ", OPTIMUM),
                     tied_gradient(OPTIMUM), (
                         Link(ZeroMatrix(d, k), "the eigen-relations and the orthogonality",
                              using=rules),))
    columns = Chain(prose(OPTIMUM, " has orthonormal columns"), OPTIMUM.T * OPTIMUM, (
        Link(Identity(k), prose(ORTHONORMAL_EIGENVECTORS, " and ", orthogonal[0]),
             using=(ORTHONORMAL_EIGENVECTORS, *orthogonal)),))
    value = Chain(prose("Its loss is the untied minimum"), tied_loss(OPTIMUM), (
        Link(UNTIED_MINIMUM, "multiply out; the traces are cyclic", using=rules),))
    conditions = tuple(
        Chain(prose("Penrose condition ", number, " for the transpose"), condition.lhs,
              (Link(condition.rhs, "orthonormal columns", using=(columns.derives,)),))
        for number, condition in enumerate(penrose_conditions(OPTIMUM, OPTIMUM.T), start=1))
    uniqueness, _ = by_uniqueness(OPTIMUM, OPTIMUM.T)
    return (critical, columns, value, *conditions, *uniqueness)


def _every_minimum_is_orthogonal():
    mixing = U_k.T * W
    at_minimum = Eq(tied_loss(W), UNTIED_MINIMUM, evaluate=False)
    characterisation = Cite(BALDI_HORNIK, W, W.T,
                            text=prose("The tied loss at ", W, " is the untied loss at (", W,
                                       ", ", W.T, "), so ", W, " and ", W.T,
                                       " are an untied global minimum."))
    invertible, factors = characterisation.relations
    in_span = Eq(U_k * U_k.T * W, W, evaluate=False)
    encoder = Eq(W.T, Inverse(mixing) * U_k.T, evaluate=False)
    gram = Chain(prose("Orthonormal columns"), W.T * W, (
        Link(Identity(k), prose(encoder, ": the inverse cancels"), using=(encoder,)),))
    left = Chain(prose(mixing, " is orthogonal"), mixing.T * mixing, (
        Link(Identity(k), prose(in_span, " and ", gram.derives),
             using=(in_span, gram.derives)),))
    right = Chain(prose("on both sides"), mixing * mixing.T, (
        Link(Identity(k), prose(encoder), using=(encoder, ORTHONORMAL_EIGENVECTORS)),))
    goal = And(gram.derives, in_span, left.derives, right.derives)
    return Assume(at_minimum, (characterisation, Conclude(invertible), Conclude(factors),
                               gram, left, right), goal,
                  heading=prose("Every tied global minimum is ", Eq(W, U_k * mixing), " with ",
                                mixing, " orthogonal"))


def _tying_selects_orthogonal_mixing():
    tied = Eq(Inverse(C) * U_k.T, Transpose(U_k * C), evaluate=False)
    chain = Chain(prose(C, " is orthogonal"), C.T * C, (
        Link(Transpose(U_k * C) * U_k * C, prose(ORTHONORMAL_EIGENVECTORS),
             using=(ORTHONORMAL_EIGENVECTORS,)),
        Link(Inverse(C) * U_k.T * U_k * C, "the encoder is the transposed decoder",
             using=(tied,)),
        Link(Identity(k), prose(ORTHONORMAL_EIGENVECTORS), using=(ORTHONORMAL_EIGENVECTORS,)),
    ))
    return Assume(tied, (chain,), chain.derives,
                  heading=prose("Tying picks, among the untied optima ", U_k * C, ", ",
                                Inverse(C) * U_k.T, " of A2, those with ", C, " orthogonal"))


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
            Step(w0.T * w0, Identity(2), prose(w0, " has orthonormal columns"), using=setting),
            Step(tied_gradient(w0, s0), ZeroMatrix(3, 2), "the tied gradient vanishes",
                 using=setting),
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
            Step(tied_gradient(w1, s0), ZeroMatrix(3, 2),
                 "the tied gradient does not vanish", relation="!=", using=setting),
            Step(tied_loss(w1, s0), lambdas[2], "the loss exceeds the minimum",
                 relation=">", using=setting),
            Step(PseudoInverse(w1), w1.T, "and the transpose is not the pseudo-inverse",
                 relation="!=", using=setting),
        ),
    ),)


def tied_optimum(*, orthogonal: tuple[Eq, Eq] = ORTHOGONAL, eigenvectors: Eq = EIGENVECTORS,
                 positive_definite=POSITIVE_DEFINITE, invertible_mixing=INVERTIBLE_MIXING,
                 mixing: ImmutableMatrix | None = None) -> Claim:
    """Build A5 under ``orthogonal`` (rules for ``Q^T Q`` and ``Q Q^T``), ``eigenvectors``,
    ``positive_definite`` (``S``) and ``invertible_mixing`` (``C``).

    ``mixing`` is the explicit orthogonal ``Q`` of the exact instance (default:
    the Cayley rotation at ``t = 1/2``).
    """
    if mixing is None:
        mixing = cayley_rotation(Rational(1, 2))
    instances, failures = _instances(mixing)
    hypotheses = (SYMMETRIC, positive_definite, eigenvectors, EIGENVECTORS_TRANSPOSED,
                  ORTHONORMAL_EIGENVECTORS, *orthogonal, invertible_mixing)
    rules = (SYMMETRIC, eigenvectors, EIGENVECTORS_TRANSPOSED, ORTHONORMAL_EIGENVECTORS,
             *orthogonal)
    optimum = _optimum(rules, orthogonal)
    bound = Cite(ECKART_YOUNG, W, W.T,
                 text=prose("The tied loss is the untied loss at ", Eq(E, W.T), "."))
    lower = Conclude(bound.relations[0])
    converse = _every_minimum_is_orthogonal()
    selects = _tying_selects_orthogonal_mixing()
    critical, columns, value = optimum[:3]
    pseudo_inverse = Eq(PseudoInverse(OPTIMUM), OPTIMUM.T, evaluate=False)
    return Claim(
        id="A5",
        title="The tied optimum",
        statement=prose("For ", S, " positive definite with distinct eigenvalues and ", U_k,
                        " its top ", k, " orthonormal eigenvectors, ", Eq(W, OPTIMUM), " with ",
                        Q_, " orthogonal is a critical point of the tied loss ", tied_loss(W),
                        " with ", value.derives, ", the untied minimum; no ", W,
                        " does better, ", bound.relations[0].args[1], "; every ", W,
                        " at that value is ", U_k * (U_k.T * W), " with ", U_k.T * W,
                        " orthogonal; and tying picks out of the untied optima of A2 exactly "
                        "those with ", C, " orthogonal, where ", pseudo_inverse, "."),
        hypotheses=hypotheses,
        conclusions=(critical.derives, columns.derives, value.derives, pseudo_inverse,
                     bound.relations[0].args[1], converse.derives, selects.derives),
        idea=prose("The tied loss is the untied loss restricted to ",
                   Eq(E, W.T), ": its minimum cannot be lower than the untied one, "
                   "and it reaches it exactly at the untied optima that are tied, where ",
                   Eq(Inverse(C), C.T), ". There the columns are orthonormal, so the "
                   "transpose is the pseudo-inverse."),
        generality=prose("Everything under Proof is for symbolic ", d, " and ", k,
                         ". Cited, not derived: the lower bound (Eckart-Young) and the form of "
                         "the untied global minima (Baldi-Hornik). The instance at ",
                         Eq(d, 3), ", ", Eq(k, 2), " checks a rotation exactly. The "
                         "eigen-relation is stated together with its transpose (", S, " and ",
                         Lambda_k,
                         " are symmetric): the rewriter applies rules as written and does not "
                         "transpose them."),
        proof=(*optimum, bound, lower, converse, selects),
        instances=instances,
        failures=failures,
        sources=("Baldi and Hornik 1989", "Eckart and Young 1936"),
    )


CLAIM = tied_optimum()
