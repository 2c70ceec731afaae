"""D5: the asker's proposal, layer by layer: ``W_1^+ W_2^+`` is not ``E^+`` in general.

For ``N > 2`` the asker's decoder ``W_{N-L+1} = W_L^+`` is ``W_1^+ W_2^+ ... W_m^+``.
With encoder layers of full row rank (``W_L W_L^+ = I``), it is a right inverse of
the end-to-end encoder ``E = W_m ... W_1``, so ``P = W_1^+ ... W_m^+ E`` is
idempotent: a projector (proved for symbolic sizes at depth 2; a deeper stack
is the same argument with one more cancellation per layer). But it need not be
symmetric, and then it is an *oblique* projector and the decoder is not
``E^+`` (whose projector ``E^+ E`` is orthogonal). The exact instances: one
``E = [1, 1, 0]`` factored two ways, ``W_1 = [[1, 0, 0], [0, 1, 0]]``,
``W_2 = [1, 1]`` (layer-wise decoder ``E^+``) and, after ``W_1 -> C W_1``,
``W_2 -> W_2 C^{-1}`` with ``C = diag(3, 1)``, a layer-wise decoder
``[1/10, 9/10, 0]^T`` that is not ``E^+``, with a non-symmetric ``P`` and a loss
``59/10`` instead of ``7/2`` on ``S = diag(3, 2, 1)``: the loss depends on how ``E``
is factored. The transpose composes, ``(W_2 W_1)^T = W_1^T W_2^T`` (D1), whatever
the factorisation. Equality holds when every layer has orthonormal rows.

>>> layerwise_pseudo_inverse().check()
14
"""

from __future__ import annotations

from sympy import Eq, Identity, ImmutableMatrix, MatMul, MatrixSymbol, Rational, diag

from derivations.engine import Chain, Claim, Link, Part, Step, prose
from derivations.mathematics.deep import W_1, W_2
from derivations.mathematics.losses import untied_loss
from derivations.notation import PseudoInverse, d, h, k

__all__ = ["CLAIM", "COVARIANCE", "layerwise_pseudo_inverse", "layerwise_decoder"]

#: Full row rank layers: ``W_1 W_1^+ = I_h`` and ``W_2 W_2^+ = I_k``.
RIGHT_INVERSE_1 = Eq(W_1 * PseudoInverse(W_1), Identity(h))
RIGHT_INVERSE_2 = Eq(W_2 * PseudoInverse(W_2), Identity(k))

#: The data of the exact instances, and one end-to-end encoder factored two ways.
COVARIANCE = ImmutableMatrix(diag(3, 2, 1))
FIRST_1 = ImmutableMatrix([[1, 0, 0], [0, 1, 0]])
FIRST_2 = ImmutableMatrix([[1, 1]])
CHANGE = ImmutableMatrix(diag(3, 1))
SECOND_1 = ImmutableMatrix(CHANGE * FIRST_1)
SECOND_2 = ImmutableMatrix(FIRST_2 * CHANGE.inv())
#: Layers with orthonormal rows: there the layer-wise decoder is ``E^T = E^+``.
ORTHONORMAL_1 = ImmutableMatrix([[1, 0, 0], [0, 1, 0]])
ORTHONORMAL_2 = ImmutableMatrix([[1, 0]])

S3 = MatrixSymbol("S", 3, 3)
A1, A2 = MatrixSymbol("W_1", 2, 3), MatrixSymbol("W_2", 1, 2)
D3 = MatrixSymbol("D", 3, 1)
E3 = MatrixSymbol("E", 1, 3)


def layerwise_decoder(layers):
    """``W_1^+ W_2^+ ... W_m^+`` for explicit layers ``(W_1, ..., W_m)``.

    >>> layerwise_decoder((SECOND_1, SECOND_2)).T
    Matrix([[1/10, 9/10, 0]])
    """
    decoder = layers[0].pinv()
    for layer in layers[1:]:
        decoder = decoder * layer.pinv()
    return ImmutableMatrix(decoder)


def _two_ways(covariance, second_1, second_2) -> tuple[Part, Part]:
    data = Eq(S3, covariance)
    first = (data, Eq(A1, FIRST_1), Eq(A2, FIRST_2))
    second = (data, Eq(A1, second_1), Eq(A2, second_2))
    E = A2 * A1
    decoder = PseudoInverse(A1) * PseudoInverse(A2)
    projector = decoder * E
    one = Part(
        heading="One factorisation: layer by layer is the pseudo-inverse",
        text=prose("With ", first[1], " and ", first[2], " (so ", Eq(E3, FIRST_2 * FIRST_1),
                   ") and ", data, ":"),
        steps=(
            Step(decoder, PseudoInverse(E), "the layer-wise decoder is the pseudo-inverse of E",
                 using=first),
            Step(untied_loss(decoder, E, S3), Rational(7, 2),
                 "its loss is that of the pseudo-inverse decoder", using=first),
        ))
    other = Part(
        heading=prose("The same encoder refactored: ", A1, " to ", CHANGE * A1, ", ", A2,
                      " to ", A2 * CHANGE.inv()),
        text=prose("With ", second[1], " and ", second[2], ": the same ", E3, ", but ",
                   Eq(MatrixSymbol("D_lw", 3, 1), layerwise_decoder((second_1, second_2)),
                      evaluate=False), "."),
        steps=(
            Step(E, FIRST_2 * FIRST_1, "the end-to-end encoder is unchanged", using=second),
            Step(decoder, PseudoInverse(E), "the layer-wise decoder is not the pseudo-inverse",
                 relation="!=", using=second),
            Step(PseudoInverse(E), decoder, "so the reverse-order law fails here",
                 relation="!=", using=second),
            Step(E * decoder, Identity(1), "it is still a right inverse of E", using=second),
            Step(projector * projector, projector, "so its projector is idempotent",
                 using=second),
            Step(projector.T, projector, "but not symmetric: an oblique projector",
                 relation="!=", using=second),
            Step(untied_loss(decoder, E, S3), Rational(59, 10),
                 "and the loss changes with the factorisation (7/2 before)", using=second),
        ))
    return one, other


