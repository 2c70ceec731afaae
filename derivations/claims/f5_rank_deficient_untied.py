"""F5: where the decoder loses rank, untied critical encoders need not be ``D^+``.

The gradient of the untied loss in ``E`` is ``2 D^T (D E - I) S``; with ``S``
positive definite it vanishes exactly when ``D^T D E = D^T``. Every
``E = D^+ + (I - D^+ D) Z`` solves this, and when ``D`` has rank below ``k``
the projector ``I - D^+ D`` is not zero, so ``E != D^+`` in general. This
breaks A1's uniqueness and A2's ``E = D^+`` at critical points, both of which
assume full column rank. An exact rank-one decoder with a nonzero ``Z`` gives
a genuine critical point of the untied loss (both gradients vanish) with
``E != D^+``: a saddle (Zhou and Liang 2017 characterise all such points).

>>> rank_deficient_untied().check()
11
"""

from __future__ import annotations

from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    MatrixSymbol,
    Trace,
    Transpose,
    ZeroMatrix,
    diag,
)

from derivations.claims.f4_weight_decay import untied_gradients
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.mathematics.losses import SYMMETRIC, D, E, S, untied_loss
from derivations.notation import PseudoInverse, d, k

__all__ = ["CLAIM", "EIGENBASIS", "critical_encoder", "rank_deficient_untied"]

#: An exactly orthogonal rational basis: the eigenvectors of the instance's ``S``.
EIGENBASIS = ImmutableMatrix([[1, 2, 2], [2, 1, -2], [2, -2, 1]]) / 3
#: The decoder's column mixing: ``D = u_1 a^T``, rank one.
MIXING = ImmutableMatrix([[1, 2]])
#: The free part ``Z`` of the encoder, ``n u_1^T`` with ``n = (1, 1)``.
OFFSET = ImmutableMatrix([1, 1]) * EIGENBASIS[:, 0].T


def critical_encoder(decoder, offset):
    """``D^+ + (I - D^+ D) Z``: a solution of ``D^T D E = D^T`` for every ``Z``.

    >>> critical_encoder(ImmutableMatrix([[1, 0], [0, 0], [0, 0]]), OFFSET)
    Matrix([
    [  1,   0,   0],
    [1/3, 2/3, 2/3]])
    """
    pinv = decoder.pinv()
    size = decoder.shape[1]
    return ImmutableMatrix(pinv + (ImmutableMatrix.eye(size) - pinv * decoder) * offset)


