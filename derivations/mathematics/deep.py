"""Deep tied linear autoencoders: the layers, the end-to-end maps, the loss and its gradients.

The asker's network has encoder layers ``W_1, ..., W_m`` and decoder layers
``W_{N-L+1} = W_L^T`` (``N = 2m``). The end-to-end encoder is
``E = W_m ... W_1``, the end-to-end decoder ``W_1^T ... W_m^T`` (claims D1-D5).

The loss keeps ONE ``Trace`` around the whole expression (SymPy 1.14
differentiates a sum of traces to zero without warning, upstream issue 27406).

>>> end_to_end_encoder((W_1, W_2))
W_2*W_1
>>> end_to_end_decoder((W_1, W_2))
W_1.T*W_2.T
"""

from __future__ import annotations

import functools

from sympy import MatMul, MatrixSymbol, symbols

from derivations.engine import matrix_derivative
from derivations.mathematics.losses import untied_loss
from derivations.notation import d, h, k

__all__ = [
    "W_1",
    "W_2",
    "W_L",
    "W_above",
    "W_below",
    "W_next",
    "deep_tied_loss",
    "end_to_end_decoder",
    "end_to_end_encoder",
    "h_above",
    "h_below",
    "h_L",
    "layer_gradients",
]

#: A two-layer encoder: ``W_1`` is ``h x d``, ``W_2`` is ``k x h`` (so ``E = W_2 W_1``).
W_1 = MatrixSymbol("W_1", h, d)
W_2 = MatrixSymbol("W_2", k, h)

#: Two neighbouring layers anywhere in a deep encoder, with the widths around them:
#: ``W_L`` maps width ``h_{L-1}`` to ``h_L``, ``W_{L+1}`` maps ``h_L`` to ``h_{L+1}``.
h_below, h_L, h_above = symbols("h_L-1 h_L h_L+1", integer=True, positive=True)
W_L = MatrixSymbol("W_L", h_L, h_below)
W_next = MatrixSymbol("W_L+1", h_above, h_L)
#: The products of all the layers below ``W_L`` and above ``W_{L+1}``, so that
#: ``E = W_above W_{L+1} W_L W_below``.
W_below = MatrixSymbol("W_below", h_below, d)
W_above = MatrixSymbol("W_above", k, h_above)


def end_to_end_encoder(layers):
    """``W_m ... W_1`` for the encoder layers ``(W_1, ..., W_m)``, first layer first."""
    return MatMul(*reversed(tuple(layers))).doit()


def end_to_end_decoder(layers):
    """``W_1^T ... W_m^T``: the decoder layers ``W_{N-L+1} = W_L^T``, applied last first."""
    return MatMul(*(layer.T for layer in layers)).doit()


def deep_tied_loss(layers, covariance):
    """``tr((I - D E) S (I - D E)^T)`` with the end-to-end decoder ``D`` and encoder ``E``."""
    return untied_loss(end_to_end_decoder(layers), end_to_end_encoder(layers), covariance)


def layer_gradients(layers, covariance):
    """The gradient of the deep tied loss in each encoder layer (it occurs in the decoder too).

    Differentiated once with symbolic widths, then specialised to the layers' sizes:
    SymPy's matrix calculus is much slower on concrete shapes.

    >>> from sympy import MatrixSymbol
    >>> A, B, S3 = MatrixSymbol("A", 2, 3), MatrixSymbol("B", 1, 2), MatrixSymbol("S", 3, 3)
    >>> [g.shape for g in layer_gradients((A, B), S3)]
    [(2, 3), (1, 2)]
    """
    names = tuple(str(layer.name) for layer in layers)
    widths = (layers[0].cols,) + tuple(layer.rows for layer in layers)
    generic, sizes = _generic_layer_gradients(names, str(covariance.name))
    return tuple(gradient.xreplace(dict(zip(sizes, widths, strict=True)))
                 for gradient in generic)


@functools.cache
def _generic_layer_gradients(names, covariance_name):
    sizes = symbols(f"n_0:{len(names) + 1}", integer=True, positive=True)
    layers = tuple(MatrixSymbol(name, sizes[i + 1], sizes[i]) for i, name in enumerate(names))
    covariance = MatrixSymbol(covariance_name, sizes[0], sizes[0])
    loss = deep_tied_loss(layers, covariance)
    return tuple(matrix_derivative(loss, layer) for layer in layers), sizes
