"""The practitioner's check: ``tied-weights check FILE...`` (or ``python -m verify check``).

Is a trained tied autoencoder's weight matrix at the orthonormal optimum, so that
decoding with ``W^T`` really is decoding with the pseudo-inverse ``W^+``? If not,
which claim explains why? The command loads every 2-D weight of the files
given (never unpickling them, see :mod:`verify.load`), runs
:func:`verify.diagnosis.diagnose` on each at the precision it was stored in, and
prints the report of one matrix, or one table for several, as text or JSON.

Exit status: 0 with a verdict for every matrix; 2 for unusable input (a usage
error, a file problem or a matrix that cannot be checked), with one line on
stderr per problem (the verdicts of the other matrices are still printed);
1 when the report cannot be written (its reader closed the pipe).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys

import numpy as np

from verify._claims import SECTION_TITLES, where_to_read
from verify._validation import InvalidMatrixError
from verify.diagnosis import LINEAR_FOOTER, ORIENTATIONS, choose_orientation, diagnose
from verify.load import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_EXTENSIONS,
    LoadedWeights,
    WeightFileError,
    read_weights,
)

__all__ = ["main", "build_parser", "package_version"]

#: Exit status for a file or matrix that cannot be checked (and for usage errors).
EXIT_UNUSABLE = 2
#: Exit status when the report could not be written because its reader closed the pipe.
EXIT_BROKEN_PIPE = 1

_ORIENTATION_HELP = (
    "how FILE stores the weights. 'auto' (default): PyTorch's convention, the smaller side "
    "is the code (k <= d), so a wide matrix is an encoder and a tall one a decoder; the "
    "report says which it assumed. 'decoder': a d x k matrix W, d inputs by k "
    "code units, the W of the tied autoencoder x -> W W^T x whose columns should be "
    "orthonormal (W^T W = I). 'encoder': a k x d matrix, the W^T of that autoencoder "
    "(e.g. a PyTorch nn.Linear(d, k).weight, stored out x in); it is transposed first."
)

_BYTE_UNITS = {"": 1, "b": 1, "k": 1024, "kib": 1024, "m": 1024**2, "mib": 1024**2,
               "g": 1024**3, "gib": 1024**3}
_STALE_ANCHOR = re.compile(r"docs/derivations\.md#([a-z]\d+)")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that points to ``--help``."""

    def error(self, message: str):
        self.exit(EXIT_UNUSABLE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _Version(argparse.Action):
    """``--version``, looked up only when asked (package metadata is slow to import)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help="print the version and exit"):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {package_version()}")
        parser.exit(0)


def package_version() -> str:
    """The installed distribution's version, else the source tree's ``pyproject.toml``'s."""
    from importlib import metadata

    try:
        return metadata.version("tied-weights")
    except metadata.PackageNotFoundError:
        pass
    pyproject = os.path.join(os.path.dirname(os.path.dirname(__file__)), "pyproject.toml")
    with contextlib.suppress(OSError):
        with open(pyproject, encoding="utf-8") as stream:
            found = re.search(r'(?m)^version\s*=\s*"([^"]+)"', stream.read())
        if found:
            return found.group(1)
    return "(version unknown: not installed)"


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog or "tied-weights",
        description="Check whether trained tied-autoencoder weights W are at the orthonormal "
                    "optimum, where the transpose W^T is the pseudo-inverse W^+.",
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="diagnose weight matrices",
        description="Report the shape, numerical rank, singular values, orthonormality "
                    "defect ||W^T W - I||_2 and the gap ||W^T - W^+||_2 of a weight matrix, "
                    "with a verdict: 'orthonormal columns', 'partial isometry' or 'neither', "
                    "and for 'neither' the claims that explain it. Every 2-D weight of every "
                    "FILE is checked, at the precision it was stored in; several give one "
                    "table. Exit status 0 with a verdict for each, 2 for unusable input.",
        epilog="Formats: " + ", ".join(SUPPORTED_EXTENSIONS) + ". Files are never unpickled "
               "(.pt/.pth only through torch.load(weights_only=True), when PyTorch is "
               "installed).",
    )
    check.add_argument("files", nargs="+", metavar="FILE",
                       help="the weights: .npy, .npz, .safetensors, .pt/.pth, .csv or .txt")
    check.add_argument("--key",
                       help="check only the array of this name (.npz, .safetensors, .pt)")
    check.add_argument("--delimiter", type=_delimiter,
                       help=r"column separator of a .csv/.txt file (default: sniffed among "
                            r"',', ';', tab and whitespace); write a tab as '\t' or 'tab'")
    check.add_argument("--orientation", choices=ORIENTATIONS, default="auto",
                       help=_ORIENTATION_HELP)
    check.add_argument("--data", metavar="X",
                       help="the training data, samples as rows (n x d; .npy, .npz, .csv, "
                            ".txt, .safetensors): measures what the weights alone cannot "
                            "(excess loss over the PCA optimum, principal angles, the weight "
                            "decay fit) and picks the explanation; applied to each weight "
                            "whose input size d matches its columns, the others say why not")
    check.add_argument("--data-key", metavar="NAME",
                       help="which array of the --data file, when it holds several")
    check.add_argument("--nonlinear", action="store_true",
                       help="the weights are layers of a nonlinear model (tanh, ReLU, ...): "
                            "the linear theory assumes linear layers, so only the linear "
                            "algebra (W^T vs W^+, P1 to P5) is reported, no verdict on "
                            "convergence or weight decay, and --data is not used")
    check.add_argument("--tolerance", type=_tolerance, metavar="T",
                       help="bound on |sigma^2 - 1| instead of the one derived from the "
                            "stored precision; needs --tolerance-reason")
    check.add_argument("--tolerance-reason", metavar="TEXT",
                       help="why the tolerance is overridden (printed in the report)")
    check.add_argument("--json", action="store_true",
                       help="print the report as JSON: always a list, one object per weight "
                            "with 'schema' (its version), 'weights' (its name) and the fields "
                            "of Diagnosis.to_dict(), the singular values among them")
    check.add_argument("--max-bytes", type=_byte_count, default=DEFAULT_MAX_BYTES,
                       metavar="SIZE",
                       help="refuse files (or .npz members) larger than SIZE, checked before "
                            "loading; bytes, or with a suffix KiB, MiB, GiB "
                            "(default: 2GiB)")
    return parser


