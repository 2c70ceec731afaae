"""D2: a global minimum of a two-layer tied network whose first layer is not a partial isometry.

An existence claim: at an optimum the layers *need not be* partial isometries.
It is proved by its witness in exact rational arithmetic:
``S = diag(3, 2, 1)``, ``W_1 = [[2, 0, 0], [0, 1, 0]]``, ``W_2 = [1/2, 0]``.
The end-to-end encoder ``E = W_2 W_1 = [1, 0, 0]`` is a global minimum (loss 3,
the Eckart-Young bound for ``k = 1``), the gradient in every layer is exactly 0,
and yet ``W_1`` has singular values 2 and 1, so ``W_1^T != W_1^+``.

It is not a universal statement about unbalanced optima: the exact instance
``W_1 = [[1, 0, 0], [0, 1, 0]]``, ``W_2 = [1, 0]`` (same ``S``) is unbalanced
(``W_2^T W_2 = diag(1, 0)`` but ``W_1 W_1^T = I_2``), optimal, and both layers
are partial isometries. So "from an unbalanced start the optimum is reached
with layers that are not partial isometries" is false as a universal.

>>> not_layer_by_layer().check()
14
"""

from __future__ import annotations

from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    MatrixSymbol,
    Ne,
    Rational,
    ZeroMatrix,
    diag,
)

from derivations.engine import Cite, Claim, Part, Step, prose
from derivations.mathematics.deep import deep_tied_loss, end_to_end_encoder, layer_gradients
from derivations.mathematics.facts import ECKART_YOUNG_FOR_EXPLICIT_DATA
from derivations.notation import PseudoInverse

__all__ = ["CLAIM", "COVARIANCE", "ISOMETRIC_LAYER_1", "ISOMETRIC_LAYER_2", "LAYER_1", "LAYER_2",
           "isometric_unbalanced_optimum", "not_layer_by_layer"]

#: The witness: the data covariance and the two encoder layers, exact and rational.
COVARIANCE = ImmutableMatrix(diag(3, 2, 1))
LAYER_1 = ImmutableMatrix([[2, 0, 0], [0, 1, 0]])
LAYER_2 = ImmutableMatrix([[Rational(1, 2), 0]])
#: An unbalanced optimum whose layers are both partial isometries (same covariance).
ISOMETRIC_LAYER_1 = ImmutableMatrix([[1, 0, 0], [0, 1, 0]])
ISOMETRIC_LAYER_2 = ImmutableMatrix([[1, 0]])

S3 = MatrixSymbol("S", 3, 3)
W1 = MatrixSymbol("W_1", 2, 3)
W2 = MatrixSymbol("W_2", 1, 2)
#: Any decoder and encoder with one code unit, for the lower bound.
D_any = MatrixSymbol("D", 3, 1)
E_any = MatrixSymbol("E", 1, 3)


def isometric_unbalanced_optimum(*, covariance=COVARIANCE, layer_1=ISOMETRIC_LAYER_1,
                                 layer_2=ISOMETRIC_LAYER_2) -> Part:
    """An exact instance: unbalanced, optimal, and both layers partial isometries.

    It shows that D2 is an existence statement ("need not be"): imbalance alone
    does not make a layer fail to be a partial isometry at the optimum.
    """
    witness = (Eq(S3, covariance), Eq(W1, layer_1), Eq(W2, layer_2))
    layers = (W1, W2)
    gradient_1, gradient_2 = layer_gradients(layers, S3)
    return Part(
        heading="An unbalanced optimum whose layers are partial isometries",
        text=prose("With ", witness[0], ", ", witness[1], " and ", witness[2],
                   ": the layers are not balanced, the network is optimal, and yet every "
                   "layer is a partial isometry. Imbalance allows layers that are not "
                   "partial isometries at the optimum; it does not force them."),
        steps=(
            Step(gradient_1, ZeroMatrix(2, 3), "the gradient in W_1 vanishes", using=witness),
            Step(gradient_2, ZeroMatrix(1, 2), "the gradient in W_2 vanishes", using=witness),
            Step(deep_tied_loss(layers, S3), 3, "the loss is lambda_2 + lambda_3, the optimum",
                 using=witness),
            Step(W2.T * W2, W1 * W1.T, "the layers are not balanced", relation="!=",
                 using=witness),
            Step(W1 * W1.T * W1, W1, "W_1 is a partial isometry", using=witness),
            Step(W2 * W2.T * W2, W2, "so is W_2", using=witness),
            Step(PseudoInverse(W1), W1.T, "so each layer's transpose is its pseudo-inverse",
                 using=witness),
        ))


