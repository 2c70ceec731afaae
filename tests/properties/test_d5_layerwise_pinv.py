"""D5: the asker's layer-wise decoder W_1^+ ... W_m^+ is not E^+ in general.

With encoder layers of full row rank (W_L is h_L x h_(L-1), h_L <= h_(L-1)), write
D_lw = W_1^+ ... W_m^+, E = W_m ... W_1, P = D_lw E and Q = E^+ E. Then

- E D_lw = I_k (each W_L W_L^+ = I), so P is idempotent: P^2 = D_lw (E D_lw) E = P;
- Q P = Q and P Q = P, hence (I - Q)(P - P^T) Q = (I - Q) P = (D_lw - E^+) E, and
  D_lw - E^+ = (I - Q) P D_lw. So, exactly,
      ||D_lw - E^+||_2 <= ||P - P^T||_2 ||D_lw||_2   and
      ||P - P^T||_2 <= 2 ||D_lw - E^+||_2 ||E||_2:
  the layer-wise decoder is E^+ exactly when the projector P is orthogonal (symmetric),
  and otherwise P is an oblique projector;
- refactoring W_1 -> C W_1, W_2 -> W_2 C^{-1} keeps E (so the E^+ decoder and its loss),
  keeps D_lw for orthogonal C, and changes it for other C (an explicit instance below);
- when every layer has orthonormal rows, D_lw = W_1^T ... W_m^T = E^T = E^+.

Tolerances. The layers are drawn from their SVD with singular values in [1/2, 2], so
||W_L||_2 <= 2, ||W_L^+||_2 <= 2. LAPACK's SVD is backward stable: pinv(W) is the exact
pseudo-inverse of W + dW with ||dW||_2 <= c n u ||W||_2 (n the largest dimension, u the
unit roundoff, c a modest constant, taken as 8), and for full row rank perturbations
Wedin's bound gives ||pinv(W) - W^+||_2 <= sqrt(2) ||W^+||_2^2 ||dW||_2 <= 12 c n u
||W^+||_2 here. A product of m such factors, each of norm at most 2, plus m - 1 matrix
products (error <= n u per product, relative), is off by at most m (12 c + 1) n u 2^m.
Every quantity below is a sum of at most four such products of at most 2m + 1 factors
of norm <= 2, so TOLERANCE(m, n) = 4 (2m + 1) (12 c + 1) n u 4^m bounds the rounding of
each side of each inequality.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verify.deep import end_to_end_encoder, layerwise_pinv_decoder, reconstruction_loss
from verify.strategies import orthogonal_matrices

UNIT_ROUNDOFF = np.finfo(np.float64).eps / 2
SVD_CONSTANT = 8


def tolerance(depth: int, size: int) -> float:
    """The rounding bound of the module docstring for ``depth`` layers of dimension <= ``size``."""
    return (4 * (2 * depth + 1) * (12 * SVD_CONSTANT + 1) * size * UNIT_ROUNDOFF
            * 4.0 ** depth)


def _norm(A) -> float:
    return float(np.linalg.norm(A, 2))


@st.composite
def full_row_rank_stacks(draw, *, max_dimension: int = 6, orthonormal_rows: bool = False):
    """``[W_1, ..., W_m]``, ``m`` in 2..3, widths ``d >= h_1 >= ... >= k >= 1``, full row rank.

    Each layer is ``U diag(s) V^T`` with drawn orthogonal ``U``, ``V`` and ``s`` in [1/2, 2]
    (all ones when ``orthonormal_rows``).
    """
    depth = draw(st.integers(2, 3))
    widths = [draw(st.integers(depth, max_dimension))]
    for _ in range(depth):
        widths.append(draw(st.integers(1, widths[-1])))
    layers = []
    for columns, rows in zip(widths, widths[1:]):
        left = draw(orthogonal_matrices(rows))
        right = draw(orthogonal_matrices(columns))[:, :rows]
        values = np.ones(rows) if orthonormal_rows else draw(
            arrays(np.float64, rows, elements=st.floats(0.5, 2.0)))
        layers.append((left * values) @ right.T)
    return layers


@settings(max_examples=20)
@given(full_row_rank_stacks())
def test_d5_layerwise_decoder_is_a_right_inverse_and_its_projector_is_idempotent(layers):
    E, D = end_to_end_encoder(layers), layerwise_pinv_decoder(layers)
    tol = tolerance(len(layers), layers[0].shape[1])
    assert _norm(E @ D - np.eye(E.shape[0])) <= tol
    P = D @ E
    assert _norm(P @ P - P) <= tol


@settings(max_examples=20)
@given(full_row_rank_stacks())
def test_d5_layerwise_decoder_is_the_pseudo_inverse_exactly_when_the_projector_is_symmetric(
        layers):
    E, D = end_to_end_encoder(layers), layerwise_pinv_decoder(layers)
    tol = tolerance(len(layers), layers[0].shape[1])
    P = D @ E
    asymmetry, difference = _norm(P - P.T), _norm(D - np.linalg.pinv(E))
    assert difference <= asymmetry * _norm(D) + tol
    assert asymmetry <= 2 * difference * _norm(E) + tol


@settings(max_examples=20)
@given(full_row_rank_stacks(orthonormal_rows=True))
def test_d5_with_orthonormal_rows_the_layerwise_decoder_is_the_transpose_and_e_plus(layers):
    E, D = end_to_end_encoder(layers), layerwise_pinv_decoder(layers)
    tol = tolerance(len(layers), layers[0].shape[1])
    assert _norm(D - E.T) <= tol and _norm(D - np.linalg.pinv(E)) <= tol


@settings(max_examples=20)
@given(full_row_rank_stacks(), st.data())
def test_d5_an_orthogonal_refactoring_keeps_both_decoders(layers, data):
    first, second, *rest = layers
    C = data.draw(orthogonal_matrices(first.shape[0]))
    moved = [C @ first, second @ C.T, *rest]
    tol = tolerance(len(layers), layers[0].shape[1])
    assert _norm(end_to_end_encoder(moved) - end_to_end_encoder(layers)) <= tol
    assert _norm(layerwise_pinv_decoder(moved) - layerwise_pinv_decoder(layers)) <= tol


def test_d5_the_layerwise_loss_depends_on_the_factorisation():
    # One E, two factorisations: W_1 -> C W_1, W_2 -> W_2 C^{-1} with C = diag(3, 1). The
    # E^+ decoder sees only E; the layer-wise decoder changes, and with it the loss. The
    # numbers: E = [1, 1, 0] (rows of W_1 = I_2 | 0, W_2 = [1, 1]); D_lw = [1/2, 1/2, 0]^T
    # = E^+ for the first factorisation; for the second, (C W_1)^+ = diag(1/3, 1) over a zero
    # row, (W_2 C^{-1})^+ = [1/3, 1]^T / (10/9) = [3/10, 9/10]^T, so D_lw = [1/10, 9/10, 0]^T,
    # still a right inverse of E, but not E^+.
    X = np.eye(3)
    first, second = np.array([[1.0, 0, 0], [0, 1.0, 0]]), np.array([[1.0, 1.0]])
    C = np.diag([3.0, 1.0])
    moved = [C @ first, second @ np.linalg.inv(C)]
    E = end_to_end_encoder([first, second])
    assert np.allclose(end_to_end_encoder(moved), E, rtol=0, atol=4 * UNIT_ROUNDOFF)
    original, refactored = layerwise_pinv_decoder([first, second]), layerwise_pinv_decoder(moved)
    assert np.allclose(original.ravel(), [0.5, 0.5, 0], rtol=0, atol=16 * UNIT_ROUNDOFF)
    assert np.allclose(refactored.ravel(), [0.1, 0.9, 0], rtol=0, atol=16 * UNIT_ROUNDOFF)
    # ||X - D E X||_F^2 = ||I - D E||_F^2: 2 for D = E^+ (the orthogonal projector's
    # complement has rank 2); 0.81 + 0.01 + 0.81 + 0.01 + 1 = 2.64 for [1/10, 9/10, 0]^T.
    assert abs(reconstruction_loss(original, E, X) - 2.0) <= 64 * UNIT_ROUNDOFF
    assert abs(reconstruction_loss(refactored, E, X) - 2.64) <= 64 * UNIT_ROUNDOFF
