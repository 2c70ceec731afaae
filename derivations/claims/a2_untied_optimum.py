"""A2 (Baldi and Hornik 1989): the untied optimum ``D = U_k C``, ``E = C^{-1} U_k^T``.

Dimension-generic: with the eigen-relations ``S U_k = U_k Lambda_k`` and
``U_k^T U_k = I`` as rewrite rules, both gradients of the untied loss (A1)
vanish at ``D = U_k C``, ``E = C^{-1} U_k^T`` for every invertible ``C``; ``D E``
is the orthogonal projector ``U_k U_k^T``; ``E`` and ``D`` satisfy the four
Penrose conditions for each other; and ``E = D^T`` exactly when
``C^{-1} = C^T``. Beside it, exact instances at ``d = 3``, ``k = 2`` with
symbolic distinct eigenvalues and a ``C`` with four symbolic entries: the
minimum is the tail eigenvalue, ``E = D^+`` identically in ``C``, a critical
point on the wrong eigenvectors is a saddle, and a non-orthogonal ``C`` gives
``E = D^+ != D^T``.

>>> critical = CLAIM.proof[0]
>>> [step.holds() for step in critical.steps]
[True, True]
"""

from __future__ import annotations

from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    Inverse,
    MatrixSymbol,
    Rational,
    Transpose,
    ZeroMatrix,
    diag,
    symbols,
)

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
    untied_loss,
)
from derivations.notation import PseudoInverse, d, k

__all__ = ["CLAIM", "EIGENVECTORS", "ORTHOGONAL_MIXING", "untied_optimum"]

#: ``U_k`` holds eigenvectors of ``S`` for the eigenvalues on the diagonal of ``Lambda_k``.
EIGENVECTORS = Eq(S * U_k, U_k * Lambda_k)
#: ``C`` is orthogonal.
ORTHOGONAL = Eq(Inverse(C), C.T)
#: An exactly orthogonal rational 2x2 mixing matrix (a rotation).
ORTHOGONAL_MIXING = ImmutableMatrix([[Rational(3, 5), Rational(-4, 5)],
                                     [Rational(4, 5), Rational(3, 5)]])
#: A non-orthogonal invertible mixing matrix (a shear).
SHEAR = ImmutableMatrix([[1, 1], [0, 1]])


def gradients(decoder, encoder, covariance):
    """Half the gradients of the untied loss in ``D`` and in ``E`` (A1)."""
    size = decoder.shape[0]
    residual = decoder * encoder - Identity(size)
    return residual * covariance * encoder.T, decoder.T * residual * covariance


