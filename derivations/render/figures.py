"""The figures of the docs, drawn from the package's own numerics with fixed seeds.

``python -m derivations.render.figures`` rewrites every SVG in ``docs/figures/`` (the
files that :data:`derivations.document.FIGURES` shows beside the claims) and,
beside each, a JSON file with the numbers it plots; ``--check`` writes nothing
and fails when a committed file differs. Drawing needs matplotlib, the optional
``docs`` extra (``pip install ".[docs]"``); the numbers need only NumPy, so the
tests check that the committed numbers are fresh (:func:`stale_data`) on every
machine, with or without matplotlib:

>>> data = conditioning_data()
>>> bool(np.allclose(data["pseudo_inverse_norm"], 1 / data["smallest"], rtol=1e-6))
True

The SVG files are byte-identical across runs on one matplotlib version: the
hash salt of the SVG ids is fixed, glyphs are written as paths, and the file
carries no date and no creator (:func:`write_svg`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy

from derivations.notation import PseudoInverse, SpectralNorm, W
from derivations.render.printer import latex

__all__ = [
    "DRAWINGS",
    "Drawing",
    "conditioning_data",
    "convergence_data",
    "data_with_spectrum",
    "draw_conditioning",
    "draw_convergence",
    "draw_weight_decay",
    "conditioning_tolerance",
    "main",
    "remedy",
    "stale_data",
    "training_tolerance",
    "weight_decay_data",
    "write_data",
    "write_svg",
]

#: Where ``docs/figures`` is in a source checkout.
FIGURE_DIRECTORY = Path(__file__).resolve().parents[2] / "docs" / "figures"

#: matplotlib settings that make the SVG bytes depend only on the data.
SVG_SETTINGS = {
    "svg.hashsalt": "tied-weights",
    "svg.fonttype": "path",
    "path.simplify": False,
    # Drawn 5 inches wide and shown at most 46rem wide: on a 390 px phone the figure is
    # scaled by about 0.75, so 12 pt text stays about 12 px high.
    "font.size": 12.0,
    "legend.fontsize": 11.0,
    "axes.grid": True,
    "grid.alpha": 0.3,
}

_SEED = 20_261_126
#: Eigenvalues of ``S = X X^T`` for the training figures: distinct, well separated.
EIGENVALUES = (4.0, 3.0, 2.0, 1.0, 0.5, 0.25)
CODE_SIZE = 3
#: Weight decay of the F4 figure: with mu = 2 the limits sqrt(1 - mu / (2 lambda_i)) are
#: 0.87, 0.82, 0.71.
WEIGHT_DECAY = 2.0


def label(expr) -> str:
    r"""A formula for a matplotlib label, printed by the document's printer (as in the text).

    >>> from derivations.notation import PseudoInverse, SpectralNorm, W
    >>> label(SpectralNorm(W.T - PseudoInverse(W)))
    '$\\left\\|W^{T} - W^{+}\\right\\|_{2}$'
    """
    return f"${latex(expr)}$"


def limit_label(variable, limit) -> str:
    """``variable -> limit`` for a legend, both printed by the document's printer."""
    return f"${latex(variable)} \\to {latex(limit)}$"


def _random_orthonormal(rows: int, columns: int, rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((rows, columns)))
    return q * np.sign(np.diag(r))


def data_with_spectrum(eigenvalues=EIGENVALUES, *, samples: int = 50,
                       seed: int = _SEED) -> np.ndarray:
    """Centred data ``X`` (``d x samples``) with ``X X^T = U diag(eigenvalues) U^T``.

    ``X = U diag(sqrt(eigenvalues)) V^T`` with random orthonormal ``U`` and a
    ``V`` whose columns are orthonormal and orthogonal to the all-ones vector,
    so every row of ``X`` sums to zero.

    >>> X = data_with_spectrum((2.0, 1.0), samples=5)
    >>> bool(np.allclose(np.linalg.eigvalsh(X @ X.T), [1.0, 2.0])), bool(np.allclose(X.sum(1), 0))
    (True, True)
    """
    values = np.asarray(eigenvalues, dtype=float)
    rng = np.random.default_rng(seed)
    rotation = _random_orthonormal(values.size, values.size, rng)
    draws = rng.standard_normal((samples, values.size))
    centred = draws - draws.mean(axis=0)
    samples_basis, _ = np.linalg.qr(centred)
    return (rotation * np.sqrt(values)) @ samples_basis.T


