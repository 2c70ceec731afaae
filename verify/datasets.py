"""Real data for the experiments: the 8 x 8 handwritten digits (UCI, CC BY 4.0).

`verify/data/digits.npz` is the UCI "Optical Recognition of Handwritten
Digits" test set as bundled with scikit-learn (1797 images of 8 x 8 integer
pixels 0..16; source, licence and checksum in `verify/data/DIGITS.md`). It
ships inside the package and is read without pickle, so no extra dependency
is needed.

>>> X = digits_matrix()
>>> X.shape, bool(np.allclose(X.sum(axis=1), 0))    # features x samples, centred
((64, 1797), True)
"""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = ["DIGITS_FILE", "digits_matrix", "load_digits"]

#: The data file's name inside the `verify.data` resource directory.
DIGITS_FILE = "digits.npz"
_SHAPE = (1797, 64)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """`(images, labels)`: uint8 arrays of shape `(1797, 64)` (pixels 0..16) and `(1797,)`.

    Read with `numpy.load(..., allow_pickle=False)`; the shapes and ranges are
    checked, so a damaged file fails here with a message naming it.

    >>> images, labels = load_digits()
    >>> images.shape, int(images.max()), sorted(set(labels.tolist())) == list(range(10))
    ((1797, 64), 16, True)
    """
    source = resources.files("verify").joinpath("data", DIGITS_FILE)
    with resources.as_file(source) as path, np.load(path, allow_pickle=False) as archive:
        images, labels = archive["images"], archive["labels"]
    if (images.shape != _SHAPE or labels.shape != _SHAPE[:1] or images.dtype != np.uint8
            or labels.dtype != np.uint8 or images.max() > 16 or labels.max() > 9):
        raise ValueError(
            f"{source} is damaged: expected uint8 images {_SHAPE} in 0..16 and labels "
            f"({_SHAPE[0]},) in 0..9; got {images.dtype} {images.shape} and "
            f"{labels.dtype} {labels.shape}."
        )
    return images, labels


def digits_matrix(*, scale: float = 1.0 / 16.0) -> np.ndarray:
    """Centred data `X` (`64 x 1797`, features by samples) of the digits, pixels times `scale`.

    The default scale maps pixels to `[0, 1]` before centring (each row of `X`
    then sums to 0 up to rounding, which is removed by subtracting the mean twice).

    >>> X = digits_matrix()
    >>> round(float(np.linalg.norm(X, 2) ** 2), 3)    # lambda_1 of S = X X^T
    1255.845
    """
    scale = float(scale)
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a finite number > 0; got {scale!r}.")
    images, _ = load_digits()
    X = images.T.astype(np.float64) * scale
    X = X - X.mean(axis=1, keepdims=True)
    return X - X.mean(axis=1, keepdims=True)