def _generic_parts(eigenvectors, orthogonal):
    # The transposed relation, using that S is symmetric and Lambda_k diagonal.
    symmetric = {S.T: S, Lambda_k.T: Lambda_k}
    transposed = Eq(eigenvectors.lhs.T.subs(symmetric), eigenvectors.rhs.T.subs(symmetric))
    candidate = (Eq(D, U_k * C), Eq(E, Inverse(C) * U_k.T))
    orthonormal = (*candidate, Eq(U_k.T * U_k, Identity(k)))
    rules = (SYMMETRIC, *orthonormal, eigenvectors, transposed)
    gradient_d, gradient_e = gradients(D, E, S)
    critical = Part(
        heading="Both gradients vanish at the candidate",
        text=prose("The hypotheses as rewrite rules: ", eigenvectors, ", and its transpose ",
                   transposed, " (", S, " symmetric, ", Lambda_k, " diagonal), with ",
                   Eq(U_k.T * U_k, Identity(k)), ". The candidate: ", candidate[0], ", ",
                   candidate[1], " for any invertible ", C, ". By A1 the gradients are twice ",
                   gradient_d, " and twice ", gradient_e, "."),
        steps=(
            Step(gradient_d, ZeroMatrix(d, k), "the decoder gradient vanishes",
                         using=rules),
            Step(gradient_e, ZeroMatrix(k, d), "the encoder gradient vanishes",
                         using=rules),
        ),
    )
    projector = Part(
        heading=prose(D * E, " is the orthogonal projector onto the top eigenvectors"),
        steps=(
            Step(D * E, U_k * U_k.T, prose(C, " cancels"), using=orthonormal),
            Step(D * E * D * E, D * E, "idempotent", using=orthonormal),
            Step(Transpose(D * E), D * E, "symmetric", using=orthonormal),
        ),
        conclusion=prose("So the reconstruction ", D * E, " projects onto the span of the "
                         "top ", k, " eigenvectors, whatever ", C, " is: the loss is the sum of "
                         "the remaining eigenvalues (the instances below), the smallest "
                         "possible by Eckart and Young."),
    )
    penrose = Part(
        heading=prose("The encoder is the pseudo-inverse of the decoder, and vice versa"),
        text=prose("The four Penrose conditions for ", E, " as the pseudo-inverse of ", D, ":"),
        steps=(
            Step(D * E * D, D, "Penrose condition 1", using=orthonormal),
            Step(E * D * E, E, "Penrose condition 2", using=orthonormal),
            Step(Transpose(D * E), D * E, "Penrose condition 3", using=orthonormal),
            Step(Transpose(E * D), E * D, "Penrose condition 4", using=orthonormal),
        ),
        conclusion=prose("Hence ", Eq(E, PseudoInverse(D), evaluate=False), " (P2). The same "
                         "four equations, read with the roles swapped (1 and 2 exchange, 3 and 4 "
                         "exchange), say ", Eq(D, PseudoInverse(E), evaluate=False), "."),
    )
    transpose = Part(
        heading=prose("The encoder is the transpose of the decoder only for orthogonal ", C),
        text=prose("Multiplying by ", U_k, " on the right recovers the factors next to ",
                   U_k.T, ":"),
        steps=(
            Step(E * U_k, Inverse(C), "the encoder side", using=orthonormal),
            Step(D.T * U_k, C.T, "the transposed decoder side", using=orthonormal),
            Step(E, D.T, prose("and if ", orthogonal, ", the two agree"),
                         using=(*candidate, orthogonal)),
        ),
        conclusion=prose("So ", Eq(E, D.T, evaluate=False), " forces ",
                         Eq(Inverse(C), C.T, evaluate=False), ", and conversely: the "
                         "encoder is the transpose exactly when ", C, " is orthogonal."),
    )
    return (critical, projector, penrose, transpose)


