"""Cost of deciding W^T = W^+ (P3) and computing the gap ||W^T - W^+||_2 (P5).

Compares `verify.measure_weights` (one W^T W, one eigvalsh, validation included) with

  (a) the naive check  np.allclose(W.T, np.linalg.pinv(W))  (an SVD of W), and
  (b) the floor        W.T @ W  followed by  np.linalg.eigvalsh  (no validation, no bounds),

and reports how far the Gram-route gap is from the SVD value, next to the error
bound that `verify.gap_with_error_bound` states for it.

A second table (`--dtypes`, or alone with `--dtypes-only`) measures `diagnose` on
a saved `.npy` file in each stored format, up to 8192 x 2048:

  peak memory   relative to the file (the loaded W itself counts as 1.0): the
                NumPy allocations during `diagnose` (tracemalloc), and the growth
                of the process's peak resident size (every allocation, LAPACK's
                workspace included), measured in a fresh process per case;
  time          relative to the floor computed in the file's own dtype: W.T @ W
                plus eigvalsh (float16 has no BLAS or LAPACK: the floor converts
                to float32 first). NumPy's eigvalsh computes float32 input in
                float64 (a float64 copy of the Gram matrix): the float32 floor
                itself peaks at 1.75x the file at d = 4 k.

`diagnose` accumulates the Gram matrix of a float32/float16 file in float64 (a
block of rows at a time): the float64 Gram matrix, 0.5x a float32 file and 1.0x
a float16 one at d = 4 k, is what its memory costs beyond the file.

The column `least` is the least peak any route through NumPy can have: W itself
plus one k x k float64 matrix, 1 + 8 k / (d * itemsize), because NumPy's
eigvalsh (and svd) compute float32 input in float64. At d = 4 k that is 1.25x
for float64, 1.5x for float32 and 2.0x for float16: the 1.3x target of issue 13
is out of reach for float32 and float16 without a float32 eigensolver (LAPACK's
ssyevd/sspevd, which NumPy does not expose). Likewise the float32 floor forms
W.T @ W in float32 (sgemm), about half the cost of the float64 product that
makes the Gram route's error bound usable (see verify/_gram.py): the gemm
alone takes diagnose past 1.2x of that floor.

Run:  python3 benchmarks/diagnosis_cost.py            (sizes up to 4096 x 1024)
      python3 benchmarks/diagnosis_cost.py --quick    (small sizes only)
      python3 benchmarks/diagnosis_cost.py --dtypes-only [--quick]
Targets at 4096 x 1024: at least 5x faster than (a), within 2x of (b).
Targets per dtype (issue 13): peak memory at most 1.3x the file, diagnose within
1.2x of the floor in the file's own dtype.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from verify import measure_weights  # noqa: E402

SIZES = [(256, 64), (1024, 256), (2048, 512), (4096, 1024)]
QUICK_SIZES = [(64, 16), (256, 64)]
DTYPE_SIZES = [(1024, 256), (4096, 1024), (8192, 2048)]
QUICK_DTYPE_SIZES = [(256, 64), (1024, 256)]
DTYPES = ["float64", "float32", "float16"]
MEMORY_TARGET, TIME_TARGET = 1.3, 1.2

# Run in a fresh interpreter per case: load the file, reset the peak resident size to the
# current one, diagnose, read the peak; tracemalloc sees the NumPy arrays diagnose allocates
# (not LAPACK's workspace, which the resident size does). Then time diagnose and the floor,
# interleaved, best of `repeat`.
_MEASURE = r"""
import json, sys, timeit, tracemalloc
import numpy as np
from verify import diagnose


def status(field):  # kB in /proc/self/status (Linux)
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) * 1024 for line in lines if line.startswith(field))


W = np.load(sys.argv[1])
repeat = int(sys.argv[2])
diagnose(W[:64, :16])  # load code and BLAS/LAPACK buffers once: not the file's cost


def floor():
    A = W.astype(np.float32) if W.dtype == np.float16 else W
    return np.linalg.eigvalsh(A.T @ A)


def peak_growth(function):
    with open("/proc/self/clear_refs", "w") as reset:  # peak resident size := current (Linux)
        reset.write("5")
    before = status("VmRSS:")
    function()
    return status("VmHWM:") - before