def convergence_data(*, steps: int = 200, seed: int = _SEED):
    """F3 and A4 in numbers: tied gradient descent from a small random start.

    Returns the :class:`~verify.training.Training` of ``train_tied`` on
    :func:`data_with_spectrum` with code size 3; its history holds
    ``||W^T W - I||_2`` and ``||W^T - W^+||_2`` after every step.
    """
    from verify.training import train_tied

    return train_tied(data_with_spectrum(seed=seed), CODE_SIZE, steps=steps, seed=seed)


def weight_decay_data(*, weight_decay: float, steps: int = 100, every: int = 1,
                      seed: int = _SEED) -> tuple[np.ndarray, np.ndarray]:
    """F4 in numbers: the singular values of ``W`` along tied gradient descent.

    Training is run in chunks of ``every`` steps, each chunk starting where the
    last one stopped (no randomness after the first), and the singular values
    are recorded after each chunk. Returns ``(step numbers, singular values)``.
    """
    from verify.training import train_tied

    X = data_with_spectrum(seed=seed)
    weights = None
    numbers, values = [], []
    for number in range(0, steps + 1, every):
        chunk = 0 if number == 0 else every
        weights = train_tied(X, CODE_SIZE, steps=chunk, weight_decay=weight_decay,
                             initial=weights, seed=seed).weights
        numbers.append(number)
        values.append(np.linalg.svd(weights, compute_uv=False))
    return np.array(numbers), np.array(values)


def conditioning_data(*, shape: tuple[int, int] = (6, 3), largest: float = 1.0,
                      smallest=None, seed: int = _SEED) -> dict[str, np.ndarray]:
    """F7 in numbers: the norms of ``W^T`` and ``W^+`` as ``sigma_min`` goes to 0.

    ``W = U diag(largest, middle, s) V^T`` with fixed random orthonormal ``U``,
    ``V``; for each ``s`` in ``smallest`` (default ``1`` down to ``1e-8``) the
    spectral norms are measured with NumPy (``numpy.linalg.pinv`` keeps
    singular values above ``1e-15 sigma_max``, far below the smallest ``s`` here).
    """
    rows, columns = shape
    smallest = np.logspace(0, -8, 33) * largest if smallest is None else np.asarray(smallest)
    rng = np.random.default_rng(seed)
    left = _random_orthonormal(rows, columns, rng)
    right = _random_orthonormal(columns, columns, rng)
    transpose_norm, pseudo_inverse_norm = [], []
    for s in smallest:
        sigma = np.linspace(largest, s, columns)
        weights = (left * sigma) @ right.T
        transpose_norm.append(np.linalg.norm(weights.T, 2))
        pseudo_inverse_norm.append(np.linalg.norm(np.linalg.pinv(weights), 2))
    return {"smallest": smallest, "transpose_norm": np.array(transpose_norm),
            "pseudo_inverse_norm": np.array(pseudo_inverse_norm)}


def draw_conditioning(figure, data: dict[str, np.ndarray]) -> None:
    """Figure for F7: ``||W^+||_2 = 1/sigma_min`` blows up, ``||W^T||_2`` does not.

    The measured ``||W^+||_2`` lies on ``1/sigma_min``: it is drawn as markers
    under the thin dashed reference line, so both stay visible.
    """
    axes = figure.subplots()
    sigma_min = sympy.Symbol("sigma_min", positive=True)
    axes.loglog(data["smallest"], data["pseudo_inverse_norm"], "o", markersize=6,
                markerfacecolor="none", color="#b2182b",
                label=label(SpectralNorm(PseudoInverse(W))) + " (NumPy pinv)")
    axes.loglog(data["smallest"], data["transpose_norm"], "s-", markersize=4,
                color="#2166ac", label=label(SpectralNorm(W.T)))
    axes.loglog(data["smallest"], 1 / data["smallest"], "--", color="black", linewidth=1,
                zorder=3, label=label(1 / sigma_min))
    axes.invert_xaxis()
    axes.set_xlabel(label(sigma_min) + ", smallest singular value of " + label(W))
    axes.set_ylabel("spectral norm")
    axes.set_title("F7: near rank deficiency")
    axes.legend(loc="upper left")


