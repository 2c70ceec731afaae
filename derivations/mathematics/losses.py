"""The losses of the linear autoencoder and their gradients, written once.

Symbols of the data and the weights, the tied and untied losses, their
gradients (the tied one is claim A3; the untied ones follow the same way),
and an exact eigenbasis for the instances.

The losses keep ONE ``Trace`` around the whole expression: SymPy 1.14
differentiates a sum of traces to zero without warning (upstream issue 27406),
so ``tr(S) - 2 tr(W^T S W) + ...`` must never be what gets differentiated.

>>> untied_loss(D, E).diff(E)
D.T*(-I + D*E)*S + D.T*(-I + D*E)*S.T
"""

from __future__ import annotations

from sympy import Eq, Identity, ImmutableMatrix, MatrixSymbol, Rational, Trace, symbols
from sympy.tensor.array.array_derivatives import ArrayDerivative

from derivations.notation import d, k, n

__all__ = [
    "C",
    "D",
    "E",
    "Lambda_k",
    "S",
    "SYMMETRIC",
    "U_k",
    "X",
    "eigenbasis_3",
    "eigenvalues_3",
    "gradient",
    "gradient_step",
    "product_penalty_gradient",
    "tied_loss_with_decay",
    "untied_loss_with_decay",
    "untied_loss_with_product_penalty",
    "tied_gradient",
    "tied_loss",
    "untied_gradients",
    "untied_loss",
]

#: Data covariance ``S = X X^T`` (``d x d``), the data ``X`` (``d x n``).
S = MatrixSymbol("S", d, d)
X = MatrixSymbol("X", d, n)
#: Untied decoder and encoder.
D = MatrixSymbol("D", d, k)
E = MatrixSymbol("E", k, d)
#: Top-``k`` eigenvectors of ``S`` and their eigenvalues (diagonal).
U_k = MatrixSymbol("U_k", d, k)
Lambda_k = MatrixSymbol("Lambda_k", k, k)
#: The invertible mixing matrix of the untied optima.
C = MatrixSymbol("C", k, k)

#: ``S`` is symmetric (it is ``X X^T``).
SYMMETRIC = Eq(S.T, S)


def untied_loss(decoder, encoder, covariance=S):
    """``tr((I - D E) S (I - D E)^T)`` as one trace."""
    size = decoder.shape[0]
    residual = Identity(size) - decoder * encoder
    return Trace(residual * covariance * residual.T)


def tied_loss(weights, covariance=S):
    """``tr((I - W W^T) S (I - W W^T))`` as one trace."""
    size = weights.shape[0]
    residual = Identity(size) - weights * weights.T
    return Trace(residual * covariance * residual)


def eigenvalues_3():
    """Eigenvalues ``lambda_1, lambda_2, lambda_3`` (positive) and their order as rules.

    Distinct and ordered, ``lambda_1 > lambda_2 > lambda_3 > 0``, written as
    ``lambda_2 = lambda_3 + delta_2``, ``lambda_1 = lambda_2 + delta_1`` with
    positive gaps so that SymPy's assumptions can decide signs.

    >>> eigenvalues, order = eigenvalues_3()
    >>> eigenvalues
    (lambda_1, lambda_2, lambda_3)
    """
    lambdas = symbols("lambda_1 lambda_2 lambda_3", positive=True)
    gaps = symbols("delta_1 delta_2", positive=True)
    order = (Eq(lambdas[0], lambdas[1] + gaps[0]), Eq(lambdas[1], lambdas[2] + gaps[1]))
    return lambdas, order


def eigenbasis_3():
    """An exactly orthogonal rational ``3 x 3`` matrix (symmetric, a reflection).

    >>> Q = eigenbasis_3()
    >>> Q * Q.T == ImmutableMatrix.eye(3)
    True
    """
    return ImmutableMatrix([[1, 2, 2], [2, 1, -2], [2, -2, 1]]) * Rational(1, 3)


def tied_gradient(weights, covariance=S):
    """The gradient of the tied loss (A3): ``-4 S W + 2 S W W^T W + 2 W W^T S W``.

    >>> tied_gradient(MatrixSymbol("W", d, k))
    -4*S*W + 2*S*W*W.T*W + 2*W*W.T*S*W
    """
    W = weights
    return -4 * covariance * W + 2 * covariance * W * W.T * W + 2 * W * W.T * covariance * W


