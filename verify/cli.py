"""The practitioner's check: ``tied-weights check FILE`` (or ``python -m verify check FILE``).

Is a trained tied autoencoder's weight matrix at the orthonormal optimum, so that
decoding with ``W^T`` really is decoding with the pseudo-inverse ``W^+``? If not,
which claim explains why? The command loads the matrix (never unpickling it),
runs :func:`verify.diagnosis.diagnose` and prints the report, as text or JSON.

Exit status: 0 with a verdict (whatever it is); 2 for unusable input (a file
problem or a matrix that cannot be checked), with one line on stderr; 1 when
the report cannot be written (its reader closed the pipe).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys

from verify._validation import InvalidMatrixError
from verify.diagnosis import ORIENTATIONS, diagnose
from verify.load import DEFAULT_MAX_BYTES, SUPPORTED_EXTENSIONS, WeightFileError, load_weights

__all__ = ["main", "build_parser"]

#: Exit status for a file or matrix that cannot be checked (and for usage errors).
EXIT_UNUSABLE = 2
#: Exit status when the report could not be written because its reader closed the pipe.
EXIT_BROKEN_PIPE = 1

_ORIENTATION_HELP = (
    "how FILE stores the weights. 'decoder' (default): a d x k matrix W, d inputs by k "
    "code units, the W of the tied autoencoder x -> W W^T x whose columns should be "
    "orthonormal (W^T W = I). 'encoder': a k x d matrix, the W^T of that autoencoder "
    "(e.g. a PyTorch nn.Linear(d, k).weight); it is transposed first."
)

_BYTE_UNITS = {"": 1, "b": 1, "k": 1024, "kib": 1024, "m": 1024**2, "mib": 1024**2,
               "g": 1024**3, "gib": 1024**3}


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog or "tied-weights",
        description="Check whether trained tied-autoencoder weights W are at the orthonormal "
                    "optimum, where the transpose W^T is the pseudo-inverse W^+.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="diagnose one weight matrix",
        description="Report the shape, numerical rank, singular values, orthonormality "
                    "defect ||W^T W - I||_2 and the gap ||W^T - W^+||_2 of a weight matrix, "
                    "with a verdict: 'orthonormal columns', 'partial isometry' or 'neither', "
                    "and for 'neither' the claim that explains it (F2 rank-deficient weights, "
                    "F4 weight decay, P4 more code units than inputs, F3 not yet at a critical "
                    "point). Exit status 0 with a verdict, 2 for unusable input.",
        epilog="Formats: " + ", ".join(SUPPORTED_EXTENSIONS) + ". Files are never unpickled.",
    )
    check.add_argument("file", metavar="FILE", help="the weights: .npy, .npz, .csv or .txt")
    check.add_argument("--key",
                       help="which array of an .npz archive (needed when it holds several)")
    check.add_argument("--delimiter", type=_delimiter,
                       help=r"column separator of a .csv/.txt file (default: sniffed among "
                            r"',', ';', tab and whitespace); write a tab as '\t' or 'tab'")
    check.add_argument("--orientation", choices=ORIENTATIONS, default="decoder",
                       help=_ORIENTATION_HELP)
    check.add_argument("--json", action="store_true",
                       help="print the report as JSON (the fields of Diagnosis.to_dict())")
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
    except SystemExit as exit_:  # --help, or a usage error already printed by argparse
        return exit_.code if isinstance(exit_.code, int) else EXIT_UNUSABLE
    if args.command is None:
        parser.print_usage(sys.stderr)
        return EXIT_UNUSABLE
    return _check(args, prog=parser.prog)


def _check(args: argparse.Namespace, *, prog: str) -> int:
    try:
        weights = load_weights(args.file, key=args.key, delimiter=args.delimiter,
                               max_bytes=args.max_bytes)
        diagnosis = diagnose(weights, orientation=args.orientation)
    except (WeightFileError, InvalidMatrixError) as error:
        return _unusable(prog, str(error))
    except MemoryError:
        return _unusable(prog, f"{args.file}: not enough memory to load and check this matrix; "
                               "try a machine with more memory")
    if args.json:
        text = json.dumps(diagnosis.to_dict(), indent=2, allow_nan=False)
    else:
        source = args.file if args.key is None else f"{args.file} [{args.key}]"
        text = f"Weights: {source}\n{diagnosis.report()}"
    return 0 if _emit(text) else EXIT_BROKEN_PIPE


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


def _delimiter(text: str) -> str:
    spelled = {r"\t": "\t", "tab": "\t"}
    delimiter = spelled.get(text.lower(), text)
    if not delimiter:
        raise argparse.ArgumentTypeError("expected a non-empty delimiter")
    return delimiter