def _convergence_series() -> dict[str, np.ndarray]:
    training = convergence_data()
    return {"step": np.arange(training.steps + 1),
            "transpose_pseudo_inverse_gap": training.transpose_pseudo_inverse_gap,
            "orthonormality_defect": training.orthonormality_defect}


def draw_convergence(figure, data: dict[str, np.ndarray]) -> None:
    """Figure for F3 (and A4): both distances from orthonormality fall to zero.

    Near orthonormality both are about ``2 max |sigma_i - 1|``, so the curves
    meet: the gap is a thick solid line, the defect a dashed line with markers.
    """
    axes = figure.subplots()
    # The log scale cannot show an exact 0; values at the rounding floor are shown there.
    floor = np.finfo(float).eps
    axes.semilogy(data["step"], np.maximum(data["transpose_pseudo_inverse_gap"], floor),
                  color="#b2182b", linewidth=3, alpha=0.7,
                  label=label(SpectralNorm(W.T - PseudoInverse(W))))
    axes.semilogy(data["step"], np.maximum(data["orthonormality_defect"], floor),
                  color="#2166ac", linestyle="--", linewidth=1.5, marker="o", markevery=10,
                  markersize=4, label=label(SpectralNorm(W.T * W - sympy.Identity(W.shape[1]))))
    axes.set_xlabel("gradient descent step on the tied loss")
    axes.set_ylabel("distance (spectral norm)")
    axes.set_title("F3: " + label(W.T) + " becomes " + label(PseudoInverse(W)))
    axes.legend(loc="upper right")


def _weight_decay_series() -> dict[str, np.ndarray]:
    from verify.autoencoder import weight_decay_singular_values

    steps, without = weight_decay_data(weight_decay=0.0)
    _, decayed = weight_decay_data(weight_decay=WEIGHT_DECAY)
    limits = weight_decay_singular_values(np.array(EIGENVALUES[:CODE_SIZE]), WEIGHT_DECAY)
    return {"step": steps, "singular_values_without_weight_decay": without,
            "singular_values_with_weight_decay": decayed, "limits_with_weight_decay": limits}


def draw_weight_decay(figure, data: dict[str, np.ndarray]) -> None:
    """Figure for F4: singular values go to 1 without weight decay, below 1 with it."""
    decay, eigenvalue = sympy.Symbol("mu", positive=True), sympy.Symbol("lambda_i")
    sigma = sympy.Symbol("sigma_i", positive=True)
    steps, limits = data["step"], data["limits_with_weight_decay"]
    panels = figure.subplots(2, 1, sharex=True, sharey=True)
    for axes, weight_decay in zip(panels, (0.0, WEIGHT_DECAY), strict=True):
        values = data["singular_values_with_weight_decay" if weight_decay
                      else "singular_values_without_weight_decay"]
        axes.plot(steps, values, color="#2166ac", linewidth=2)
        if weight_decay:
            axes.hlines(limits, steps[0], steps[-1], colors="black", linestyles="--",
                        linewidth=1, zorder=3,
                        label=limit_label(sigma, sympy.sqrt(1 - decay / (2 * eigenvalue))))
            axes.set_title("with weight decay "
                           + label(sympy.Eq(decay, sympy.nsimplify(weight_decay))))
            axes.set_xlabel("gradient descent step")
        else:
            axes.hlines(1.0, steps[0], steps[-1], colors="black", linestyles="--", linewidth=1,
                        zorder=3, label=limit_label(sigma, sympy.Integer(1)))
            axes.set_title("without weight decay")
        axes.set_ylabel("singular values " + label(sigma))
        axes.legend(loc="lower right")
    figure.suptitle("F4: weight decay keeps " + label(sigma) + " below 1")


