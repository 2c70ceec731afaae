"""A6: with weight decay on both factors, every critical point of the untied loss has ``E = D^T``.

The loss ``tr((I - D E) S (I - D E)^T) + mu (||D||_F^2 + ||E||_F^2)`` with
``S = X X^T`` and ``mu > 0`` (Kunin, Bloom, Goeva and Seed 2019). The untied
model chooses the transpose by itself, without being tied. Proved for symbolic sizes: the gradients give
``D^T grad_D - grad_E E^T = 2 mu (D^T D - E E^T)``, so critical points are
balanced; with balance, ``Y = (E S E^T + mu I) E - E S`` satisfies
``Y (mu I + S + E^T E S) = 0``, an invertible factor, so ``Y = 0``, and
``(E S E^T + mu I)(E - D^T) = Y = 0`` gives ``E = D^T``.

>>> weight_decay_picks_transpose().check()
25
"""

from __future__ import annotations

from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    MatrixSymbol,
    Rational,
    Trace,
    ZeroMatrix,
)

from derivations.engine import (
    Chain,
    Cite,
    Claim,
    Conclude,
    Define,
    Link,
    Part,
    Step,
    matrix_derivative,
    prose,
)
from derivations.mathematics.facts import (
    INVERTIBLE_FACTOR_CANCELS,
    POSITIVE_DEFINITE_INVERTIBLE,
    POSITIVE_DEFINITE_TIMES_SEMIDEFINITE,
    SHIFTED_GRAM_POSITIVE_DEFINITE,
)
from derivations.mathematics.losses import D, E, S, X
from derivations.notation import d, k, mu, n

__all__ = ["CLAIM", "decayed_loss", "weight_decay_picks_transpose"]

#: The covariance is a Gram matrix of the data: symmetric and positive semidefinite.
COVARIANCE = Eq(S, X * X.T, evaluate=False)


def decayed_loss(decoder, encoder, covariance, decay):
    """``tr((I - D E) S (I - D E)^T + decay (D D^T + E^T E))``, one trace around the whole loss."""
    residual = Identity(decoder.rows) - decoder * encoder
    return Trace(residual * covariance * residual.T
                 + decay * (decoder * decoder.T + encoder.T * encoder))