def not_layer_by_layer(*, covariance=COVARIANCE, layer_1=LAYER_1, layer_2=LAYER_2) -> Claim:
    """Build D2 for a witness ``(S, W_1, W_2)``; every relation is checked exactly."""
    witness = (Eq(S3, covariance), Eq(W1, layer_1), Eq(W2, layer_2))
    layers = (W1, W2)
    gradient_1, gradient_2 = layer_gradients(layers, S3)
    loss = deep_tied_loss(layers, S3)
    optimum = 3
    E = end_to_end_encoder(layers)
    zero_1 = Eq(gradient_1, ZeroMatrix(2, 3), evaluate=False)
    zero_2 = Eq(gradient_2, ZeroMatrix(1, 2), evaluate=False)
    at_optimum = Eq(loss, optimum, evaluate=False)
    bound = Cite(ECKART_YOUNG_FOR_EXPLICIT_DATA, D_any, E_any, covariance,
                 text="Every decoder and encoder with one code unit has loss at least "
                      "lambda_2 + lambda_3 = 3.")
    (lower_bound,) = bound.relations
    not_isometry = Ne(W1 * W1.T * W1, W1, evaluate=False)
    not_pinv = Ne(PseudoInverse(W1), W1.T, evaluate=False)
    evaluation = Part(
        heading="The witness, evaluated exactly",
        text=prose("SymPy's matrix derivative of the loss in each layer (each layer occurs in "
                   "the encoder and, transposed, in the decoder), evaluated at the witness."),
        steps=(
            Step(gradient_1, ZeroMatrix(2, 3), "the gradient in W_1 vanishes", using=witness),
            Step(gradient_2, ZeroMatrix(1, 2), "the gradient in W_2 vanishes", using=witness),
            Step(loss, optimum, "the loss is lambda_2 + lambda_3", using=witness),
            Step(E * E.T, Identity(1), "the end-to-end encoder has an orthonormal row",
                 using=witness),
            Step(W1 * W1.T, ImmutableMatrix(diag(4, 1)), "W_1 has singular values 2 and 1",
                 using=witness),
            Step(W1 * W1.T * W1, W1, "so W_1 is not a partial isometry", relation="!=",
                 using=witness),
            Step(PseudoInverse(W1), W1.T, "and its transpose is not its pseudo-inverse",
                 relation="!=", using=witness),
        ))
    return Claim(
        id="D2",
        title="But not layer by layer",
        statement=prose(
            "At a global minimum of a two-layer tied linear autoencoder a layer need not be "
            "a partial isometry: with ", witness[0], ", ", witness[1], ", ",
            witness[2], ", every layer gradient is exactly 0, the loss equals the Eckart-Young "
            "bound 3 that no decoder and encoder with one code unit can beat, and ",
            not_isometry, ", so ", not_pinv, "."),
        hypotheses=witness,
        conclusions=(zero_1, zero_2, at_optimum, lower_bound, not_isometry, not_pinv),
        idea=prose(
            "Only the product ", E, " enters the loss, so any factorisation of an optimal ",
            E, " is optimal. Stretching the first layer by 2 along one direction and "
            "shrinking the second by 1/2 along the same direction leaves ", E,
            " unchanged, but the first layer's singular values are no longer 1."),
        generality=prose(
            "An existence claim at fixed sizes (d = 3, hidden width 2, k = 1): the witness "
            "itself is the proof, checked in exact rational arithmetic with no tolerance. The "
            "lower bound is Eckart-Young, cited for this explicit ", S3, " and for every ",
            D_any, ", ", E_any, "."),
        proof=(evaluation, bound),
        instances=(isometric_unbalanced_optimum(covariance=covariance),),
        remarks=(prose("The layers are not balanced: ", W2.T * W2, " = diag(1/4, 0) but ",
                       W1 * W1.T, " = diag(4, 1). D3 and D4 show that balance is what makes "
                       "each layer a partial isometry. The converse fails: the exact instance "
                       "below is unbalanced too, and its layers are partial isometries. D2 "
                       "says an unbalanced optimum's layers need not be partial isometries, "
                       "not that they are not."),),
        sources=("Eckart and Young 1936",),
    )


CLAIM = not_layer_by_layer()
