"""D1: a deep tied linear autoencoder is the one-layer tied autoencoder in E = W_m ... W_1.

The decoder W_1^T ... W_m^T is (W_m ... W_1)^T for every depth (the induction step
(W_(m+1) E_m)^T = E_m^T W_(m+1)^T), so the network's loss is the tied loss in E^T.
Exactly on rational stacks; in float64 to the rounding of two chains of products.

Float bound. A chain of p products of matrices with at most n rows or columns has
|fl(product) - product| <= gamma_(p n) |W_m| ... |W_1| entrywise (Higham 3.5), so
in Frobenius norm at most gamma_(p n) prod ||W_L||_F; the decoder and E^T are two
such chains, p = m - 1. For the loss, the layer-by-layer network and the
E-route compute X - (decoder) (E X) and X - E^T (E X): the reconstructions differ
by at most (the decoder gap) ||E X||_F plus both routes' own rounding, each
`loss_tolerance`-sized, and the squared norms by 2 ||R||_F times that.
"""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from verify import loss_tolerance, tied_loss
from verify.deep import (
    deep_loss,
    end_to_end_decoder,
    end_to_end_encoder,
    exact_deep_loss,
)
from verify.deep_strategies import balanced_layers, rational_layers, unbalanced_layers
from verify.strategies import data_matrices

_U = np.finfo(float).eps / 2


def _gamma(n):
    return n * _U / (1 - n * _U)


@st.composite
def _stack_and_data(draw):
    X = draw(data_matrices(max_dimension=4))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    kind = draw(st.sampled_from([balanced_layers, unbalanced_layers]))
    return draw(kind(d=d, k=k, min_depth=1, max_depth=4)), X


def _network(layers, X):
    """The asker's network applied layer by layer: encode with each W_L, decode with each W_L^T."""
    H = X
    for W in layers:
        H = W @ H
    for W in reversed(layers):
        H = W.T @ H
    return H


@given(_stack_and_data())
def test_d1_decoder_is_the_transpose_of_the_end_to_end_encoder(case):
    layers, _ = case
    E, D = end_to_end_encoder(layers), end_to_end_decoder(layers)
    n = max(max(W.shape) for W in layers)
    chain = _gamma((len(layers) - 1) * n) * math.prod(np.linalg.norm(W) for W in layers)
    assert np.linalg.norm(D - E.T) <= 2 * chain


@given(_stack_and_data())
def test_d1_network_loss_is_the_tied_loss_in_the_end_to_end_encoder(case):
    layers, X = case
    E = end_to_end_encoder(layers)
    residual = X - _network(layers, X)
    network = float(np.vdot(residual, residual))
    n = max(max(max(W.shape) for W in layers), *X.shape)
    product = math.prod(np.linalg.norm(W) for W in layers)
    # Two chains of m products each way (encode, decode) against the E-route: gamma_(2 m n).
    route = _gamma(2 * len(layers) * n) * product**2 * np.linalg.norm(X)
    size = np.linalg.norm(X) * (1 + product**2)
    tolerance = 2 * size * route + route**2 + 2 * loss_tolerance(X, E.T)
    assert abs(network - tied_loss(E.T, X)) <= tolerance
    assert deep_loss(layers, X) == tied_loss(E.T, X)


@given(rational_layers(max_depth=4))
def test_d1_exactly_on_rational_stacks(case):
    S, layers = case
    E = layers[0]
    for W in layers[1:]:
        E = W @ E
    decoder = layers[-1].T
    for W in reversed(layers[:-1]):
        decoder = W.T @ decoder
    assert (decoder == E.T).all()
    complement = np.identity(S.shape[0], dtype=object) - E.T @ E
    assert exact_deep_loss(layers, S) == np.trace(complement @ S @ complement)
    # The network loss, layer by layer: tr((I - N) S (I - N)^T) with N the full map.
    network = np.identity(S.shape[0], dtype=object)
    for W in layers:
        network = W @ network
    for W in reversed(layers):
        network = W.T @ network
    residual = np.identity(S.shape[0], dtype=object) - network
    assert exact_deep_loss(layers, S) == np.trace(residual @ S @ residual.T)
