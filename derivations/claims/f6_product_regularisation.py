"""F6: penalising the product ``D E`` does not pick the transpose (unlike A6).

Kunin et al. (2019) study three losses of the linear autoencoder: (i) no
regularisation, (ii) a penalty ``mu ||D E||_F^2`` on the composition, (iii) a
penalty ``mu (||D||_F^2 + ||E||_F^2)`` on each factor (F4, A6). For loss (ii),
written as ONE trace, SymPy's matrix calculus gives the gradient in ``E``; it
vanishes at ``E = D^+ S (S + mu I)^{-1}`` for every decoder ``D``. The inverse
exists because ``S = X X^T`` and ``mu > 0`` make ``S + mu I`` positive definite
(a cited fact). The penalised loss depends on ``D`` and ``E`` only through
``D E``, so it is invariant under ``D -> D C^{-1}``, ``E -> C E`` for every
invertible ``C``: unlike the penalty on each factor (A6), it does not *pick*
the transpose. For a general ``D`` the critical encoder is neither the
pseudo-inverse (A1, A2) nor the transpose (A5), as an exact rational instance
shows. It *can* be the transpose: at the optimal decoder
``D = U_k diag(sqrt(lambda_i / (lambda_i + mu)))`` it is exactly ``D^T``
(a second exact instance), so "neither ``D^+`` nor ``D^T``" is not true of
every critical point.

>>> product_regularisation().check()
15
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
    eye,
    sqrt,
    symbols,
)

from derivations.engine import (
    Assume,
    Chain,
    Cite,
    Claim,
    Conclude,
    Define,
    Link,
    Part,
    Step,
    prose,
)
from derivations.mathematics.facts import (
    GRAM_PLUS_SHIFT_POSITIVE_DEFINITE,
    PSEUDO_INVERSE_SATISFIES_PENROSE,
)
from derivations.mathematics.losses import (
    D,
    E,
    S,
    X,
    eigenbasis_3,
    product_penalty_gradient,
    untied_loss_with_product_penalty,
)
from derivations.notation import FrobeniusNorm, Gradient, PseudoInverse, d, k

__all__ = ["CLAIM", "DECODER", "balanced_decoder", "product_regularisation",
           "product_regularised_encoder"]

#: A full-column-rank rational decoder with non-orthogonal columns.
DECODER = ImmutableMatrix([[1, 0], [1, 1], [0, 2]])
#: The penalty's strength (weight-decay letter ``mu``, positive).
mu = symbols("mu", positive=True)
#: The resolvent ``(S + mu I)^{-1}``.
K = Inverse(S + mu * Identity(d))
#: Its name inside the proof.
R = MatrixSymbol("R", d, d)
#: The data are a Gram matrix.
GRAM = Eq(S, X * X.T)
POSITIVE_STRENGTH = Q.positive(mu)
#: ``mu`` of the exact instance.
STRENGTH = Rational(1)
#: Any invertible change of basis of the code, for the invariance ``D -> D C^{-1}, E -> C E``.
C = MatrixSymbol("C", k, k)
INVERTIBLE_C = Q.invertible(C)


def balanced_decoder(eigenbasis, eigenvalues, code_size, strength):
    """``U_k diag(sqrt(lambda_i / (lambda_i + mu)))``: the decoder of an optimum of loss (ii).

    >>> balanced_decoder(ImmutableMatrix(eye(2)), (3, 1), 1, 1)
    Matrix([
    [sqrt(3)/2],
    [        0]])
    """
    scales = [sqrt(Rational(value) / (value + strength)) for value in eigenvalues[:code_size]]
    return ImmutableMatrix(eigenbasis[:, :code_size] * diag(*scales))


def product_regularised_encoder(decoder, covariance, strength):
    """``D^+ S (S + strength I)^{-1}`` for explicit matrices.

    >>> product_regularised_encoder(ImmutableMatrix([[1], [0]]), ImmutableMatrix(diag(3, 1)), 1)
    Matrix([[3/4, 0]])
    """
    size = covariance.shape[0]
    return ImmutableMatrix(decoder.pinv() * covariance
                           * (covariance + strength * eye(size)).inv())


def _instance(strength):
    S3, D3, E3 = MatrixSymbol("S", 3, 3), MatrixSymbol("D", 3, 2), MatrixSymbol("E", 2, 3)
    basis = eigenbasis_3()
    covariance = ImmutableMatrix(basis * diag(3, 2, 1) * basis.T)
    data, decoder = Eq(S3, covariance), Eq(D3, DECODER)
    encoder = Eq(E3, product_regularised_encoder(DECODER, covariance, strength))
    rules = (data, decoder, encoder)
    return Part(
        heading=prose("An exact instance at ", Eq(mu, strength, evaluate=False)),
        text=prose("Positive definite data ", data, ", the full-rank decoder ", decoder,
                   ", and ", Eq(E3, PseudoInverse(D3) * S3 * Inverse(S3 + strength
                                                                   * Identity(3)),
                                evaluate=False), ", that is ", encoder, "."),
        steps=(
            Step(product_penalty_gradient(D3, E3, strength, S3), ZeroMatrix(2, 3),
                 "the gradient vanishes: a critical encoder", using=rules),
            Step(E3, PseudoInverse(D3), "it is not the pseudo-inverse of the decoder",
                 relation="!=", using=rules),
            Step(E3, D3.T, "nor its transpose", relation="!=", using=rules),
        ),
    )


def _transpose_instance(strength):
    S3, D3, E3 = MatrixSymbol("S", 3, 3), MatrixSymbol("D", 3, 2), MatrixSymbol("E", 2, 3)
    basis = eigenbasis_3()
    covariance = ImmutableMatrix(basis * diag(3, 2, 1) * basis.T)
    decoder = balanced_decoder(basis, (3, 2, 1), 2, strength)
    data, chosen = Eq(S3, covariance), Eq(D3, decoder)
    encoder = Eq(E3, product_regularised_encoder(decoder, covariance, strength))
    rules = (data, chosen, encoder)
    lam = symbols("lambda_i", positive=True)
    return Part(
        heading=prose("At the optimum the critical encoder is the transpose (", Eq(
            mu, strength, evaluate=False), ")"),
        text=prose("The same data and the decoder ", chosen, ", the top two eigenvectors "
                   "of ", S3, " scaled by ", sqrt(lam / (lam + mu)), " (the decoder of an "
                   "optimum of the penalised loss; its product ", D3 * D3.T, " shrinks each "
                   "top eigenvalue direction by ", lam / (lam + mu), "). Then ", encoder, "."),
        steps=(
            Step(product_penalty_gradient(D3, E3, strength, S3), ZeroMatrix(2, 3),
                 "the gradient vanishes: a critical encoder", using=rules),
            Step(E3, D3.T, "and it is the transpose of the decoder", using=rules),
            Step(E3, PseudoInverse(D3), "but not its pseudo-inverse (the columns are not unit)",
                 relation="!=", using=rules),
        ),
    )


def product_regularisation(*, gram: Eq = GRAM, positive=POSITIVE_STRENGTH,
                           strength=STRENGTH) -> Claim:
    """Build F6 under ``gram`` (``S = X X^T``) and ``positive`` (``mu > 0``).

    ``strength`` is ``mu`` in the exact instance; at 0 the encoder is the
    pseudo-inverse and the instance fails.
    """
    P = PseudoInverse(D)
    loss = untied_loss_with_product_penalty(D, E, mu)
    in_E = Gradient(loss, E)
    symmetric = Chain(prose(S, " is symmetric"), S.T, (
        Link(S, prose(Eq(S, X * X.T, evaluate=False), " is its own transpose"),
             using=(gram,)),))
    gradient = Chain("The gradient in the encoder", in_E, (
        Link(product_penalty_gradient(D, E, mu),
             prose("SymPy's matrix calculus on the single trace ", loss),
             using=(symmetric.derives,)),))
    shift = Cite(GRAM_PLUS_SHIFT_POSITIVE_DEFINITE, S, X, mu)
    (positive_definite,) = shift.relations
    resolvent = Define(R, K, text=prose("The inverse exists because ",
                                        positive_definite.args[1], "."))
    resolvent_rule = Chain(prose(R, " inverts ", S + mu * Identity(d)), R * S, (
        Link(R * (S + mu * Identity(d)) - mu * R, "add and subtract"),
        Link(Identity(d) - mu * R, prose(R, " is the inverse"), using=(resolvent.definition,)),
    ))
    penrose, penrose_transposed = (Cite(PSEUDO_INVERSE_SATISFIES_PENROSE, D),
                                   Cite(PSEUDO_INVERSE_SATISFIES_PENROSE, D.T))
    normal = Chain(prose("The normal equation ", Eq(D.T * D * E, D.T, evaluate=False),
                         " holds at ", P), D.T * D * P, (
        Link(D.T * Transpose(P) * D.T, "Penrose condition 3",
             using=(Eq(D * P, Transpose(D * P)),)),
        Link(D.T, "Penrose condition 1 for the transpose",
             using=(penrose_transposed.relations[0],)),
    ))
    best = P * S * K
    setting = Eq(E, best)
    zero = Eq(in_E, ZeroMatrix(k, d), evaluate=False)
    critical = Assume(setting, (
        Chain(prose("The gradient at ", setting), in_E, (
            Link(product_penalty_gradient(D, P * S * R, mu), "the gradient at this encoder",
                 using=(symmetric.derives, setting, Eq(K, R))),
            Link(ZeroMatrix(k, d), prose("the normal equation, then ",
                                         resolvent_rule.derives),
                 using=(normal.derives, resolvent_rule.derives)),
        )),), zero, heading=prose("The encoder ", setting, " is critical"))
    stated = setting
    changed = untied_loss_with_product_penalty(D * Inverse(C), C * E, mu)
    invariance = Chain(prose("The penalised loss depends only on ", D * E), changed, (
        Link(untied_loss_with_product_penalty(D, E, mu),
             prose(Eq(D * Inverse(C) * C * E, D * E, evaluate=False), " for an invertible ",
                   C)),))

    return Claim(
        id="F6",
        title="Product regularisation",
        statement=prose("For the untied loss plus ", mu * FrobeniusNorm(D * E) ** 2,
                        " (Kunin et al.'s loss (ii)), with ", gram, " and ", mu, " > 0, the "
                        "encoder ", stated, " is critical for every decoder ", D,
                        ". The loss is invariant under ", D, " to ", D * Inverse(C), ", ",
                        E, " to ", C * E, " for every invertible ", C, ", so unlike A6 the "
                        "penalty does not pick the transpose: for a general ", D, " the "
                        "critical encoder is neither ", P, " nor ", D.T, " (this breaks A1 "
                        "and A2), while at an optimum it can be ", D.T, "."),
        hypotheses=(gram, positive, INVERTIBLE_C),
        conclusions=(Conclude(positive_definite).implication.args[1], critical.derives,
                     invariance.derives),
        idea=prose("The gradient in ", E, " is ", product_penalty_gradient(D, E, mu),
                   ". At ", setting, " the normal equation ",
                   Eq(D.T * D * P, D.T, evaluate=False), " removes ", D.T * D, ", and ",
                   "the resolvent ", K, " (the inverse of ", S + mu * Identity(d),
                   ") collects the rest to zero."),
        generality=prose("The proof is for symbolic sizes ", d, " and ", k, ", every decoder "
                         "and every ", mu, " > 0. For a decoder of full column rank the loss "
                         "is a convex quadratic in ", E, " (its Hessian is ",
                         D.T * D, " times the positive definite ", S + mu * Identity(d),
                         "), so this encoder is the best one; that convexity is stated, not "
                         "checked. The invariance is proved for symbolic sizes. That for a "
                         "general decoder the encoder is neither ", P, " nor ", D.T,
                         " is shown by an exact 3 by 2 instance; that it is ", D.T,
                         " at the optimal decoder, by a second one (with square roots, "
                         "still exact)."),
        proof=(symmetric, gradient, shift, Conclude(positive_definite), resolvent,
               resolvent_rule, penrose, penrose_transposed, normal, critical, invariance),
        instances=(_instance(strength), _transpose_instance(strength)),
        remarks=(prose("Kunin et al. list the losses as (i) unregularised, (ii) the product "
                       "penalty ", mu * FrobeniusNorm(D * E) ** 2, " and (iii) the sum "
                       "penalty ", mu * (FrobeniusNorm(D) ** 2 + FrobeniusNorm(E) ** 2),
                       "; (iii) is F4's untied loss."),),
        sources=("Kunin, Bloom, Goeva and Seed 2019",),
    )


CLAIM = product_regularisation()