def _orthonormal_rows() -> Part:
    layers = (Eq(A1, ORTHONORMAL_1), Eq(A2, ORTHONORMAL_2))
    E = A2 * A1
    decoder = PseudoInverse(A1) * PseudoInverse(A2)
    return Part(
        heading="Layers with orthonormal rows: layer by layer, transpose and E^+ agree",
        text=prose("With ", layers[0], " and ", layers[1], ":"),
        steps=(
            Step(decoder, E.T, "the layer-wise decoder is the transpose of E", using=layers),
            Step(E.T, PseudoInverse(E), "which is its pseudo-inverse", using=layers),
        ))


def layerwise_pseudo_inverse(*, right_1: Eq = RIGHT_INVERSE_1, right_2: Eq = RIGHT_INVERSE_2,
                             covariance=COVARIANCE, second_1=SECOND_1,
                             second_2=SECOND_2) -> Claim:
    """Build D5 under full row rank layers (``right_1``, ``right_2``) and its instances.

    ``second_1``, ``second_2`` refactor the instance's encoder; a refactoring by an
    orthogonal matrix keeps the layer-wise decoder, and the instance's ``!=`` fails.
    """
    E = W_2 * W_1
    decoder = PseudoInverse(W_1) * PseudoInverse(W_2)
    right = Chain("The layer-wise decoder is a right inverse of E", E * decoder, (
        Link(W_2 * PseudoInverse(W_2), prose(right_1), using=(right_1,)),
        Link(Identity(k), prose(right_2), using=(right_2,)),
    ))
    projector = decoder * E
    # Written out factor by factor: SymPy would fold P P into a power of P.
    squared = MatMul(PseudoInverse(W_1), PseudoInverse(W_2), W_2, W_1, PseudoInverse(W_1),
                     PseudoInverse(W_2), W_2, W_1, evaluate=False)
    idempotent = Chain("So its projector is idempotent", squared, (
        Link(projector, prose("the middle factor ", right.derives), using=(right.derives,)),))
    one, other = _two_ways(covariance, second_1, second_2)
    return Claim(
        id="D5",
        title="The asker's proposal, layer by layer: not the pseudo-inverse of E",
        statement=prose(
            "For encoder layers of full row rank, ", right_1, " and ", right_2, ", the "
            "asker's layer-wise decoder ", decoder, " is a right inverse of the end-to-end "
            "encoder: ", right.derives, ", so ", Eq(MatrixSymbol("P", d, d), projector,
                                                    evaluate=False),
            " is idempotent, ", idempotent.derives, ". It need not be symmetric, and then "
            "it is an oblique projector and the decoder is not ", PseudoInverse(E),
            "; it depends on how ", E, " is factored, and so does the loss (exact instance). "
            "The transpose composes for every factorisation (D1)."),
        hypotheses=(right_1, right_2),
        conclusions=(right.derives, idempotent.derives),
        idea=prose("Each layer cancels against its own pseudo-inverse from the inside out, "
                   "so ", decoder, " undoes ", E, " from the right; nothing makes ",
                   projector, " symmetric, and the pseudo-inverse of a product is not the "
                   "product of the pseudo-inverses in reverse order in general. Refactoring ",
                   E, " changes the layers, hence their pseudo-inverses, but not ", E, "."),
        generality=prose(
            "The right inverse and the idempotence are proved for symbolic sizes ", d, ", ",
            h, ", ", k, " at depth 2; a deeper stack cancels one more layer per step. That "
            "the layer-wise decoder is not the pseudo-inverse, that its projector is "
            "oblique and that the loss depends on the factorisation are existence "
            "statements, shown by exact instances at d = 3, h = 2, k = 1. The property "
            "tests measure them on random deep networks and check the exact relation: the "
            "layer-wise decoder equals ", PseudoInverse(E), " exactly when ", projector,
            " is symmetric."),
        proof=(right, idempotent),
        instances=(one, other, _orthonormal_rows()),
        remarks=(prose("In the network the layer-wise decoder would be trained or read off "
                       "layer by layer, so nothing fixes the factorisation: the instance "
                       "shows the same end-to-end encoder decoded with two different losses. "
                       "With the transpose, ", Eq(E.T, W_1.T * W_2.T, evaluate=False),
                       " for every factorisation, and the network is a tied autoencoder in ",
                       E, " (D1)."),),
    )


CLAIM = layerwise_pseudo_inverse()
