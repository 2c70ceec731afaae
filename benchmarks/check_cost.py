"""The command's fixed cost, and the check's cost against its floor (`W.T @ W` + `eigvalsh`).

    python3 -m benchmarks.check_cost [--rows 4096] [--columns 1024] [--repeat 5]
                                     [--starts 30] [--pinv]

First the fixed cost: the best-of-`starts` CPU time (user + system) of a
fresh `python -m verify check` on a 3 x 2 `.npy` file (start-up, imports,
loading, checking and printing, with nothing left to scale) and of
`--version`, each against a bare `python -c "import numpy"`, the floor of any
command that uses NumPy. Target: at most 1.5x. CPU time, unlike wall time,
hardly moves with other load on the machine; the runs are interleaved and the
best of many is the least disturbed. (POSIX only: `resource`.)

Then the peak memory of loading each format (`verify.load.read_weights`),
against the file and against the array it returns.

Then, for full-rank matrices of three verdicts, the best-of-`repeat` time of
`diagnose(W)` and of the whole command on a saved `.npy` file (`cli.main`), each
as a multiple of the floor. A rank-deficient matrix is timed too: there the Gram
route cannot resolve the zero singular values and one SVD is added (the same
fallback as `verify.linalg`). `--pinv` adds the naive check
`np.allclose(W.T, np.linalg.pinv(W))` for contrast.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from verify import cli
from verify.diagnosis import diagnose

ROOT = Path(__file__).resolve().parents[1]
#: The command's fixed cost may be at most this multiple of a bare `import numpy`.
FIXED_COST_TARGET = 1.5


def best_time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def best_times(functions, repeat: int) -> list[float]:
    """Best-of-`repeat` times, the functions interleaved so machine load hits all alike."""
    times = [[] for _ in functions]
    for _ in range(repeat):
        for function, measured in zip(functions, times, strict=True):
            start = time.perf_counter()
            function()
            measured.append(time.perf_counter() - start)
    return [min(measured) for measured in times]


def _process(*argv: str):
    """A function that runs a fresh Python on `argv` and returns its CPU time (user + system)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run() -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, *argv], cwd=ROOT, env=environment, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    return run


def fixed_cost(starts: int) -> bool:
    """Print the command's fixed cost against `import numpy`; True when within the target.

    Judged on CPU time (user + system) of the fresh process, which other load on
    the machine hardly changes; the wall time, which it does, is printed beside it.
    """
    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "W.npy"
        np.save(tiny, np.eye(3, 2))
        runs = {
            'python -c "import numpy"': _process("-c", "import numpy"),
            "python -m verify check W.npy (3 x 2)": _process("-m", "verify", "check", str(tiny)),
            "python -m verify --version": _process("-m", "verify", "--version"),
            'python -c "import verify.cli"': _process("-c", "import verify.cli"),
        }
        _process("-m", "verify", "check", str(tiny))()  # warm the file cache and .pyc files
        cpu = {name: [] for name in runs}
        wall = {name: [] for name in runs}
        for _ in range(starts):  # interleaved: a busy machine slows all alike
            for name, run in runs.items():
                start = time.perf_counter()
                cpu[name].append(run())
                wall[name].append(time.perf_counter() - start)
    floor = 'python -c "import numpy"'
    floor_cpu, floor_wall = min(cpu[floor]), min(wall[floor])
    print(f"Fixed cost, best of {starts} fresh processes, CPU time (wall time); target: at most "
          f"{FIXED_COST_TARGET}x a bare import numpy in CPU time:")
    for name in runs:
        seconds, elapsed = min(cpu[name]), min(wall[name])
        print(f"  {name:38s} {seconds * 1e3:6.1f} ms = {seconds / floor_cpu:.2f} x "
              f"({elapsed * 1e3:6.1f} ms = {elapsed / floor_wall:.2f} x)")
    met = min(cpu["python -m verify check W.npy (3 x 2)"]) <= FIXED_COST_TARGET * floor_cpu
    print(f"  target {'met' if met else 'NOT met'}")
    return met