def main(argv: list[str] | None = None, *, prog: str | None = None) -> int:
    """Run the command line; return the exit status (0 verdict, 2 unusable input)."""
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_UNUSABLE
    if args.command is None:
        return _unusable(parser.prog, f"a command is required: check (see {parser.prog} "
                                      "--help)")
    prog = parser.prog
    if (args.tolerance is None) != (args.tolerance_reason is None):
        return _unusable(prog, "--tolerance and --tolerance-reason go together: say why the "
                               "derived tolerance is overridden (see --help)")
    return _check(args, prog=prog)


def _check(args: argparse.Namespace, *, prog: str) -> int:
    status = 0
    try:
        data = _load_data(args)
    except (WeightFileError, InvalidMatrixError) as error:
        return _unusable(prog, str(error))
    results, skipped, notes = [], [], []
    for path in args.files:
        try:
            found = read_weights(path, key=args.key, delimiter=args.delimiter,
                                 max_bytes=args.max_bytes)
        except WeightFileError as error:
            status = _unusable(prog, str(error))
            continue
        skipped += [f"{found.path} [{key}] (shape {shape})" for key, shape in found.skipped]
        for weights in found.weights:
            keywords, unmatched = _keywords(weights, args, data)
            try:
                diagnosis, warned = _diagnose(weights, keywords)
            except ValueError as error:  # InvalidMatrixError: a matrix (or data) unusable
                status = _unusable(prog, f"{weights.name}: {error}")
                continue
            except ArithmeticError as error:  # a bug in the check, said in one line
                status = _unusable(prog, f"{weights.name}: the check failed with "
                                         f"{type(error).__name__} ({error}); please report it")
                continue
            except MemoryError:
                status = _unusable(prog, f"{weights.name}: not enough memory to check this "
                                         "matrix; try a machine with more memory")
                continue
            results.append((weights, diagnosis))
            notes += [(weights.name, note) for note in (*weights.notes, *unmatched, *warned)]
    if not results:
        return status or EXIT_UNUSABLE
    if data is not None:
        notes += [(f"--data {data.name}", note) for note in data.notes]
    if args.json:
        text = _json(results)
    elif len(results) == 1 and len(args.files) == 1:
        text = _single(*results[0], notes=notes, skipped=skipped)
    else:
        text = _table(results, notes=notes, skipped=skipped, prog=prog)
    return status if _emit(text) else EXIT_BROKEN_PIPE