def _concrete(orthogonal_mixing):
    lambdas, order = eigenvalues_3()
    basis = eigenbasis_3()
    covariance = ImmutableMatrix(basis * diag(*lambdas) * basis.T)
    top = ImmutableMatrix(basis[:, :2])
    entries = symbols("c_11 c_12 c_21 c_22", real=True)
    mixing = ImmutableMatrix(2, 2, entries)
    named = {name: MatrixSymbol(name, *shape) for name, shape in (
        ("S_0", (3, 3)), ("U_2", (3, 2)), ("C_0", (2, 2)), ("D_0", (3, 2)), ("E_0", (2, 3)))}
    s0, u2, c0, d0, e0 = named.values()
    setting = (Eq(s0, covariance), Eq(u2, top), Eq(c0, mixing),
               Eq(d0, u2 * c0), Eq(e0, Inverse(c0) * u2.T))
    gradient_d, gradient_e = gradients(d0, e0, s0)
    general = Part(
        heading=prose("Exact instance: ", Eq(d, 3), ", ", Eq(k, 2), ", every invertible ", c0),
        text=prose("Eigenvalues ", *_listed(lambdas), " (", order[0], ", ", order[1],
                   " with positive gaps), the rational orthogonal eigenbasis ",
                   Eq(MatrixSymbol("U", 3, 3), basis), ", so ", Eq(s0, covariance), " and ",
                   Eq(u2, top), ". The mixing matrix ", Eq(c0, mixing),
                   " has four symbolic entries (invertible where its determinant is not 0); ",
                   Eq(d0, u2 * c0, evaluate=False), ", ",
                   Eq(e0, Inverse(c0) * u2.T, evaluate=False), "."),
        steps=(
            Step(gradient_d, ZeroMatrix(3, 2), "the decoder gradient vanishes",
                         using=setting),
            Step(gradient_e, ZeroMatrix(2, 3), "the encoder gradient vanishes",
                         using=setting),
            Step(untied_loss(d0, e0, s0), lambdas[2],
                         "the loss is the smallest eigenvalue: the sum of the tail",
                         using=setting),
            Step(d0 * e0 * d0, d0, "Penrose condition 1", using=setting),
            Step(e0 * d0 * e0, e0, "Penrose condition 2", using=setting),
            Step(Transpose(d0 * e0), d0 * e0, "Penrose condition 3", using=setting),
            Step(Transpose(e0 * d0), e0 * d0, "Penrose condition 4", using=setting),
        ),
        conclusion=prose("So ", Eq(e0, PseudoInverse(d0), evaluate=False),
                         " identically in the entries of ", c0, "."),
    )
    rotation = (Eq(s0, covariance), Eq(u2, top), Eq(c0, orthogonal_mixing),
                Eq(d0, u2 * c0), Eq(e0, Inverse(c0) * u2.T))
    orthogonal = Part(
        heading=prose("An orthogonal ", c0, ": the encoder is the transpose"),
        text=prose("With the rotation ", Eq(c0, orthogonal_mixing), ":"),
        steps=(
            Step(e0, d0.T, prose(Eq(e0, d0.T, evaluate=False), " exactly"),
                         using=rotation),
            Step(untied_loss(d0, e0, s0), lambdas[2], "at the same minimum",
                         using=rotation),
        ),
    )
    return (general, orthogonal, _saddle(lambdas, order, covariance, basis)), \
        (_shear(covariance, top, lambdas),)


def _listed(items):
    parts = []
    for position, item in enumerate(items):
        parts += ([", "] if position else []) + [item]
    return parts


def _saddle(lambdas, order, covariance, basis):
    s0 = MatrixSymbol("S_0", 3, 3)
    d1 = MatrixSymbol("D_1", 3, 2)
    skipped = ImmutableMatrix.hstack(basis[:, 0], basis[:, 2])
    t = symbols("t", real=True, nonzero=True)
    cosine, sine = (1 - t ** 2) / (1 + t ** 2), 2 * t / (1 + t ** 2)
    turned = ImmutableMatrix.hstack(basis[:, 0], cosine * basis[:, 2] + sine * basis[:, 1])
    stretched = ImmutableMatrix.hstack(basis[:, 0], (1 + t) * basis[:, 2])
    d_turned, d_stretched = MatrixSymbol("D_t", 3, 2), MatrixSymbol("D_s", 3, 2)
    base = (Eq(s0, covariance), Eq(d1, skipped))
    gradient_d, gradient_e = gradients(d1, d1.T, s0)
    return Part(
        heading="Exact instance: a critical point on the wrong eigenvectors is a saddle",
        text=prose("Keep the first and third eigenvectors, ", Eq(d1, skipped), ", with encoder ",
                   d1.T, ". Turning the second column towards the second eigenvector by the "
                   "rational rotation with parameter ", t, " gives ", Eq(d_turned, turned),
                   "; stretching it gives ", Eq(d_stretched, stretched), "."),
        steps=(
            Step(gradient_d, ZeroMatrix(3, 2), "the decoder gradient vanishes",
                         using=base),
            Step(gradient_e, ZeroMatrix(2, 3), "the encoder gradient vanishes",
                         using=base),
            Step(untied_loss(d1, d1.T, s0), lambdas[1], "its loss is the middle "
                         "eigenvalue", using=base),
            Step(lambdas[1], lambdas[2], "larger than the minimum", relation=">",
                 using=order[1:]),
            Step(untied_loss(d_turned, d_turned.T, s0), untied_loss(d1, d1.T, s0),
                         "turning lowers the loss for every nonzero parameter: a descent "
                         "direction", relation="<",
                         using=(*base, Eq(d_turned, turned), order[1])),
            Step(untied_loss(d_stretched, d1.T, s0), untied_loss(d1, d1.T, s0),
                         "stretching the decoder alone raises it: an ascent direction",
                         relation=">", using=(*base, Eq(d_stretched, stretched))),
        ),
        conclusion="A critical point with both a descent and an ascent direction is a saddle.",
    )


