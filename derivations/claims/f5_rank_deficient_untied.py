"""F5: where the decoder loses rank, untied critical encoders need not be ``D^+``.

The gradient of the untied loss in ``E`` is ``2 D^T (D E - I) S``. For every
decoder ``D`` and every ``Z``, the encoder ``E = D^+ + (I - D^+ D) Z`` makes it
vanish, because ``D^T D D^+ = D^T`` (Penrose conditions 1 and 3). When ``D`` has
rank below ``k`` the projector ``I - D^+ D`` is not zero, so ``E != D^+`` in
general: this breaks A1's uniqueness and A2's ``E = D^+`` at critical points,
both of which assume full column rank. A critical point whose loss is above
the minimum is a saddle, by the no-spurious-minima theorem (cited, not proved).
An exact rank-one decoder with a nonzero ``Z`` gives a critical point of the
untied loss with ``E != D^+`` and loss 3 above the minimum 1.

>>> rank_deficient_untied().check()
12
"""

from __future__ import annotations

from sympy import (
    And,
    Eq,
    Gt,
    Identity,
    ImmutableMatrix,
    IndexedBase,
    MatrixSymbol,
    Q,
    Sum,
    Transpose,
    ZeroMatrix,
    diag,
    symbols,
)

from derivations.engine import Assume, Chain, Cite, Claim, Conclude, Link, Part, Step, prose
from derivations.mathematics.facts import (
    NO_SPURIOUS_LOCAL_MINIMA,
    PSEUDO_INVERSE_SATISFIES_PENROSE,
)
from derivations.mathematics.losses import (
    SYMMETRIC,
    D,
    E,
    S,
    eigenbasis_3,
    untied_gradients,
    untied_loss,
)
from derivations.notation import DistinctEigenvalues, Gradient, PseudoInverse, SaddlePoint, d, k

__all__ = ["CLAIM", "EIGENBASIS", "OFFSET", "critical_encoder", "rank_deficient_untied"]

#: An exactly orthogonal rational basis: the eigenvectors of the instance's ``S``.
EIGENBASIS = eigenbasis_3()
#: The decoder's column mixing: ``D = u_1 a^T``, rank one.
MIXING = ImmutableMatrix([[1, 2]])
#: The free part ``Z`` of the encoder, ``n u_1^T`` with ``n = (1, 1)``.
OFFSET = ImmutableMatrix([1, 1]) * EIGENBASIS[:, 0].T

#: The free part of a critical encoder (``k x d``).
Z = MatrixSymbol("Z", k, d)
#: The eigenvalues ``lambda_i`` of ``S`` and an index.
eigenvalue = IndexedBase("lambda")
i = symbols("i", integer=True, positive=True)
#: The least value of the untied loss (A2): ``lambda_{k+1} + ... + lambda_d``.
MINIMUM = Sum(eigenvalue[i], (i, k + 1, d))


def critical_encoder(decoder, offset):
    """``D^+ + (I - D^+ D) Z`` for explicit matrices: a critical encoder for every ``Z``.

    >>> critical_encoder(ImmutableMatrix([[1, 0], [0, 0], [0, 0]]), OFFSET)
    Matrix([
    [  1,   0,   0],
    [1/3, 2/3, 2/3]])
    """
    pinv = decoder.pinv()
    size = decoder.shape[1]
    return ImmutableMatrix(pinv + (ImmutableMatrix.eye(size) - pinv * decoder) * offset)


def _instance(decoder, offset):
    eigenvalues = (3, 2, 1)
    S3, D3, E3 = MatrixSymbol("S", 3, 3), MatrixSymbol("D", 3, 2), MatrixSymbol("E", 2, 3)
    data = Eq(S3, ImmutableMatrix(EIGENBASIS * diag(*eigenvalues) * EIGENBASIS.T))
    chosen_decoder = Eq(D3, decoder)
    encoder = Eq(E3, critical_encoder(decoder, offset))
    Zc = MatrixSymbol("Z", 2, 3)
    rules = (data, chosen_decoder, encoder)
    grad_D, grad_E = untied_gradients(D3, E3, S3)
    P3 = PseudoInverse(D3)
    instance = Part(
        heading="An exact rank-one critical point",
        text=prose("Positive definite data with distinct eigenvalues 3, 2, 1 and rational "
                   "eigenvectors, ", data, "; the rank-one decoder ", chosen_decoder,
                   "; the free part ", Eq(Zc, ImmutableMatrix(offset)), "; and the encoder ",
                   Eq(E3, P3 + (Identity(2) - P3 * D3) * Zc, evaluate=False), ", that is ",
                   encoder, "."),
        steps=(
            Step((D3.T * D3).det(), 0, prose(D3, " has rank below 2"), using=(chosen_decoder,)),
            Step(grad_E, ZeroMatrix(2, 3), "the gradient in the encoder vanishes", using=rules),
            Step(grad_D, ZeroMatrix(3, 2), "so does the gradient in the decoder: a "
                 "critical point of the untied loss", using=rules),
            Step(E3, P3, "yet the encoder is not the pseudo-inverse of the decoder",
                 relation="!=", using=rules),
            Step(untied_loss(D3, E3, S3), 3,
                 prose("the loss is ", 3, ", above the minimum ", 1, " of A2: by the "
                       "theorem cited in the proof, a saddle point"), using=rules),
        ),
    )
    full = Eq(D3, ImmutableMatrix(EIGENBASIS[:, :2]))
    full_rank = Part(
        heading="With full column rank the freedom disappears",
        text=prose("For the full-rank decoder ", full, " the same recipe returns ", P3,
                   " whatever ", Zc, "."),
        steps=(
            Step(P3 * D3, Identity(2), prose(P3, " is a left inverse (P4)"), using=(full,)),
            Step(P3 + (Identity(2) - P3 * D3) * Zc, P3, "the free part is projected away",
                 using=(full, Eq(Zc, ImmutableMatrix(offset)))),
        ),
    )
    return instance, full_rank