def weight_decay_picks_transpose(*, decay=mu, covariance: Eq = COVARIANCE) -> Claim:
    """Build A6 for the weight-decay strength ``decay`` and the covariance hypothesis."""
    loss = decayed_loss(D, E, S, decay)
    gradient_D, gradient_E = matrix_derivative(loss, D), matrix_derivative(loss, E)
    critical = (Eq(gradient_D, ZeroMatrix(d, k), evaluate=False),
                Eq(gradient_E, ZeroMatrix(k, d), evaluate=False))
    N_D, N_E = MatrixSymbol("N_D", d, k), MatrixSymbol("N_E", k, d)
    names = (Define(N_D, gradient_D, text="The gradient in D, named."),
             Define(N_E, gradient_E, text="The gradient in E, named."))
    name_D, name_E = (name.definition for name in names)
    symmetric = Chain("S is symmetric", S.T, (
        Link(S, "S = X X^T", using=(covariance, Eq(X * X.T, S, evaluate=False))),))
    symmetry = symmetric.derives
    zero_D = Chain("The named gradient in D is zero", N_D, (
        Link(gradient_D, "its definition", using=(name_D,)),
        Link(ZeroMatrix(d, k), "a critical point", using=(critical[0],))))
    zero_E = Chain("The named gradient in E is zero", N_E, (
        Link(gradient_E, "its definition", using=(name_E,)),
        Link(ZeroMatrix(k, d), "a critical point", using=(critical[1],))))
    null_D, null_E = zero_D.derives, zero_E.derives

    two = 2 * decay
    identity = Chain("The gradients' identity", D.T * gradient_D - gradient_E * E.T, (
        Link(two * (D.T * D - E * E.T), "multiply out; the data terms cancel",
             using=(symmetry,)),))
    balance = Chain("Critical points are balanced", D.T * D, (
        Link(E * E.T + (D.T * N_D - N_E * E.T) / two, "the identity",
             using=(name_D, name_E, symmetry)),
        Link(E * E.T, "both gradients vanish", using=(null_D, null_E)),
    ))
    decoder = Chain("The decoder equation, transposed", E * S * E.T * D.T, (
        Link(E * S - decay * D.T + N_D.T / 2, "the gradient in D", using=(name_D, symmetry)),
        Link(E * S - decay * D.T, "it vanishes", using=(null_D,)),
    ))
    encoder = Chain("The encoder equation", D.T * D * E * S, (
        Link(D.T * S - decay * E + N_E / 2, "the gradient in E", using=(name_E, symmetry)),
        Link(D.T * S - decay * E, "it vanishes", using=(null_E,)),
    ))

    shifted = E * S * E.T + decay * Identity(k)
    Y = MatrixSymbol("Y", k, d)
    name_Y = Define(Y, shifted * E - E * S, text=prose(
        "The residual of the candidate ", Eq(E, D.T, evaluate=False), ": ", Y,
        " vanishes exactly when E solves the transposed decoder equation."))
    M = decay * Identity(d) + (Identity(d) + E.T * E) * S
    product = Chain(prose(Y, " times ", M, " is zero"), Y * M, (
        Link(shifted * (decay * E + E * E.T * E * S) - E * S * S, "multiply out",
             using=(name_Y.definition,)),
        Link(shifted * (decay * E + D.T * D * E * S) - E * S * S, "balance",
             using=(Eq(balance.derives.rhs, balance.derives.lhs, evaluate=False),)),
        Link(shifted * D.T * S - E * S * S, "the encoder equation",
             using=(encoder.derives,)),
        Link(ZeroMatrix(k, d), "the decoder equation", using=(decoder.derives,)),
    ))
    invertible = Cite(POSITIVE_DEFINITE_TIMES_SEMIDEFINITE, E, S, X, decay)
    (invertible_rule,) = invertible.relations
    cancel_M = Cite(INVERTIBLE_FACTOR_CANCELS, Y, M, "right")
    (cancel_M_rule,) = cancel_M.relations

    Delta = MatrixSymbol("Delta", k, d)
    name_Delta = Define(Delta, E - D.T)
    shifted_pd = Cite(SHIFTED_GRAM_POSITIVE_DEFINITE, E, S, X, decay)
    (shifted_pd_rule,) = shifted_pd.relations
    shifted_invertible = Cite(POSITIVE_DEFINITE_INVERTIBLE, shifted)
    (shifted_invertible_rule,) = shifted_invertible.relations
    times_delta = Chain(prose(shifted, " times ", Delta, " is ", Y), shifted * Delta, (
        Link(Y, "the transposed decoder equation",
             using=(name_Delta.definition, name_Y.definition, decoder.derives)),
        Link(ZeroMatrix(k, d), prose(Y, " = 0"), using=(cancel_M_rule.args[1],)),
    ))
    cancel_shift = Cite(INVERTIBLE_FACTOR_CANCELS, Delta, shifted, "left")
    (cancel_shift_rule,) = cancel_shift.relations
    transpose = Eq(E, D.T, evaluate=False)
    conclusion = Chain("The encoder is the decoder's transpose", E, (
        Link(D.T + Delta, "the definition of Delta", using=(name_Delta.definition,)),
        Link(D.T, "Delta = 0", using=(cancel_shift_rule.args[1],)),
    ))
    proof = (symmetric, *names, zero_D, zero_E, identity, balance, decoder, encoder, name_Y,
             product, invertible, Conclude(invertible_rule), cancel_M, Conclude(cancel_M_rule),
             name_Delta, shifted_pd, Conclude(shifted_pd_rule), shifted_invertible,
             Conclude(shifted_invertible_rule), times_delta, cancel_shift,
             Conclude(cancel_shift_rule), conclusion)

    D2, E2, S2 = MatrixSymbol("D", 2, 1), MatrixSymbol("E", 1, 2), MatrixSymbol("S", 2, 2)
    half = Rational(1, 2)
    data = Eq(S2, ImmutableMatrix([[4, 0], [0, 1]]))
    decayed_point = (Eq(D2, ImmutableMatrix([[half], [0]])), Eq(E2, ImmutableMatrix([[half, 0]])))
    decayed_gradients = [matrix_derivative(decayed_loss(D2, E2, S2, 3), v) for v in (D2, E2)]
    instance = Part(
        heading="A decayed critical point, mu = 3, S = diag(4, 1)",
        text=prose(*decayed_point, ": singular value ", half, ", with ",
                   Eq(half**2, 1 - Rational(3, 4), evaluate=False), " = 1 - mu/lambda_1 (F4)."),
        steps=tuple(Step(g, ZeroMatrix(*v.shape), "the gradient vanishes",
                         using=(data, *decayed_point)) for g, v in zip(
                             decayed_gradients, (D2, E2), strict=True)))
    plain_point = (Eq(D2, ImmutableMatrix([[2], [0]])), Eq(E2, ImmutableMatrix([[half, 0]])))
    plain_gradients = [matrix_derivative(decayed_loss(D2, E2, S2, 0), v) for v in (D2, E2)]
    failure = Part(
        heading="Without weight decay the transpose is not chosen",
        text=prose("With mu = 0, ", *plain_point, " is a critical point (a global minimum, ",
                   "A2 with C = 2) with E != D^T."),
        steps=(*(Step(g, ZeroMatrix(*v.shape), "the gradient vanishes",
                      using=(data, *plain_point)) for g, v in zip(
                          plain_gradients, (D2, E2), strict=True)),
               Step(E2, D2.T, "E is not the transpose of D", relation="!=",
                    using=plain_point)))
    return Claim(
        id="A6",
        title="Weight decay picks the transpose",
        statement=prose(
            "Let ", covariance, " and ", decay, " > 0. At every critical point of the untied "
            "loss with weight decay, ", loss, ", that is where ", critical[0], " and ",
            critical[1], ", the encoder is the transpose of the decoder: ", transpose, "."),
        hypotheses=(covariance, *critical),
        conclusions=(transpose, balance.derives, identity.derives),
        idea=prose(
            "The two gradients combine to ", identity.derives, ", so a critical point is "
            "balanced, ", balance.derives, ". Balance turns the two critical-point equations "
            "into one linear equation for the residual ", Y, " of the candidate ", transpose,
            ", with an invertible coefficient; so the residual is zero, and an invertible "
            "factor then gives ", transpose, "."),
        generality=prose(
            "For symbolic sizes ", d, ", ", k, ", ", n, " and a symbolic ", decay,
            " > 0; the gradients are SymPy's derivatives of the stated loss. Cited: a "
            "positive definite matrix times a positive semidefinite one has nonnegative "
            "eigenvalues, and a positive shift of ", E * S * E.T,
            " is positive definite. The instances are at d = 2, k = 1."),
        proof=proof,
        instances=(instance,),
        failures=(failure,),
        remarks=(prose("The untied model with weight decay chooses ", transpose, " by itself, "
                       "so in this setting tying the weights loses nothing. It does not make "
                       "the transpose the pseudo-inverse: the squared singular values shrink "
                       "to 1 - mu/lambda_i, below 1 (F4), so E = D^T != D^+. The proof here "
                       "is this package's own route (balance, then one linear equation with "
                       "an invertible coefficient)."),),
        sources=("Kunin, Bloom, Goeva and Seed 2019",),
    )


CLAIM = weight_decay_picks_transpose()