@dataclass(frozen=True)
class Drawing:
    """A figure: the numbers it shows (NumPy only) and how to draw them (matplotlib)."""

    data: Callable[[], dict[str, np.ndarray]]
    draw: Callable[..., None]
    #: The absolute tolerance of every number (same keys and shapes as ``data``): how far
    #: another machine's rounding may move it. Each function states its bound.
    tolerance: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]
    #: Width and height in inches: 5 wide, so that text stays readable on a phone.
    size: tuple[float, float] = (5.0, 3.75)


#: The unit roundoff of float64, in which every figure's numbers are computed.
UNIT_ROUNDOFF = np.finfo(np.float64).eps / 2


def conditioning_tolerance(data: dict[str, np.ndarray], *,
                           shape: tuple[int, int] = (6, 3)) -> dict[str, np.ndarray]:
    """How far rounding may move the F7 numbers: ``10 m n u kappa`` relative.

    ``W`` is ``m x n`` with ``kappa = sigma_max / sigma_min``. Forming
    ``W = U diag(sigma) V^T`` perturbs it by at most ``n sqrt(m n) u ||W||_2``
    (``gamma_n`` per entry), and a LAPACK SVD is backward stable: its singular
    values are exact for a ``W + Delta`` with ``||Delta||_2 <= p(m, n) u ||W||_2``
    (LAPACK Users' Guide, "Error Bounds for the Singular Value Decomposition"; we
    take ``p(m, n) = m n``). By Weyl's inequality each singular value then moves by
    at most ``(n sqrt(m n) + m n) u ||W||_2``, so ``1/sigma_min`` moves by that
    times ``kappa`` relative, and ``numpy.linalg.norm(W^+, 2)``, a second SVD, adds
    ``m n u`` relative. ``10 m n`` covers the sum. At ``sigma_min = 1e-8`` this is
    ``2e-6`` relative: the measured spread over OpenBLAS kernels is ``3.3e-9``,
    far above a guessed ``1e-9``. ``smallest`` is ``numpy.logspace``, one power
    each: ``4 u`` relative (a correctly rounded or 1-ulp ``pow``).

    >>> data = conditioning_data()
    >>> tolerance = conditioning_tolerance(data)
    >>> float(tolerance["pseudo_inverse_norm"][-1] / data["pseudo_inverse_norm"][-1]) < 1e-5
    True
    """
    rows, columns = shape
    factor = 10 * rows * columns * UNIT_ROUNDOFF
    condition = np.max(data["transpose_norm"]) / data["smallest"]
    return {"smallest": 4 * UNIT_ROUNDOFF * np.abs(data["smallest"]),
            "transpose_norm": factor * np.abs(data["transpose_norm"]),
            "pseudo_inverse_norm": factor * condition * np.abs(data["pseudo_inverse_norm"])}


def training_tolerance(data: dict[str, np.ndarray], *, steps: int,
                       shape: tuple[int, int] = (len(EIGENVALUES), CODE_SIZE),
                       ) -> dict[str, np.ndarray]:
    """How far rounding may move the numbers of a training figure (F3, F4).

    One gradient step on the tied loss forms products of ``d x d``, ``d x k`` and
    ``k x k`` matrices: its rounding error is at most ``10 d k u`` times the scale
    of the iterate. Over ``T`` steps of an iteration that does not amplify errors
    (measured here: the descent contracts after its first steps, and the spread over
    OpenBLAS kernels is below ``2e-13``, ``1.5e-13`` at the rounding floor), the
    errors add up to ``10 d k T u`` times the largest value a series takes. The
    series' values at the rounding floor (about ``1e-14``) differ between machines
    only there, within this absolute bound. The step numbers are exact.

    >>> data = _weight_decay_series()
    >>> tolerance = training_tolerance(data, steps=100)
    >>> print(f"{tolerance['singular_values_with_weight_decay'].max():.1e}")
    1.7e-12
    """
    rows, columns = shape
    factor = 10 * rows * columns * steps * UNIT_ROUNDOFF
    return {key: (np.zeros(np.shape(value)) if key == "step"
                  else np.full(np.shape(value), factor * np.max(np.abs(value))))
            for key, value in data.items()}


