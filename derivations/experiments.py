"""The two experiments on real data (the 8 x 8 digits): A7's decoders compared, and N1.

``python -m derivations.experiments`` recomputes both from ``verify`` with fixed
seeds and writes, in ``docs/figures/``, ``a7_digits_training.json`` and
``n1_nonlinear.json`` with an SVG beside each (the SVGs need matplotlib, the
``docs`` extra). ``--check`` writes nothing and fails when a committed number
(or, with matplotlib, an SVG) differs from the fresh one.

Losses and norms are deterministic: they are compared within
``RELATIVE_TOLERANCE``. Times per step are measurements of the machine that
ran the command: they are stored (under ``"seconds_per_step"``) but never
compared, and the SVGs do not show them.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

__all__ = [
    "A7_FILE",
    "N1_FILE",
    "a7_digits_training",
    "main",
    "n1_nonlinear",
    "stale_experiments",
]

FIGURE_DIRECTORY = Path(__file__).resolve().parents[1] / "docs" / "figures"
A7_FILE, N1_FILE = "a7_digits_training", "n1_nonlinear"
SEED = 20_261_201
#: Committed numbers are fresh within this relative difference (plus 1e-12 absolute): far
#: above the rounding differences of BLAS libraries over these contracting iterations
#: (about 1e-13) and far below what the figures or the notes resolve.
RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE = 1e-9, 1e-12
#: Keys holding measurements (not compared) rather than deterministic numbers.
MEASURED = ("seconds_per_step", "machine")
_SVG_SETTINGS = {"svg.hashsalt": "tied-weights", "svg.fonttype": "path", "path.simplify": False,
                 "font.size": 10.0, "axes.grid": True, "grid.alpha": 0.3}

A7_NOTE = (
    "Linear autoencoders with code size k on the centred 8x8 digits (pixels / 16), trained by "
    "plain gradient descent from one small random start W0 (d x k): tied (W = W0, decoder W, "
    "encoder W^T), untied (D = W0, E = W0^T), both with step 1 / (8 lambda_1), and the asker's "
    "pseudo-inverse decoder (E = W0^T, decoder E^+) with step sigma_min(E)^2 / (2 lambda_1). "
    "It shows, for this data, start and these step rules, the loss after each step against the "
    "PCA optimum, and the median time of one step on the machine that ran it. The "
    "pseudo-inverse loss depends only on the row space of E, so its step is limited by the "
    "curvature 2 lambda_1 / sigma_min^2 of turning that space, while the tied and untied steps "
    "are limited by the curvature 8 lambda_1 of the scale of W, which they must also fit: "
    "per step the row space moves about four times as far, which is most of why it needs "
    "fewer steps here. Each of its steps costs an SVD. The experiment does not show which "
    "method is faster in general: other step rules or optimisers, data, d and k, and "
    "machines give other numbers, and one start is one start. It says nothing about the "
    "scale of the pseudo-inverse encoder, which nothing in its loss fixes (it stays near the "
    "start's)."
)
N1_NOTE = (
    "Tied autoencoders x -> W f(W^T x + b) + c (f = tanh or sigmoid; f = identity as the linear "
    "control, where A4 applies) on the 8x8 digits (pixels / 16, not centred), code size k, "
    "trained by plain gradient descent from one seeded start, with and without weight decay, "
    "for a fixed number of steps (the nonlinear losses are still decreasing slowly at the "
    "end). It reports, for these six runs only, ||W^T W - I||_2 and ||W^T - W^+||_2 of the "
    "final W. It shows that the linear control approaches W^T W = I (with weight decay, "
    "singular values below 1, as F4 says) while the tanh and sigmoid runs end elsewhere "
    "(sigmoid, whose slope at 0 is 1/4, with singular values near 2). It does not show what "
    "happens with other data, sizes, optimisers, initialisations or training lengths."
)


def _digits():
    from verify.datasets import digits_matrix

    return digits_matrix()


def _start(d: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 0.1 / (np.sqrt(d) + np.sqrt(k)) * rng.standard_normal((d, k))


def _trace_loss(S, decoder, encoder) -> float:
    """``tr((I - D E) S (I - D E)^T)`` from ``S``: cheap, and exact enough for a curve."""
    M = encoder @ S  # k x d
    return float(np.trace(S) - 2 * np.trace(decoder @ M) + np.trace(decoder.T @ decoder @ M
                                                                   @ encoder.T))


def a7_digits_training(*, k: int = 8, steps: int = 2000, every: int = 10, seed: int = SEED,
                       time_it: bool = True) -> dict:
    """Tied, untied and pseudo-inverse-decoded gradient descent on the digits, same start.

    Returns the JSON content: the loss every ``every`` steps for each method, the
    PCA optimum, final measures, and (when ``time_it``) the median seconds per step
    (the update only: gradient, pseudo-inverse where used, and step; not the loss).
    """
    from verify import covariance_spectrum, default_learning_rate
    from verify.pinv_decoder import pinv_decoder_loss

    X = _digits()
    S = X @ X.T
    d = X.shape[0]
    eigenvalues, _ = covariance_spectrum(X)
    lambda_1 = float(eigenvalues[0])
    eta = default_learning_rate(X)
    W0 = _start(d, k, seed)

    def tied(W):
        SW = S @ W
        return W - eta * (-4 * SW + 2 * SW @ (W.T @ W) + 2 * W @ (W.T @ SW))

    def untied(pair):
        D, E = pair
        residual_S = S - D @ (E @ S)
        return D + eta * 2 * residual_S @ E.T, E + eta * 2 * D.T @ residual_S

    def pinv(E):
        U, sigma, Vt = np.linalg.svd(E, full_matrices=False)
        residual_S = S - S @ Vt.T @ Vt  # S (I - P)
        rate = sigma[-1] ** 2 / (2 * lambda_1)
        return E + rate * 2 * (U / sigma) @ (Vt @ residual_S)

    runs = {
        "tied": (W0.copy(), tied, lambda W: _trace_loss(S, W, W.T)),
        "untied": ((W0.copy(), W0.T.copy()), untied, lambda p: _trace_loss(S, p[0], p[1])),
        "pseudo_inverse": (W0.T.copy(), pinv, lambda E: pinv_decoder_loss(E, X)),
    }
    losses, seconds, finals = {}, {}, {}
    for name, (state, step, loss) in runs.items():
        curve, elapsed = [loss(state)], []
        for t in range(1, steps + 1):
            begin = time.perf_counter()
            state = step(state)
            elapsed.append(time.perf_counter() - begin)
            if t % every == 0:
                curve.append(loss(state))
        # The median step: robust to the other processes of a shared machine.
        losses[name], seconds[name], finals[name] = curve, float(np.median(elapsed)), state
    W, (D, E), P = finals["tied"], finals["untied"], finals["pseudo_inverse"]
    sigma_P = np.linalg.svd(P, compute_uv=False)
    result = {
        "note": A7_NOTE, "k": k, "steps": steps, "every": every, "seed": seed,
        "learning_rate": eta, "optimum": float(eigenvalues[k:].sum()),
        "loss": losses,
        "final": {
            "tied_orthonormality_defect": float(np.linalg.norm(W.T @ W - np.eye(k), 2)),
            "untied_transpose_gap": float(np.linalg.norm(E - D.T, 2)),
            "untied_pseudo_inverse_gap": float(np.linalg.norm(E - np.linalg.pinv(D), 2)),
            "pseudo_inverse_encoder_sigma_max": float(sigma_P[0]),
            "pseudo_inverse_encoder_sigma_min": float(sigma_P[-1]),
        },
    }
    if time_it:
        result["seconds_per_step"] = seconds
        result["machine"] = f"{platform.machine()} {platform.python_implementation()} " \
                            f"{platform.python_version()} numpy {np.__version__}"
    return result


N1_RUNS = tuple((activation, decay) for activation in ("linear", "tanh", "sigmoid")
                for decay in (0.0, 0.05))


def n1_nonlinear(*, k: int = 4, steps: int = 3000, every: int = 30, seed: int = SEED,
                 runs=N1_RUNS) -> dict:
    """The N1 table: final loss and distances from orthonormality of each tied nonlinear run."""
    from verify.datasets import load_digits
    from verify.nonlinear import train_nonlinear

    X = load_digits()[0].T / 16.0
    table = []
    for activation, decay in runs:
        run = train_nonlinear(X, k, activation=activation, steps=steps, weight_decay=decay,
                              seed=seed)
        sigma = np.linalg.svd(run.weights, compute_uv=False)
        table.append({
            "activation": activation, "weight_decay": decay, "learning_rate": run.learning_rate,
            "loss": run.loss[::every].tolist(), "final_loss": float(run.loss[-1]),
            "orthonormality_defect": run.orthonormality_defect,
            "transpose_pseudo_inverse_gap": run.transpose_pseudo_inverse_gap,
            "sigma_max": float(sigma[0]), "sigma_min": float(sigma[-1]),
        })
    return {"note": N1_NOTE, "k": k, "steps": steps, "every": every, "seed": seed,
            "runs": table}


def _close(committed, fresh) -> bool:
    """Recursive comparison; numbers within the stated tolerance, measured keys skipped."""
    if isinstance(fresh, dict):
        return (isinstance(committed, dict)
                and set(committed) - set(MEASURED) == set(fresh) - set(MEASURED)
                and all(_close(committed[key], value) for key, value in fresh.items()
                        if key not in MEASURED))
    if isinstance(fresh, list):
        return (isinstance(committed, list) and len(committed) == len(fresh)
                and all(_close(a, b) for a, b in zip(committed, fresh, strict=True)))
    if isinstance(fresh, float) and isinstance(committed, (int, float)):
        return bool(np.isclose(committed, fresh, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE))
    return committed == fresh


EXPERIMENTS = {A7_FILE: a7_digits_training, N1_FILE: n1_nonlinear}


def stale_experiments(directory: Path = FIGURE_DIRECTORY, *, fresh: dict | None = None) -> list:
    """The JSON files in ``directory`` that are missing or differ from freshly computed numbers."""
    stale = []
    for name, compute in EXPERIMENTS.items():
        path = directory / f"{name}.json"
        try:
            committed = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stale.append(str(path))
            continue
        numbers = (fresh or {}).get(name) or compute()
        if not _close(committed, numbers):
            stale.append(str(path))
    return stale


_A7_LINES = {"tied": ("#2166ac", r"tied: decoder $W$, encoder $W^T$"),
             "untied": ("#1b7837", r"untied: decoder $D$, encoder $E$"),
             "pseudo_inverse": ("#b2182b", r"pseudo-inverse: decoder $E^{+}$, encoder $E$")}


def draw_a7(figure, data: dict) -> None:
    """Loss minus the PCA optimum against steps, on a log scale.

    Differences below ``1e-15 tr S`` are rounding (the loss is a difference of
    numbers of size ``tr S``) and are drawn at that floor.
    """
    axes = figure.subplots()
    steps = np.arange(len(data["loss"]["tied"])) * data["every"]
    floor = 1e-15 * data["loss"]["tied"][0]  # tr S: the loss of the zero map
    for name, (colour, label) in _A7_LINES.items():
        excess = np.maximum(np.asarray(data["loss"][name]) - data["optimum"], floor)
        axes.semilogy(steps, excess, color=colour, label=label)
    axes.set_xlabel("gradient descent step")
    axes.set_ylabel("loss minus the PCA optimum")
    axes.set_title(f"A7 on the 8x8 digits (k = {data['k']}): three decoders, one start",
                   fontsize=10)
    axes.legend(loc="upper right")


def draw_n1(figure, data: dict) -> None:
    """Loss curves of every run, and the table of final distances from orthonormality."""
    axes, table_axes = figure.subplots(2, 1, height_ratios=(3, 2))
    steps = np.arange(len(data["runs"][0]["loss"])) * data["every"]
    rows = []
    for run in data["runs"]:
        label = f"{run['activation']}, decay {run['weight_decay']:g}"
        axes.plot(steps, run["loss"], label=label)
        rows.append([run["activation"], f"{run['weight_decay']:g}",
                     f"{run['orthonormality_defect']:.3g}",
                     f"{run['transpose_pseudo_inverse_gap']:.3g}",
                     f"{run['sigma_min']:.3g} .. {run['sigma_max']:.3g}"])
    axes.set_xlabel("gradient descent step")
    axes.set_ylabel("mean squared error")
    axes.legend(loc="upper right", fontsize=7, ncols=2)
    table_axes.axis("off")
    table = table_axes.table(
        cellText=rows, loc="center",
        colLabels=["f", "weight decay", r"$\|W^T W - I\|_2$", r"$\|W^T - W^{+}\|_2$",
                   "singular values of $W$"])
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1.0, 1.3)
    figure.suptitle(f"N1: tied autoencoders on the digits, final W (k = {data['k']}, "
                    f"{data['steps']} steps)", fontsize=10)


DRAWINGS = {A7_FILE: draw_a7, N1_FILE: draw_n1}


def write_svg(name: str, data: dict, path: Path) -> None:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_SVG_SETTINGS)
        figure = Figure(figsize=(7.2, 4.8), layout="constrained")
        DRAWINGS[name](figure, data)
        figure.savefig(path, format="svg", metadata={"Date": None, "Creator": None})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m derivations.experiments",
                                     description="Recompute the experiments on the digits.")
    parser.add_argument("--output", type=Path, default=FIGURE_DIRECTORY)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if a committed number or SVG differs")
    parser.add_argument("--redraw", action="store_true",
                        help="only redraw the SVGs from the committed JSON files")
    args = parser.parse_args(argv)
    if args.redraw:
        for name in EXPERIMENTS:
            data = json.loads((args.output / f"{name}.json").read_text(encoding="utf-8"))
            write_svg(name, data, args.output / f"{name}.svg")
        return 0
    fresh = {name: compute() for name, compute in EXPERIMENTS.items()}
    try:
        import matplotlib  # noqa: F401
        drawing = True
    except ImportError:
        drawing = False
        print('matplotlib is missing (pip install ".[docs]"): SVGs not drawn', file=sys.stderr)
    if args.check:
        import tempfile

        stale = stale_experiments(args.output, fresh=fresh)
        if drawing:
            with tempfile.TemporaryDirectory() as scratch:
                for name in EXPERIMENTS:
                    committed = json.loads((args.output / f"{name}.json").read_text("utf-8"))
                    write_svg(name, committed, Path(scratch) / f"{name}.svg")
                    svg = args.output / f"{name}.svg"
                    if not svg.is_file() or svg.read_bytes() != (
                            Path(scratch) / f"{name}.svg").read_bytes():
                        stale.append(str(svg))
        if stale:
            print(f"STALE: {', '.join(stale)}; run `python -m derivations.experiments`.",
                  file=sys.stderr)
            return 1
        return 0
    args.output.mkdir(parents=True, exist_ok=True)
    for name, data in fresh.items():
        path = args.output / f"{name}.json"
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if drawing:
            write_svg(name, data, args.output / f"{name}.svg")
        print(f"wrote {path}" + (" and its SVG" if drawing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
