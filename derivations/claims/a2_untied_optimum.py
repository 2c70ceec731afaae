"""A2 (Baldi and Hornik 1989): the untied optimum ``D = U_k C``, ``E = C^{-1} U_k^T``.

Dimension-generic in ``d`` and ``k``. With the eigen-relations ``S U_k = U_k Lambda_k``
(and its transpose) and ``U_k^T U_k = I`` as rewrite rules, both gradients of the
untied loss (derived by matrix calculus, as in A1) vanish at ``D = U_k C``,
``E = C^{-1} U_k^T`` for every invertible ``C``, and the loss there is
``tr S - tr Lambda_k``, the sum of the other ``d - k`` eigenvalues. That no pair
does better is the Eckart-Young theorem, and that the global minima are exactly
these (every other critical point a saddle) is Baldi and Hornik's theorem: both
are cited, not derived. At every critical point where ``D`` has full column rank,
the normal equations give ``E = (D^T D)^{-1} D^T``, which satisfies the four
Penrose conditions with ``D``; read with the roles swapped they are the same
four equations, so ``E = D^+`` and ``D = E^+``. At the optimum ``E = D^T``
exactly when ``C^{-1} = C^T``. Beside it, exact instances at ``d = 3``,
``k = 2`` with symbolic distinct eigenvalues: an upper-triangular ``C`` with
symbolic entries, a rotation, a saddle on the wrong eigenvectors, and a shear
where ``E = D^+ != D^T``.

>>> CLAIM.check() > 20
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
    symbols,
)
from sympy.logic.boolalg import And

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import (
    Assume,
    Chain,
    Cite,
    Claim,
    Conclude,
    Iff,
    Link,
    Part,
    Step,
    matrix_derivative,
    prose,
)
from derivations.mathematics.facts import (
    BALDI_HORNIK,
    ECKART_YOUNG,
)
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
    gradient,
    untied_gradients,
    untied_loss,
)
from derivations.mathematics.penrose import penrose_conditions
from derivations.mathematics.spectral import (
    EIGENVECTORS,
    EIGENVECTORS_TRANSPOSED,
    ORTHONORMAL_EIGENVECTORS,
    UNTIED_MINIMUM,
)
from derivations.notation import PseudoInverse, d, k

__all__ = ["CLAIM", "INVERTIBLE_MIXING", "ORTHOGONAL_MIXING", "SHEAR", "untied_optimum"]

#: ``C`` mixes the top eigenvectors invertibly.
INVERTIBLE_MIXING = Q.invertible(C)
POSITIVE_DEFINITE = Q.positive_definite(S)
#: An exactly orthogonal rational 2x2 mixing matrix (a rotation).
ORTHOGONAL_MIXING = ImmutableMatrix([[Rational(3, 5), Rational(-4, 5)],
                                     [Rational(4, 5), Rational(3, 5)]])
#: A non-orthogonal invertible mixing matrix (a shear).
SHEAR = ImmutableMatrix([[1, 1], [0, 1]])
TAIL = UNTIED_MINIMUM
DECODER_OPTIMUM, ENCODER_OPTIMUM = U_k * C, Inverse(C) * U_k.T
NORMAL_EQUATIONS = Eq(D.T * D * E * S, D.T * S, evaluate=False)
LEFT_INVERSE = Inverse(D.T * D) * D.T


def gradients(decoder, encoder, covariance):
    """Half the gradients of the untied loss in ``D`` and in ``E`` (for the instances)."""
    size = decoder.shape[0]
    residual = decoder * encoder - Identity(size)
    return residual * covariance * encoder.T, decoder.T * residual * covariance


def _gradient_chains(symmetric):
    loss = untied_loss(D, E)
    grad_d, grad_e = untied_gradients(D, E)
    return tuple(
        Chain(prose("The gradient in ", variable), gradient(loss, variable), (
            Link(matrix_derivative(loss, variable),
                 prose("SymPy's matrix calculus on the single trace")),
            Link(formula, prose("collect with ", symmetric), using=(symmetric,)),
        )) for variable, formula in ((D, grad_d), (E, grad_e)))


def _critical(rules):
    grad_d, grad_e = untied_gradients(D, E)
    at_optimum = {D: DECODER_OPTIMUM, E: ENCODER_OPTIMUM}
    return tuple(
        Chain(prose("The gradient in ", variable, " vanishes at the candidate"),
              formula.subs(at_optimum), (
                  Link(ZeroMatrix(*variable.shape),
                       prose(C, " cancels; the eigen-relations collapse the rest"),
                       using=rules),))
        for variable, formula in ((D, grad_d), (E, grad_e)))


def _value(rules):
    return Chain(prose("The loss at the candidate is the tail of the spectrum"),
                 untied_loss(DECODER_OPTIMUM, ENCODER_OPTIMUM), (
                     Link(TAIL, prose("multiply out; the traces are cyclic"), using=rules),))


def _pseudo_inverses(positive_definite_gram):
    assumption = And(NORMAL_EQUATIONS, positive_definite_gram)
    solve = Chain(prose("Undo both factors of the normal equations"), E, (
        Link(LEFT_INVERSE + Inverse(D.T * D) * (D.T * D * E * S - D.T * S) * Inverse(S),
             prose(D.T * D, " and ", S, " are invertible")),
        Link(LEFT_INVERSE, "the bracket vanishes by the normal equations",
             using=(NORMAL_EQUATIONS,)),
    ))
    conditions = tuple(
        Chain(prose("Penrose condition ", number), condition.lhs,
              (Link(condition.rhs, prose(Inverse(D.T * D), " undoes ", D.T * D),
                    using=(solve.derives,)),))
        for number, condition in enumerate(penrose_conditions(D, E), start=1))
    encoder, _ = by_uniqueness(
        D, E, text=prose("The four conditions make ", E, " the pseudo-inverse of ", D, "."))
    decoder, _ = by_uniqueness(
        E, D, text=prose("Read with the roles swapped, the same four equations make ", D,
                         " the pseudo-inverse of ", E, "."))
    goal = And(Eq(E, PseudoInverse(D), evaluate=False), Eq(D, PseudoInverse(E), evaluate=False))
    return Assume(assumption, (solve, *conditions, *encoder, *decoder), goal,
                  heading=prose("At a critical point with ", D, " of full column rank, ",
                                goal),
                  text=prose("The encoder gradient vanishes exactly where the normal "
                             "equations ", NORMAL_EQUATIONS, " hold."))


def _transpose_iff_orthogonal():
    tied = Eq(ENCODER_OPTIMUM, Transpose(DECODER_OPTIMUM), evaluate=False)
    orthogonal = Eq(Inverse(C), C.T, evaluate=False)
    forward = Assume(tied, (Chain(prose("Multiply by ", U_k, " on the right"), Inverse(C), (
        Link(Inverse(C) * U_k.T * U_k, prose(ORTHONORMAL_EIGENVECTORS),
             using=(ORTHONORMAL_EIGENVECTORS,)),
        Link(Transpose(DECODER_OPTIMUM) * U_k, "the encoder is the transposed decoder",
             using=(tied,)),
        Link(C.T, prose(ORTHONORMAL_EIGENVECTORS), using=(ORTHONORMAL_EIGENVECTORS,)),
    )),), orthogonal)
    backward = Assume(orthogonal, (Chain("Substitute", ENCODER_OPTIMUM, (
        Link(Transpose(DECODER_OPTIMUM), prose(orthogonal), using=(orthogonal,)),)),), tied)
    return Iff(forward, backward, heading=prose("The encoder is the transpose exactly when ",
                                                C, " is orthogonal"))


def _concrete(orthogonal_mixing):
    lambdas, order = eigenvalues_3()
    basis = eigenbasis_3()
    covariance = ImmutableMatrix(basis * diag(*lambdas) * basis.T)
    top = ImmutableMatrix(basis[:, :2])
    s0, u2 = MatrixSymbol("S_0", 3, 3), MatrixSymbol("U_2", 3, 2)
    c0, d0, e0 = MatrixSymbol("C_0", 2, 2), MatrixSymbol("D_0", 3, 2), MatrixSymbol("E_0", 2, 3)
    rotation = (Eq(s0, covariance), Eq(u2, top), Eq(c0, orthogonal_mixing),
                Eq(d0, u2 * c0), Eq(e0, ImmutableMatrix(orthogonal_mixing.inv() * top.T)))
    gradient_d, gradient_e = gradients(d0, e0, s0)
    orthogonal = Part(
        heading=prose("Exact instance: ", Eq(d, 3), ", ", Eq(k, 2), ", an orthogonal ", c0,
                      ": the encoder is the transpose"),
        text=prose("Eigenvalues ", *_listed(lambdas), " (", order[0], ", ", order[1],
                   " with positive gaps), the rational orthogonal eigenbasis ",
                   Eq(MatrixSymbol("U", 3, 3), basis), ", so ", Eq(s0, covariance), " and ",
                   Eq(u2, top), "; the rotation ", Eq(c0, orthogonal_mixing), ", ",
                   Eq(d0, u2 * c0, evaluate=False), " and ", e0, " the exact inverse of ", c0,
                   " times ", u2.T, "."),
        steps=(
            Step(gradient_d, ZeroMatrix(3, 2), "the decoder gradient vanishes", using=rotation),
            Step(gradient_e, ZeroMatrix(2, 3), "the encoder gradient vanishes", using=rotation),
            Step(e0, d0.T, prose(Eq(e0, d0.T, evaluate=False), " exactly"), using=rotation),
            Step(untied_loss(d0, e0, s0), lambdas[2], "the loss is the smallest eigenvalue",
                 using=rotation),
        ),
    )
    return (orthogonal, _saddle(lambdas, order)), (_shear(covariance, top, lambdas),)


def _listed(items):
    parts = []
    for position, item in enumerate(items):
        parts += ([", "] if position else []) + [item]
    return parts


def _saddle(lambdas, order):
    # In the eigenbasis itself (S diagonal) the saddle's algebra stays small.
    covariance, basis = diag(*lambdas), ImmutableMatrix.eye(3)
    s0 = MatrixSymbol("S_e", 3, 3)
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
        text=prose("In the eigenbasis, ", Eq(s0, covariance), ". Keep the first and third "
                   "eigenvectors, ", Eq(d1, skipped), ", with encoder ",
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
               Eq(e2, ImmutableMatrix(SHEAR.inv() * top.T)))
    return Part(
        heading=prose("A non-orthogonal ", c1, ": pseudo-inverse, not transpose"),
        text=prose("With the shear ", Eq(c1, SHEAR), ", ", Eq(d2, u2 * c1, evaluate=False),
                   ", and ", e2, " the inverse of the shear times ", u2.T, ":"),
        steps=(
            Step(untied_loss(d2, e2, s0), lambdas[2], "still a global minimum",
                         using=setting),
            Step(PseudoInverse(d2), e2, "the encoder is the pseudo-inverse", using=setting),
            Step(e2, d2.T, "but not the transpose", relation="!=", using=setting),
        ),
    )


def untied_optimum(*, eigenvectors: Eq = EIGENVECTORS,
                   positive_definite=POSITIVE_DEFINITE,
                   invertible_mixing=INVERTIBLE_MIXING,
                   orthogonal_mixing: ImmutableMatrix = ORTHOGONAL_MIXING) -> Claim:
    """Build A2 under ``eigenvectors`` (a rule for ``S U_k``), ``positive_definite`` (``S``)
    and ``invertible_mixing`` (``C``).

    ``orthogonal_mixing`` is the explicit orthogonal ``C`` of the instance where
    the encoder is the transpose.
    """
    hypotheses = (SYMMETRIC, positive_definite, eigenvectors, EIGENVECTORS_TRANSPOSED,
                  ORTHONORMAL_EIGENVECTORS, invertible_mixing)
    rules = (SYMMETRIC, eigenvectors, EIGENVECTORS_TRANSPOSED, ORTHONORMAL_EIGENVECTORS)
    in_d, in_e = _gradient_chains(SYMMETRIC)
    critical = _critical(rules)
    value = _value(rules)
    bound = Cite(ECKART_YOUNG, D, E)
    characterisation = Cite(BALDI_HORNIK, D, E)
    pseudo_inverses = _pseudo_inverses(Q.positive_definite(D.T * D))
    transpose = _transpose_iff_orthogonal()
    instances, failures = _concrete(orthogonal_mixing)
    return Claim(
        id="A2",
        title="The untied optimum (Baldi and Hornik)",
        statement=prose("For ", S, " positive definite with distinct eigenvalues and ", U_k,
                        " its top ", k, " orthonormal eigenvectors (", eigenvectors, "), "
                        "both gradients of ", untied_loss(D, E), " vanish at ",
                        Eq(D, DECODER_OPTIMUM, evaluate=False), ", ",
                        Eq(E, ENCODER_OPTIMUM, evaluate=False), " for every invertible ", C,
                        ", with loss ", value.derives,
                        ", the sum of the other ", d - k, " eigenvalues, and no pair does "
                        "better (Eckart and Young); these are all the global minima and every "
                        "other critical point is a saddle (Baldi and Hornik, cited). At every "
                        "critical point with ", D, " of full column rank, ",
                        Eq(E, PseudoInverse(D), evaluate=False), " and ",
                        Eq(D, PseudoInverse(E), evaluate=False), "; at the optimum ",
                        Eq(E, D.T, evaluate=False), " exactly when ", C, " is orthogonal."),
        hypotheses=hypotheses,
        conclusions=(in_d.derives, in_e.derives, critical[0].derives, critical[1].derives,
                     value.derives, bound.relations[0].args[1],
                     *characterisation.relations,
                     pseudo_inverses.derives, transpose.derives),
        idea=prose("At the candidate the reconstruction ", D * E, " is the projector ",
                   U_k * U_k.T, " onto the top eigenvectors, whatever ", C,
                   " is; the eigen-relations make both gradients vanish and leave the tail of "
                   "the spectrum as the loss, which Eckart and Young show is the least "
                   "possible. The normal equations of A1 give ", E,
                   " as the left inverse of ", D, ", and the four Penrose conditions are "
                   "symmetric in the two roles."),
        generality=prose("Everything under Proof is for symbolic ", d, " and ", k,
                         ". Cited, not derived: the lower bound (Eckart-Young) and the "
                         "characterisation of the global minima with every other critical "
                         "point a saddle (Baldi-Hornik); the instances at ", Eq(d, 3), ", ",
                         Eq(k, 2), " check the value, one saddle and the shear exactly. The "
                         "eigen-relation is stated together with its transpose (", S, " and ",
                         Lambda_k,
                         " are symmetric): the rewriter applies rules as written and does not "
                         "transpose them."),
        proof=(in_d, in_e, *critical, value, bound, Conclude(bound.relations[0]),
               characterisation, pseudo_inverses, transpose),
        instances=instances,
        failures=failures,
        sources=("Baldi and Hornik 1989", "Eckart and Young 1936"),
    )


CLAIM = untied_optimum()