def _safetensors_bytes(name: str, array: np.ndarray, dtype: str) -> bytes:
    """A one-tensor .safetensors file; BF16 is the float32 bits' high half (truncated)."""
    if dtype == "BF16":
        raw = (np.ascontiguousarray(array, dtype="<f4").view("<u4") >> 16).astype("<u2")
    else:
        raw = np.ascontiguousarray(array, dtype={"F64": "<f8", "F32": "<f4"}[dtype])
    header = json.dumps({name: {"dtype": dtype, "shape": list(array.shape),
                                "data_offsets": [0, raw.nbytes]}}).encode()
    return struct.pack("<Q", len(header)) + header + raw.tobytes()


def loading_memory(rows: int, columns: int) -> None:
    """Print the peak NumPy memory of `read_weights` (tracemalloc) against the file and the array.

    Loading cannot take less than the array it returns: for bfloat16 that is
    twice the file (widened to float32), for text far less than the file.
    """
    from verify.load import read_weights

    W = np.random.default_rng(1).standard_normal((rows, columns))
    print(f"Loading memory, {rows} x {columns}: peak NumPy allocation of read_weights "
          "(tracemalloc) / file size, and / the array it returns:")
    with tempfile.TemporaryDirectory() as folder:
        files = {
            ".npy float64": ("W.npy", lambda path: np.save(path, W)),
            ".npy float32": ("W.npy", lambda path: np.save(path, W.astype(np.float32))),
            ".safetensors F32": ("W.safetensors", lambda path: Path(path).write_bytes(
                _safetensors_bytes("W", W, "F32"))),
            ".safetensors BF16": ("W.safetensors", lambda path: Path(path).write_bytes(
                _safetensors_bytes("W", W, "BF16"))),
            ".npz float32": ("W.npz", lambda path: np.savez(path, W=W.astype(np.float32))),
        }
        for label, (name, write) in files.items():
            path = Path(folder) / name
            write(path)
            tracemalloc.start()
            found = read_weights(path)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            array = found.weights[0].array
            print(f"  {label:18s} file {path.stat().st_size / 2**20:7.1f} MiB: peak "
                  f"{peak / path.stat().st_size:4.2f} x file, {peak / array.nbytes:4.2f} x array")
            del found, array
            path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4096)
    parser.add_argument("--columns", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--starts", type=int, default=30,
                        help="fresh processes per command for the fixed cost")
    parser.add_argument("--pinv", action="store_true", help="also time the naive pinv check")
    args = parser.parse_args()
    fixed_cost(args.starts)
    loading_memory(args.rows, args.columns)
    d, k = args.rows, args.columns
    rng = np.random.default_rng(0)
    orthonormal = np.linalg.qr(rng.standard_normal((d, k)))[0]
    cases = {
        "orthonormal columns (P1)": orthonormal,
        "weight-decayed (F4)": 0.9 * orthonormal,
        "random Gaussian (F3)": rng.standard_normal((d, k)) / np.sqrt(d),
    }
    print(f"{d} x {k}, best of {args.repeat}; floor = W.T @ W + eigvalsh, timed beside each")
    with tempfile.TemporaryDirectory() as folder:
        for name, W in cases.items():
            path = Path(folder) / "W.npy"
            np.save(path, W)
            claim = diagnose(W).claim

            def command(path=path):
                with contextlib.redirect_stdout(io.StringIO()):
                    assert cli.main(["check", str(path)]) == 0

            floor, check, whole = best_times(
                [lambda W=W: np.linalg.eigvalsh(W.T @ W), lambda W=W: diagnose(W), command],
                args.repeat)
            print(f"  {name:25s} -> {claim}: floor {floor * 1e3:6.1f} ms; diagnose "
                  f"{check * 1e3:6.1f} ms = {check / floor:.2f} x floor; command with .npy "
                  f"load {whole * 1e3:6.1f} ms = {whole / floor:.2f} x floor")
    deficient = orthonormal.copy()
    deficient[:, -1] = deficient[:, 0]
    slow = best_time(lambda: diagnose(deficient), 1)
    print(f"  rank-deficient (F2), Gram + one SVD: {slow * 1e3:.1f} ms = "
          f"{slow / floor:.1f} x floor")
    if args.pinv:
        naive = best_time(lambda: np.allclose(orthonormal.T, np.linalg.pinv(orthonormal)), 1)
        print(f"  naive np.allclose(W.T, pinv(W)): {naive * 1e3:.1f} ms = "
              f"{naive / floor:.1f} x floor")


if __name__ == "__main__":
    main()