def untied_gradients(decoder, encoder, covariance=S, decay=0):
    """The gradients in ``D`` and ``E`` of ``L(D, E) + decay (||D||_F^2 + ||E||_F^2)``.

    ``L(D, E) = tr((I - D E) S (I - D E)^T)`` with ``S`` symmetric, multiplied
    out so that no identity matrix meets an explicit one.

    >>> grad_D, grad_E = untied_gradients(D, E)
    >>> grad_E
    2*D.T*D*E*S - 2*D.T*S
    """
    D_, E_, S_ = decoder, encoder, covariance
    grad_D = -2 * S_ * E_.T + 2 * D_ * E_ * S_ * E_.T + 2 * decay * D_
    grad_E = -2 * D_.T * S_ + 2 * D_.T * D_ * E_ * S_ + 2 * decay * E_
    return grad_D, grad_E


# Losses and gradients added for each family go below, one block per family, so that the
# families can grow without touching each other's lines.

# --- A: the linear autoencoder ---------------------------------------------------------


def gradient(loss, variable):
    """The unevaluated gradient ``d loss / d variable``, a matrix of ``variable``'s shape.

    ``doit()`` applies SymPy's matrix calculus; keep ONE trace around ``loss``.

    >>> from derivations.notation import W
    >>> gradient(tied_loss(W), W).shape == W.shape
    True
    """
    return ArrayDerivative(loss, variable, evaluate=False)

# --- F: where W^T = W^+ fails ----------------------------------------------------------


def tied_loss_with_decay(weights, decay, covariance=S):
    """``tr((I - W W^T) S (I - W W^T)) + decay ||W||_F^2`` as ONE trace (F4).

    ``||W||_F^2 = tr(W W^T)`` goes inside the trace of the loss.

    >>> from sympy import symbols
    >>> mu = symbols("mu", positive=True)
    >>> tied_loss_with_decay(MatrixSymbol("W", d, k), mu)
    Trace(mu*W*W.T + (I - W*W.T)*S*(I - W*W.T))
    """
    size = weights.shape[0]
    residual = Identity(size) - weights * weights.T
    return Trace(residual * covariance * residual + decay * weights * weights.T)


def untied_loss_with_decay(decoder, encoder, decay, covariance=S):
    """``L(D, E) + decay (||D||_F^2 + ||E||_F^2)`` as ONE ``d x d`` trace (A6, F4).

    >>> from sympy import symbols
    >>> untied_loss_with_decay(D, E, symbols("mu")).diff(E)
    (2*mu)*E + D.T*(-I + D*E)*S + D.T*(-I + D*E)*S.T
    """
    size = decoder.shape[0]
    residual = Identity(size) - decoder * encoder
    return Trace(residual * covariance * residual.T
                 + decay * (decoder * decoder.T + encoder.T * encoder))


def untied_loss_with_product_penalty(decoder, encoder, strength, covariance=S):
    """``L(D, E) + strength ||D E||_F^2`` as ONE trace: Kunin et al.'s loss (ii) (F6).

    >>> from sympy import symbols
    >>> untied_loss_with_product_penalty(D, E, symbols("mu")).diff(E)
    (2*mu)*D.T*D*E + D.T*(-I + D*E)*S + D.T*(-I + D*E)*S.T
    """
    size = decoder.shape[0]
    residual = Identity(size) - decoder * encoder
    product = decoder * encoder
    return Trace(residual * covariance * residual.T + strength * product * product.T)


def product_penalty_gradient(decoder, encoder, strength, covariance=S):
    """The gradient in ``E`` of loss (ii), ``S`` symmetric: ``2 D^T (D E - I) S + 2 mu D^T D E``.

    >>> from sympy import symbols
    >>> product_penalty_gradient(D, E, symbols("mu"))
    (2*mu)*D.T*D*E + 2*D.T*D*E*S - 2*D.T*S
    """
    D_, E_ = decoder, encoder
    return (2 * D_.T * D_ * E_ * covariance - 2 * D_.T * covariance
            + 2 * strength * D_.T * D_ * E_)


def gradient_step(weights, step, covariance=S):
    """One step of gradient descent on the tied loss: ``W - step * grad L(W)`` (F3).

    >>> from sympy import symbols
    >>> gradient_step(MatrixSymbol("W", d, k), symbols("eta"))
    (-eta)*(-4*S*W + 2*S*W*W.T*W + 2*W*W.T*S*W) + W
    """
    return weights - step * tied_gradient(weights, covariance)


# --- D, R: deep networks and restricted Boltzmann machines ------------------------------
