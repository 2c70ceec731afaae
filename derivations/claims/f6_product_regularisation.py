"""F6: regularising the product ``D E`` gives an encoder that is neither ``D^+`` nor ``D^T``.

For the untied loss plus ``lambda ||D E||_F^2``, written as ONE trace, SymPy's
matrix calculus gives the gradient in ``E``; for ``D`` of full column rank it
vanishes at ``E = D^+ S (S + lambda I)^{-1}`` (the loss is convex in ``E``, so
this is the best encoder). That is neither the pseudo-inverse (A1, A2) nor
the transpose (A5): this breaks A1 and A2. Checked symbolically and on an exact
rational instance where the encoder differs from both.

>>> product_regularisation().check()
7
"""

from __future__ import annotations

from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    Inverse,
    MatrixSymbol,
    Rational,
    Trace,
    Transpose,
    ZeroMatrix,
    diag,
    eye,
    symbols,
)

from derivations.claims.f5_rank_deficient_untied import EIGENBASIS
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.mathematics.losses import (
    SYMMETRIC,
    D,
    E,
    S,
)
from derivations.notation import FrobeniusNorm, PseudoInverse, d

__all__ = ["CLAIM", "DECODER", "product_regularised_encoder", "product_regularisation"]

#: A full-column-rank rational decoder with non-orthogonal columns.
DECODER = ImmutableMatrix([[1, 0], [1, 1], [0, 2]])


def product_regularised_encoder(decoder, covariance, strength):
    """``D^+ S (S + strength I)^{-1}``, exactly.

    >>> product_regularised_encoder(ImmutableMatrix([[1], [0]]), ImmutableMatrix(diag(3, 1)), 1)
    Matrix([[3/4, 0]])
    """
    size = covariance.shape[0]
    return ImmutableMatrix(decoder.pinv() * covariance * (covariance + strength * eye(size)).inv())


def _regularised_loss(decoder, encoder, covariance, strength):
    size = decoder.shape[0]
    residual = Identity(size) - decoder * encoder
    product = decoder * encoder
    # One trace around the whole loss: a sum of traces differentiates to 0 in SymPy 1.14.
    return Trace(residual * covariance * residual.T + strength * product * Transpose(product))


#: The regularisation strength ``lambda`` of the exact instance.
STRENGTH = Rational(1)


def product_regularisation(*, strength=STRENGTH) -> Claim:
    """Build F6; ``strength`` is ``lambda`` in the exact instance (hypothesis: positive)."""
    lam = symbols("lambda", positive=True)
    K = MatrixSymbol("K", d, d)
    P = PseudoInverse(D)
    loss = _regularised_loss(D, E, S, lam)
    gradient = 2 * lam * D.T * D * E + 2 * D.T * (D * E - Identity(d)) * S
    resolvent = Eq(K, Inverse(S + lam * Identity(d)))
    resolvent_rule = Eq(K * S, Identity(d) - lam * K)
    normal = Eq(D.T * D * P, D.T)
    candidate = Eq(E, P * S * K)
    general = Part(
        heading="The critical encoder from one trace",
        text=prose("The regularised loss is ", loss, ". Write ", resolvent, "."),
        steps=(
            Step(loss.diff(E), gradient,
                 prose("SymPy's matrix calculus on the single trace, with ", SYMMETRIC),
                 using=(SYMMETRIC,)),
            Step(K * (S + lam * Identity(d)), Identity(d), prose(K, " inverts ",
                                                                  S + lam * Identity(d)),
                 using=(resolvent,)),
            Step(K * (S + lam * Identity(d)), K * S + lam * K,
                         prose("multiplied out: so ", resolvent_rule)),
            Step(gradient, ZeroMatrix(*E.shape),
                         prose("the gradient vanishes at ", candidate, ", using ", normal,
                               " (Penrose conditions 1 and 3, see F5) and ", resolvent_rule),
                         using=(candidate, normal, resolvent_rule)),
        ),
        conclusion=prose("The loss is a convex quadratic in ", E, ", so for full column "
                         "rank ", candidate, " is the best encoder. It is ", P, " only at ",
                         Eq(lam, 0, evaluate=False), "."),
    )

    S3, D3, E3 = MatrixSymbol("S", 3, 3), MatrixSymbol("D", 3, 2), MatrixSymbol("E", 2, 3)
    covariance = ImmutableMatrix(EIGENBASIS * diag(3, 2, 1) * EIGENBASIS.T)
    data, decoder = Eq(S3, covariance), Eq(D3, DECODER)
    encoder = Eq(E3, product_regularised_encoder(DECODER, covariance, strength))
    rules = (data, decoder, encoder)
    instance_gradient = (2 * strength * D3.T * D3 * E3 + 2 * D3.T * D3 * E3 * S3
                         - 2 * D3.T * S3)
    instance = Part(
        heading=prose("An exact instance at ", Eq(lam, strength)),
        text=prose("Positive definite data ", data, ", the full-rank decoder ", decoder,
                   ", and ", Eq(E3, PseudoInverse(D3) * S3 * Inverse(S3 + strength *
                                                                   Identity(3)),
                                evaluate=False), ", that is ", encoder, "."),
        steps=(
            Step(instance_gradient, ZeroMatrix(2, 3),
                 "the gradient (multiplied out) vanishes: the best encoder", using=rules),
            Step(E3, PseudoInverse(D3), "it is not the pseudo-inverse of the decoder",
                 relation="!=", using=rules),
            Step(E3, D3.T, "nor its transpose", relation="!=", using=rules),
        ),
    )

    return Claim(
        id="F6",
        title="Product regularisation",
        statement=prose("For the untied loss plus ", lam * FrobeniusNorm(D * E) ** 2,
                        " and ", D, " of full column rank, the critical encoder is ",
                        Eq(E, P * S * Inverse(S + lam * Identity(d)), evaluate=False),
                        ", neither ", P, " nor ", D.T, ". This breaks A1 and A2."),
        hypotheses=(prose(D, " of full column rank, ", S, " symmetric positive definite, ",
                          lam, " positive; the exact instance uses ", Eq(lam, strength),
                          "."),),
        proof=(general,),
        instances=(instance,),
    )


CLAIM = product_regularisation()