def rank_deficient_untied(*, symmetric: Eq = SYMMETRIC, decoder=None, offset=OFFSET) -> Claim:
    """Build F5 under the hypothesis ``symmetric`` (``S^T = S``).

    ``decoder`` (default rank one, ``u_1 (1, 2)``) and ``offset`` (``Z``) make
    the exact instance; it needs a decoder of rank below its column count and
    a free part that the projector ``I - D^+ D`` does not remove.
    """
    if decoder is None:
        decoder = ImmutableMatrix(EIGENBASIS[:, 0] * MIXING)
    decoder = ImmutableMatrix(decoder)
    P = PseudoInverse(D)
    critical = P + (Identity(k) - P * D) * Z
    loss = untied_loss(D, E)
    in_E = Gradient(loss, E)
    gradient = Chain("The gradient in the encoder", in_E, (
        Link(untied_gradients(D, E)[1],
             prose("SymPy's matrix calculus on the single trace ", loss, ", with ", symmetric),
             using=(symmetric,)),))
    penrose = Cite(PSEUDO_INVERSE_SATISFIES_PENROSE, D)
    penrose_transposed = Cite(PSEUDO_INVERSE_SATISFIES_PENROSE, D.T,
                              text=prose("The same for ", D.T, ", whose pseudo-inverse is ",
                                         Transpose(P), "."))
    condition_3 = penrose.relations[2]
    condition_1_transposed = penrose_transposed.relations[0]
    normal = Chain(prose("The pseudo-inverse solves the normal equation ",
                         Eq(D.T * D * E, D.T, evaluate=False)), D.T * D * P, (
        Link(D.T * Transpose(P) * D.T, prose("Penrose condition 3: ", condition_3),
             using=(Eq(D * P, Transpose(D * P)),)),
        Link(D.T, "Penrose condition 1 for the transpose", using=(condition_1_transposed,)),
    ))
    setting = Eq(E, critical)
    zero = Eq(in_E, ZeroMatrix(k, d), evaluate=False)
    encoders = Assume(setting, (
        Chain(prose("The gradient at ", setting), in_E, (
            Link(untied_gradients(D, critical)[1], "the gradient, at this encoder",
                 using=(symmetric, setting)),
            Link(ZeroMatrix(k, d), prose("the normal equation: the ", Z, " terms cancel"),
                 using=(normal.derives,)),
        )),), zero, heading=prose("Every ", setting, " is a critical encoder"))

    saddle_premise = And(Q.positive_definite(S), DistinctEigenvalues(S), setting,
                         Eq(Gradient(loss, D), ZeroMatrix(d, k), evaluate=False),
                         Gt(loss, MINIMUM, evaluate=False))
    theorem = Cite(NO_SPURIOUS_LOCAL_MINIMA, loss, D, E, S, MINIMUM)
    (no_spurious,) = theorem.relations
    saddle = Assume(saddle_premise, (Conclude(encoders.derives), Conclude(no_spurious)),
                    SaddlePoint(loss, D, E),
                    heading="Above the minimum, such a critical point is a saddle")

    instance, full_rank = _instance(decoder, offset)
    return Claim(
        id="F5",
        title="Rank-deficient untied critical points",
        statement=prose("For every decoder ", D, " and every ", Z, ", the encoder ", setting,
                        " is critical: ", zero, ". Where ", D, " has rank below ", k,
                        " these encoders can differ from ", P, " (they are ", P, " when ",
                        Eq((Identity(k) - P * D) * Z, ZeroMatrix(k, d), evaluate=False),
                        "; A1 and A2 assume full column "
                        "rank). With ", S, " positive definite with distinct eigenvalues, such "
                        "a critical point whose loss exceeds the minimum ", MINIMUM,
                        " is a saddle point."),
        hypotheses=(symmetric,),
        conclusions=(encoders.derives, saddle.derives),
        idea=prose("The gradient in ", E, " is ", untied_gradients(D, E)[1], ". Penrose "
                   "conditions 1 and 3 give ", Eq(D.T * D * P, D.T, evaluate=False),
                   ", which cancels every term that contains ", Z, ". The projector ",
                   Identity(k) - P * D, " onto the null space of ", D,
                   " is zero only for full column rank."),
        generality=prose("The proof is for symbolic sizes ", d, " and ", k, ", every decoder "
                         "and every ", Z, ". That a critical point above the minimum is a "
                         "saddle is the cited theorem, not proved here. That ", E,
                         " differs from ", P, " at some rank-deficient critical point is an "
                         "existence statement, shown by the exact 3 by 2 instance."),
        proof=(gradient, penrose, penrose_transposed, normal, encoders, theorem, saddle),
        instances=(instance,),
        failures=(full_rank,),
        sources=("Zhou and Liang 2018",),
    )


CLAIM = rank_deficient_untied()