def _diagnose(weights: LoadedWeights, keywords: dict):
    """`diagnose`, with NumPy's floating-point warnings kept for the report, not stderr."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        diagnosis = diagnose(weights.array, **keywords)
    messages = dict.fromkeys(f"NumPy warned: {warning.message}" for warning in caught
                             if issubclass(warning.category, RuntimeWarning))
    return diagnosis, tuple(messages)


def _load_data(args: argparse.Namespace) -> LoadedWeights | None:
    if args.data is None:
        if args.data_key is not None:
            raise WeightFileError("--data-key needs --data")
        return None
    found = read_weights(args.data, key=args.data_key, delimiter=args.delimiter,
                         max_bytes=args.max_bytes)
    if len(found.weights) > 1:
        names = ", ".join(weights.key for weights in found.weights)
        raise WeightFileError(f"--data {args.data}: the file holds several arrays ({names}); "
                              "choose one with --data-key")
    return found.weights[0]


def _keywords(weights: LoadedWeights, args: argparse.Namespace,
              data: LoadedWeights | None) -> tuple[dict, tuple[str, ...]]:
    """The keywords for `diagnose` (the stored dtype, its precision, the data, the
    tolerance), and a note when the data do not fit this weight's inputs."""
    data_array, unmatched = _data_for(weights, args.orientation, data)
    wanted = {"orientation": args.orientation, "dtype_name": weights.dtype_name,
              "data": data_array, "tolerance": args.tolerance,
              "tolerance_reason": args.tolerance_reason, "nonlinear": args.nonlinear or None}
    if weights.unit_roundoff != _own_unit_roundoff(weights.array.dtype):
        wanted["unit_roundoff"] = weights.unit_roundoff  # bfloat16 read as float32, text, ...
    return {name: value for name, value in wanted.items() if value is not None}, unmatched


def _data_for(weights: LoadedWeights, orientation: str, data: LoadedWeights | None):
    """`(data, notes)`: the --data array when its columns are this weight's d inputs; else
    None and one note saying why not (a state dict's other layers have other input sizes)."""
    if data is None or weights.array.ndim != 2 or data.array.ndim != 2:
        return (None if data is None else data.array), ()  # diagnose reports a bad shape
    chosen, _ = choose_orientation(weights.array.shape, orientation)
    rows, columns = weights.array.shape
    d = rows if chosen == "decoder" else columns
    given = data.array.shape[1]
    if given == d:
        return data.array, ()
    transposed = " (samples must be rows: is it transposed?)" if data.array.shape[0] == d else ""
    return None, (f"checked without --data: {data.name} has {given} columns (inputs), but "
                  f"this weight, read as {chosen} ({rows} x {columns} stored), has d = {d} "
                  f"inputs{transposed}",)


def _own_unit_roundoff(dtype: np.dtype) -> float:
    """The unit roundoff of a dtype as `diagnose` assumes it: its own, float64's if exact."""
    if dtype.kind == "f" and dtype.itemsize in (2, 4, 8):
        return float(np.finfo(dtype).eps) / 2
    return 2.0**-53


def _single(weights: LoadedWeights, diagnosis, *, notes: list, skipped: list[str]) -> str:
    lines = [f"Weights: {weights.name}"]
    lines += [f"Note: {note}" if name == weights.name else f"Note: {name}: {note}"
              for name, note in notes]
    lines += [_skipped_line(skipped)] if skipped else []
    lines.append(_point_to_claims(diagnosis.report()))
    return "\n".join(lines)