def _shear(covariance, top, lambdas):
    s0, u2 = MatrixSymbol("S_0", 3, 3), MatrixSymbol("U_2", 3, 2)
    c1, d2, e2 = MatrixSymbol("C_1", 2, 2), MatrixSymbol("D_2", 3, 2), MatrixSymbol("E_2", 2, 3)
    setting = (Eq(s0, covariance), Eq(u2, top), Eq(c1, SHEAR), Eq(d2, u2 * c1),
               Eq(e2, Inverse(c1) * u2.T))
    return Part(
        heading=prose("A non-orthogonal ", c1, ": pseudo-inverse, not transpose"),
        text=prose("With the shear ", Eq(c1, SHEAR), ", ", Eq(d2, u2 * c1, evaluate=False),
                   ", ", Eq(e2, Inverse(c1) * u2.T, evaluate=False), ":"),
        steps=(
            Step(untied_loss(d2, e2, s0), lambdas[2], "still a global minimum",
                         using=setting),
            Step(PseudoInverse(d2), e2, "the encoder is the pseudo-inverse", using=setting),
            Step(e2, d2.T, "but not the transpose", relation="!=", using=setting),
        ),
    )


def untied_optimum(*, eigenvectors: Eq = EIGENVECTORS, orthogonal: Eq = ORTHOGONAL,
                   orthogonal_mixing: ImmutableMatrix = ORTHOGONAL_MIXING) -> Claim:
    """Build A2 under ``eigenvectors`` (a rule for ``S U_k``) and ``orthogonal`` (for ``C^{-1}``).

    ``orthogonal_mixing`` is the explicit orthogonal ``C`` of the instance where
    the encoder is the transpose.
    """
    instances, failures = _concrete(orthogonal_mixing)
    return Claim(
        id="A2",
        title="The untied optimum (Baldi and Hornik)",
        statement=prose("For ", S, " positive definite with distinct eigenvalues, the global "
                        "minima of ", untied_loss(D, E), " are ", Eq(D, U_k * C), ", ",
                        Eq(E, Inverse(C) * U_k.T), " with ", C, " invertible, ", U_k, " the top ",
                        k, " eigenvectors; the minimum is the sum of the other ", d - k,
                        " eigenvalues, and every other critical point is a saddle. There ",
                        Eq(E, PseudoInverse(D), evaluate=False), " and ",
                        Eq(D, PseudoInverse(E), evaluate=False), ", but ",
                        Eq(E, D.T, evaluate=False), " only when ", C, " is orthogonal."),
        hypotheses=(
            prose(S, " symmetric positive definite with distinct eigenvalues; ", eigenvectors,
                  ", ", Eq(U_k.T * U_k, Identity(k)), ", ", Lambda_k, " diagonal."),
            prose(C, " invertible (", k, " by ", k, ")."),
        ),
        proof=_generic_parts(eigenvectors, orthogonal),
        instances=instances,
        failures=failures,
        remarks=(prose("That these are all the global minima, and that every other critical "
                       "point is a saddle, is the theorem of Baldi and Hornik; the instances "
                       "check the minimum value and one saddle exactly."),),
        sources=("Baldi and Hornik 1989", "Eckart and Young 1936"),
    )


CLAIM = untied_optimum()
