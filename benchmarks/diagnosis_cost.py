"""Cost of deciding W^T = W^+ (P3) and computing the gap ||W^T - W^+||_2 (P5).

Compares `verify.measure_weights` (one W^T W, one eigvalsh, validation included) with

  (a) the naive check  np.allclose(W.T, np.linalg.pinv(W))  (an SVD of W), and
  (b) the floor        W.T @ W  followed by  np.linalg.eigvalsh  (no validation, no bounds),

and reports how far the Gram-route gap is from the SVD value, next to the error
bound that `verify.gap_with_error_bound` states for it.

Run:  python3 benchmarks/diagnosis_cost.py            (sizes up to 4096 x 1024)
      python3 benchmarks/diagnosis_cost.py --quick    (small sizes only)
Targets at 4096 x 1024: at least 5x faster than (a), within 2x of (b).
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from verify import measure_weights  # noqa: E402

SIZES = [(256, 64), (1024, 256), (2048, 512), (4096, 1024)]
QUICK_SIZES = [(64, 16), (256, 64)]


def test_matrices(d: int, k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """An orthonormal W (QR) and a nearby non-orthonormal one with known singular values."""
    q = np.linalg.qr(rng.standard_normal((d, k)))[0]
    stretch = 1 + 0.01 * rng.uniform(-1, 1, k)  # W^T W = diag(stretch^2): sigma = stretch
    return {"orthonormal": q, "stretched": q * stretch}


def best_times(functions, repeat: int) -> list[float]:
    """Best of `repeat` runs of each function, interleaved so that load from other
    processes on a shared machine hits all of them alike."""
    best = [float("inf")] * len(functions)
    for _ in range(repeat):
        for i, function in enumerate(functions):
            best[i] = min(best[i], timeit.timeit(function, number=1))
    return best


def svd_gap(W: np.ndarray) -> float:
    s = np.linalg.svd(W, compute_uv=False)
    s = s[s > max(W.shape) * np.finfo(float).eps * s[0]]
    return float(np.abs(s - 1 / s).max())


def floor(W: np.ndarray) -> np.ndarray:
    return np.linalg.eigvalsh(W.T @ W)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--repeat", type=int, default=5, help="timing repetitions (best kept)")
    arguments = parser.parse_args()
    rng = np.random.default_rng(20261126)
    print(
        f"{'size':>11} {'matrix':>11} {'verify ms':>9} {'naive ms':>9} {'floor ms':>9} "
        f"{'naive/ver':>9} {'ver/floor':>9} {'decision':>8} {'route':>5} "
        f"{'|gap - svd|':>11} {'bound':>9}"
    )
    for d, k in QUICK_SIZES if arguments.quick else SIZES:
        for name, W in test_matrices(d, k, rng).items():
            ours, naive, bottom = best_times(
                [
                    lambda W=W: measure_weights(W),
                    lambda W=W: np.allclose(W.T, np.linalg.pinv(W)),
                    lambda W=W: floor(W),
                ],
                arguments.repeat,
            )
            measures = measure_weights(W)
            naive_decision = bool(np.allclose(W.T, np.linalg.pinv(W)))
            error = abs(measures.gap - svd_gap(W))
            print(
                f"{d:>5} x {k:<4} {name:>11} {1e3 * ours:9.1f} {1e3 * naive:9.1f} "
                f"{1e3 * bottom:9.1f} {naive / ours:9.1f} {ours / bottom:9.2f} "
                f"{str(measures.is_partial_isometry):>8} {measures.gap_route:>5} "
                f"{error:11.2e} {measures.gap_error_bound:9.2e}"
                + ("" if naive_decision == measures.is_partial_isometry else "  (allclose differs)")
            )


if __name__ == "__main__":
    main()