floor()
floor_rss = peak_growth(floor)
rss = peak_growth(lambda: diagnose(W))
tracemalloc.start()
found = diagnose(W)
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
tracemalloc.start()
floor()
floor_traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()

ours = bottom = float("inf")
for _ in range(repeat):
    ours = min(ours, timeit.timeit(lambda: diagnose(W), number=1))
    bottom = min(bottom, timeit.timeit(floor, number=1))
print(json.dumps({"traced": traced, "rss_growth": rss, "ours": ours, "floor": bottom,
                  "floor_traced": floor_traced, "floor_rss_growth": floor_rss,
                  "verdict": found.verdict, "tolerance": found.tolerance}))
"""


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


def measure_dtype(path: Path, repeat: int) -> dict:
    root = str(Path(__file__).resolve().parents[1])
    path_variable = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), str(repeat)], capture_output=True,
        text=True, check=True, env={**os.environ, "PYTHONPATH": path_variable},
    )
    return json.loads(done.stdout)


def dtype_table(sizes, repeat: int) -> None:
    print(f"\n{'size':>11} {'dtype':>8} {'file MB':>8} {'least':>6} {'traced':>7} {'rss':>6} "
          f"{'floor tr':>8} {'floor rss':>9} {'ms':>8} {'floor ms':>8} {'time':>5} "
          f"{'memory':>7} {'speed':>6} {'tolerance':>9}")
    rng = np.random.default_rng(20261201)
    with tempfile.TemporaryDirectory() as directory:
        for d, k in sizes:
            q = np.linalg.qr(rng.standard_normal((d, k)))[0]
            for name in DTYPES:
                path = Path(directory) / f"W-{d}x{k}-{name}.npy"
                stored = q.astype(name)
                np.save(path, stored)
                size = stored.nbytes
                del stored
                found = measure_dtype(path, repeat)
                traced = 1 + found["traced"] / size  # W itself, plus what diagnose allocates
                least = 1 + 8 * min(d, k) ** 2 / size  # W plus one float64 Gram matrix
                rss = 1 + found["rss_growth"] / size
                floor_traced = 1 + found["floor_traced"] / size
                floor_rss = 1 + found["floor_rss_growth"] / size
                ratio = found["ours"] / found["floor"]
                memory_ok = "met" if traced <= MEMORY_TARGET else "MISSED"
                speed_ok = "met" if ratio <= TIME_TARGET else "MISSED"
                print(f"{d:>5} x {k:<4} {name:>8} {size / 2**20:8.1f} {least:5.2f}x "
                      f"{traced:6.2f}x {rss:5.2f}x "
                      f"{floor_traced:7.2f}x {floor_rss:8.2f}x "
                      f"{1e3 * found['ours']:8.1f} {1e3 * found['floor']:8.1f} {ratio:4.2f}x "
                      f"{memory_ok:>7} {speed_ok:>6} {found['tolerance']:9.2g}")
                path.unlink()
    print(f"memory: peak relative to the file, W included; least: W plus one k x k float64 "
          "matrix, the least any route through NumPy's eigvalsh needs; "
          f"target <= {MEMORY_TARGET}x on traced "
          "(NumPy arrays; rss adds LAPACK's workspace and allocator slack; 'floor' columns: the "
          f"same for W.T @ W + eigvalsh). time: diagnose / floor, target <= {TIME_TARGET}x. "
          "tolerance: of the orthonormal verdict, in the file's precision.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--repeat", type=int, default=5, help="timing repetitions (best kept)")
    parser.add_argument("--dtypes", action="store_true", help="add the per-dtype cost table")
    parser.add_argument("--dtypes-only", action="store_true", help="only the per-dtype table")
    arguments = parser.parse_args()
    if arguments.dtypes or arguments.dtypes_only:
        sizes = QUICK_DTYPE_SIZES if arguments.quick else DTYPE_SIZES
        if arguments.dtypes_only:
            dtype_table(sizes, arguments.repeat)
            return
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
    if arguments.dtypes:
        dtype_table(sizes, arguments.repeat)


if __name__ == "__main__":
    main()