def rank_deficient_untied(*, decoder=None, offset=OFFSET) -> Claim:
    """Build F5 for the exact ``decoder`` (default rank one, ``u_1 (1, 2)``) and ``offset`` ``Z``.

    The hypothesis is that ``decoder`` has rank below its column count; with
    full column rank ``I - D^+ D = 0`` and the check fails.
    """
    if decoder is None:
        decoder = ImmutableMatrix(EIGENBASIS[:, 0] * MIXING)
    decoder = ImmutableMatrix(decoder)
    P = PseudoInverse(D)
    Z = MatrixSymbol("Z", k, d)
    penrose_13 = (Eq(D * P, Transpose(D * P)), Eq(D.T * PseudoInverse(D.T) * D.T, D.T))
    normal = Eq(D.T * D * P, D.T)
    general = Part(
        heading="The critical encoders for any decoder",
        steps=(
            Step(untied_loss(D, E).diff(E), 2 * D.T * (D * E - Identity(d)) * S,
                 prose("matrix calculus on the single trace ", untied_loss(D, E),
                       "; with ", S, " positive definite this vanishes exactly when ",
                       Eq(D.T * D * E, D.T)), using=(SYMMETRIC,)),
            Step(D.T * D * P, D.T,
                 prose("Penrose conditions 3 (", Eq(D * P, Transpose(D * P)),
                       ") and 1, transposed"), using=penrose_13),
            Step(D.T * D * (P + (Identity(k) - P * D) * Z), D.T,
                         prose("so every ", Eq(E, P + (Identity(k) - P * D) * Z),
                               " is a critical encoder, whatever ", Z),
                         using=(normal,)),
        ),
        conclusion=prose("With full column rank ", Eq(P * D, Identity(k)),
                         ", the extra term vanishes and ", Eq(E, P), " (A1, A2). With rank "
                         "below ", k, " the projector ", Identity(k) - P * D,
                         " onto the null space of ", D, " is not zero."),
    )

    eigenvalues = (3, 2, 1)
    S3, D3, E3 = MatrixSymbol("S", 3, 3), MatrixSymbol("D", 3, 2), MatrixSymbol("E", 2, 3)
    data = Eq(S3, ImmutableMatrix(EIGENBASIS * diag(*eigenvalues) * EIGENBASIS.T))
    chosen_decoder = Eq(D3, decoder)
    encoder = Eq(E3, critical_encoder(decoder, offset))
    Zc = MatrixSymbol("Z", 2, 3)
    free = Eq(Zc, ImmutableMatrix(offset))
    rules = (data, chosen_decoder, encoder)
    grad_D, grad_E = untied_gradients(S3, D3, E3, 0)
    P3 = PseudoInverse(D3)
    instance = Part(
        heading="An exact rank-one critical point",
        text=prose("Positive definite data with eigenvalues 3, 2, 1 and rational "
                   "eigenvectors, ", data, "; the rank-one decoder ", chosen_decoder,
                   "; the free part ", free, "; and the encoder ",
                   Eq(E3, P3 + (Identity(2) - P3 * D3) * Zc, evaluate=False), ", that is ",
                   encoder, "."),
        steps=(
            Step((D3.T * D3).det(), 0, prose(D3, " has rank below 2"),
                 using=(chosen_decoder,)),
            Step(D3.T * D3 * E3, D3.T, "the normal equation of the encoder holds",
                 using=rules),
            Step(grad_E, ZeroMatrix(2, 3), "the gradient in the encoder vanishes",
                 using=rules),
            Step(grad_D, ZeroMatrix(3, 2), "so does the gradient in the decoder: a "
                 "critical point of the untied loss", using=rules),
            Step(E3, P3, "yet the encoder is not the pseudo-inverse of the decoder",
                 relation="!=", using=rules),
            Step(Trace(S3 - 2 * D3 * E3 * S3 + D3 * E3 * S3 * E3.T * D3.T), 3,
                 prose("the loss (multiplied out) is ", 3, ", above the minimum ", 1,
                       " of A2: a saddle point"), using=rules),
        ),
    )

    full = Eq(D3, ImmutableMatrix(EIGENBASIS[:, :2]))
    full_rank = Part(
        heading="With full column rank the freedom disappears",
        text=prose("For the full-rank decoder ", full, " the same recipe returns ",
                   P3, " whatever ", Zc, "."),
        steps=(
            Step(P3 * D3, Identity(2), prose(P3, " is a left inverse (P4)"),
                 using=(full,)),
            Step(P3 + (Identity(2) - P3 * D3) * Zc, P3,
                 prose("the free part is projected away"), using=(full, free)),
        ),
    )

    return Claim(
        id="F5",
        title="Rank-deficient untied critical points",
        statement=prose("With ", S, " positive definite, the critical encoders for a "
                        "decoder ", D, " are ", Eq(E, P + (Identity(k) - P * D) * Z),
                        " for any ", Z, ". Where ", D, " has rank below ", k,
                        " these differ from ", P, ": this breaks A1 (uniqueness) and A2 (",
                        Eq(E, P), " at critical points), which assume full column rank."),
        hypotheses=(prose(S, " positive definite; ", D, " of rank below ", k, "."),),
        proof=(general,),
        instances=(instance,),
        failures=(full_rank,),
        sources=("Zhou and Liang 2017",),
    )


CLAIM = rank_deficient_untied()