#: Every figure file (under ``docs/figures``): its numbers, their tolerance and its drawing.
DRAWINGS: dict[str, Drawing] = {
    "f3_gradient_descent.svg": Drawing(
        _convergence_series, draw_convergence,
        lambda data: training_tolerance(data, steps=len(data["step"]) - 1)),
    "f4_weight_decay.svg": Drawing(
        _weight_decay_series, draw_weight_decay,
        lambda data: training_tolerance(data, steps=int(data["step"][-1])), size=(5.0, 6.0)),
    "f7_conditioning.svg": Drawing(conditioning_data, draw_conditioning,
                                   conditioning_tolerance),
}


def data_path(svg: Path) -> Path:
    """The JSON file of a figure's numbers, beside its SVG."""
    return svg.with_suffix(".json")


def write_data(data: dict[str, np.ndarray], path: Path) -> None:
    """Write the numbers as JSON: one key per series, floats as their shortest exact repr."""
    series = {key: np.asarray(value).tolist() for key, value in data.items()}
    path.write_text(json.dumps(series, sort_keys=True) + "\n", encoding="utf-8")


def stale_data(directory: Path = FIGURE_DIRECTORY) -> list[str]:
    """The JSON files in ``directory`` that are missing or differ from freshly computed numbers.

    A number differs when it is further from the fresh one than its figure's
    ``tolerance`` allows (:func:`conditioning_tolerance`, :func:`training_tolerance`).

    >>> stale_data()
    []
    """
    stale = []
    for name, drawing in DRAWINGS.items():
        path = data_path(directory / name)
        try:
            committed = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stale.append(str(path))
            continue
        fresh = drawing.data()
        tolerance = drawing.tolerance(fresh)
        if set(committed) != set(fresh) or not all(
            np.shape(committed[key]) == np.shape(value)
            and bool(np.all(np.abs(np.asarray(committed[key], dtype=float) - value)
                            <= tolerance[key]))
            for key, value in fresh.items()
        ):
            stale.append(str(path))
    return stale


def remedy() -> str:
    """The command that regenerates the figures with what is installed here.

    Drawing needs matplotlib (the ``docs`` extra); without it the command installs it first.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return 'pip install ".[docs]" && python -m derivations.render.figures'
    return "python -m derivations.render.figures"


def write_svg(drawing: Drawing, path: Path, *, size: tuple[float, float] | None = None,
              data: dict[str, np.ndarray] | None = None) -> None:
    """Draw into a fresh figure and save it as a deterministic SVG at ``path``."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(SVG_SETTINGS)
        figure = Figure(figsize=size or drawing.size, layout="constrained")
        drawing.draw(figure, drawing.data() if data is None else data)
        figure.savefig(path, format="svg", metadata={"Date": None, "Creator": None})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m derivations.render.figures",
        description="Regenerate the SVG figures of the docs (needs matplotlib: the docs extra).")
    parser.add_argument("--output", type=Path, default=FIGURE_DIRECTORY,
                        help="directory to write the SVG files (default: docs/figures)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if a committed figure differs")
    args = parser.parse_args(argv)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print('matplotlib is missing: pip install ".[docs]"', file=sys.stderr)
        return 2
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) if args.check else args.output
        target.mkdir(parents=True, exist_ok=True)
        stale = stale_data(args.output) if args.check else []
        for name, drawing in DRAWINGS.items():
            data = drawing.data()
            write_svg(drawing, target / name, data=data)
            if args.check:
                committed = args.output / name
                fresh = (target / name).read_bytes()
                if not committed.is_file() or committed.read_bytes() != fresh:
                    stale.append(str(committed))
            else:
                write_data(data, data_path(target / name))
                print(f"wrote {target / name} and {data_path(target / name).name}")
    if stale:
        print(f"STALE: {', '.join(stale)}; run `{remedy()}` and commit the result.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