def _skipped_line(skipped: list[str]) -> str:
    """One line counting the tensors that are not 2-D (biases, norm scales), and naming them."""
    count = len(skipped)
    noun = "tensor" if count == 1 else "tensors"
    return (f"Skipped {count} {noun} not 2-D (biases, norm scales, ...: the check is about "
            f"weight matrices): {', '.join(skipped)}")


def _point_to_claims(report: str) -> str:
    """The report, its pointers to docs/derivations.md (not installed) replaced by the
    claims' section titles and how to render them."""
    lines = report.split("\n")
    for index, line in enumerate(lines):
        claims = _STALE_ANCHOR.findall(line)
        if line.lstrip().startswith("See ") and claims:
            indent = line[: len(line) - len(line.lstrip())]
            lines[index] = f"{indent}See {where_to_read('/'.join(c.upper() for c in claims))}"
    return "\n".join(lines)


_COLUMNS = ("Weights", "d x k", "Stored", "Rank", "Singular values", "Defect", "Tolerance",
            "Verdict")


def _table(results, *, notes: list, skipped: list[str], prog: str) -> str:
    rows = [_COLUMNS]
    for weights, diagnosis in results:
        rows.append((
            weights.name,
            f"{diagnosis.d} x {diagnosis.k}",
            weights.dtype_name,
            f"{diagnosis.rank}",
            _span(diagnosis.sigma_min, diagnosis.sigma_max),
            _number(diagnosis.orthonormality_defect),
            _number(diagnosis.tolerance),
            f"{diagnosis.verdict} ({diagnosis.claim})",
        ))
    widths = [max(len(row[column]) for row in rows) for column in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             .rstrip() for row in rows]
    lines += [f"Note: {name}: {note}" for name, note in notes]
    lines += [_skipped_line(skipped)] if skipped else []
    lines.append(f"The full report of one: {prog} check FILE --key NAME (or one FILE alone).")
    claims = sorted({part for _, diagnosis in results for part in diagnosis.claim.split("/")},
                    key=_claim_order)
    lines += [f"{claim}: see {where_to_read(claim)}" for claim in claims]
    lines.append(LINEAR_FOOTER)
    return "\n".join(lines)


#: The version of the --json schema: a list with one object per weight, each with
#: "schema", "weights" (its name) and the fields of `Diagnosis.to_dict()`.
JSON_SCHEMA = 1


def _json(results) -> str:
    reports = []
    for weights, diagnosis in results:
        report = diagnosis.to_dict()
        if _STALE_ANCHOR.search(str(report.get("see"))):
            report["see"] = where_to_read(diagnosis.claim)
        reports.append({"schema": JSON_SCHEMA, "weights": weights.name, **report})
    return json.dumps(reports, indent=2, allow_nan=False)


def _claim_order(claim: str) -> tuple[int, str]:
    order = list(SECTION_TITLES)
    return (order.index(claim), claim) if claim in order else (len(order), claim)


def _span(low: float, high: float) -> str:
    low, high = _number(low), _number(high)
    return low if low == high else f"{low} to {high}"


def _number(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "inf"


def _emit(text: str) -> bool:
    """Print `text`; False when the reader went away (e.g. `| head`), without a traceback."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False
    return True


def _unusable(prog: str, message: str) -> int:
    print(f"{prog}: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_UNUSABLE


def _byte_count(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z]*)\s*", text)
    unit = match and _BYTE_UNITS.get(match.group(2).lower())
    if not unit or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(
            f"expected a positive number of bytes, optionally with KiB, MiB or GiB; got {text!r}")
    return int(match.group(1)) * unit


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive finite number; got {text!r}")
    return value


def _delimiter(text: str) -> str:
    spelled = {r"\t": "\t", "tab": "\t"}
    delimiter = spelled.get(text.lower(), text)
    if not delimiter:
        raise argparse.ArgumentTypeError("expected a non-empty delimiter")
    return delimiter
