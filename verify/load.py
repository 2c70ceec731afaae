"""Load a weight matrix from a file, safely: never unpickle, never load past a size limit.

Supported formats, chosen by the file's extension (case-insensitive):

- ``.npy``: one array (``numpy.save``).
- ``.npz``: an archive of named arrays (``numpy.savez``); pick one with ``key=``.
  An archive holding exactly one array needs no key.
- ``.csv``, ``.txt``: numbers in rows, read with ``numpy.loadtxt``; the delimiter
  (comma, semicolon, tab or whitespace) is sniffed from the first data line unless
  given. Lines starting with ``#`` are comments.

Nothing is ever unpickled: binary arrays are read with ``allow_pickle=False`` and an
object (pickled) array is refused from its header, before any of its bytes are read.
The size limit is checked from the file size and, for ``.npy``/``.npz``, from the
array header (an ``.npz`` member's uncompressed size), before loading.

A file problem raises :class:`WeightFileError`; what is *in* the array (its shape,
dtype and values) is checked later by :func:`verify._validation.as_real_matrix`.

>>> import numpy as np, tempfile, os
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "W.csv")
>>> np.savetxt(path, np.eye(3, 2), delimiter=",")
>>> load_weights(path)
array([[1., 0.],
       [0., 1.],
       [0., 0.]])
"""

from __future__ import annotations

import os
import warnings
import zipfile
from pathlib import Path

import numpy as np

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "WeightFileError",
    "load_weights",
    "npz_keys",
]

#: Refuse files (or ``.npz`` members) larger than this unless told otherwise: 2 GiB.
DEFAULT_MAX_BYTES = 2 * 1024**3

#: The extensions :func:`load_weights` understands.
SUPPORTED_EXTENSIONS = (".npy", ".npz", ".csv", ".txt")

# Delimiters tried, in this order, on the first data line of a text file; none of
# them found means numbers separated by whitespace.
_SNIFFED_DELIMITERS = (",", ";", "\t")


class WeightFileError(ValueError):
    """A weight file cannot be used: missing, unreadable, of an unknown format,
    too large, pickled, or an ``.npz`` key that is missing or ambiguous.

    A subclass of :class:`ValueError`, like
    :class:`verify._validation.InvalidMatrixError` (which reports problems with the
    matrix itself), so ``except ValueError`` catches both.
    """


def load_weights(
    path: str | os.PathLike,
    *,
    key: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> np.ndarray:
    """Return the array stored in ``path`` (not yet validated as a matrix).

    ``key`` picks an array of an ``.npz`` archive; ``delimiter`` overrides the
    sniffed delimiter of a text file; ``max_bytes`` bounds the file size and the
    array size announced by a binary header. Raises :class:`WeightFileError`.
    """
    path = Path(path)
    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise WeightFileError(
            f"{path}: unknown file extension {extension or '(none)'!r}; expected one of "
            f"{', '.join(SUPPORTED_EXTENSIONS)}"
        )
    if key is not None and extension != ".npz":
        raise WeightFileError(
            f"{path}: --key (key=) applies to .npz archives only; got a {extension} file")
    if delimiter is not None and extension not in (".csv", ".txt"):
        raise WeightFileError(
            f"{path}: a delimiter applies to .csv/.txt files only; got a {extension} file")
    if max_bytes <= 0:
        raise WeightFileError(f"max_bytes must be positive; got {max_bytes}")
    _check_file_size(path, max_bytes)
    try:
        if extension == ".npy":
            with open(path, "rb") as stream:
                return _read_npy(stream, source=str(path), max_bytes=max_bytes)
        if extension == ".npz":
            return _read_npz_member(path, key=key, max_bytes=max_bytes)
        return _read_text(path, delimiter=delimiter)
    except WeightFileError:
        raise
    except OSError as error:
        raise WeightFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except (ValueError, EOFError, zipfile.BadZipFile) as error:
        message = f"{path}: not a valid {extension} file ({_one_line(error)})"
        raise WeightFileError(message) from None


def npz_keys(path: str | os.PathLike) -> list[str]:
    """The names of the arrays in an ``.npz`` archive, in stored order.

    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
    >>> np.savez(path, encoder=np.eye(2), decoder=np.eye(2))
    >>> npz_keys(path)
    ['encoder', 'decoder']
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return [name[: -len(".npy")] for name in archive.namelist() if name.endswith(".npy")]
    except OSError as error:
        raise WeightFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except zipfile.BadZipFile as error:
        raise WeightFileError(f"{path}: not a valid .npz file ({_one_line(error)})") from None


def _check_file_size(path: Path, max_bytes: int) -> None:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise WeightFileError(f"{path}: no such file") from None
    except OSError as error:
        raise WeightFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if not path.is_file():
        raise WeightFileError(f"{path}: not a regular file")
    if status.st_size > max_bytes:
        raise WeightFileError(
            f"{path}: the file has {status.st_size} bytes, more than the limit of {max_bytes} "
            "bytes; raise it with --max-bytes (max_bytes=) if this is intended"
        )


def _read_npy(stream, *, source: str, max_bytes: int) -> np.ndarray:
    """Read one ``.npy`` stream, refusing object dtypes and oversize arrays from the header."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(stream)
    elif version in ((2, 0), (3, 0)):
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(stream)
    else:  # read_magic accepts any version; the header readers do not.
        raise WeightFileError(f"{source}: unsupported .npy format version {version}")
    if dtype.hasobject:
        raise WeightFileError(
            f"{source}: holds a pickled object array (dtype {dtype}); pickles can run code, so "
            "they are never loaded. Save the weights as a numeric array, e.g. "
            "np.save(path, np.asarray(W, dtype=float))"
        )
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if size > max_bytes:
        raise WeightFileError(
            f"{source}: the array of shape {shape} and dtype {dtype} takes {size} bytes, more "
            f"than the limit of {max_bytes} bytes; raise it with --max-bytes (max_bytes=)"
        )
    # Rewind and let numpy read the whole thing, still without pickles.
    stream.seek(0)
    return np.lib.format.read_array(stream, allow_pickle=False)


def _read_npz_member(path: Path, *, key: str | None, max_bytes: int) -> np.ndarray:
    keys = npz_keys(path)
    if not keys:
        raise WeightFileError(f"{path}: the archive holds no arrays")
    if key is None:
        if len(keys) > 1:
            raise WeightFileError(
                f"{path}: the archive holds {len(keys)} arrays ({', '.join(keys)}); "
                "choose one with --key (key=)"
            )
        key = keys[0]
    elif key not in keys:
        raise WeightFileError(
            f"{path}: no array named {key!r}; the archive holds {', '.join(keys)}")
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo(key + ".npy")
        if member.file_size > max_bytes:  # the uncompressed size: guards against zip bombs
            raise WeightFileError(
                f"{path}: array {key!r} takes {member.file_size} bytes uncompressed, more than "
                f"the limit of {max_bytes} bytes; raise it with --max-bytes (max_bytes=)"
            )
        with archive.open(member) as stream:
            return _read_npy(stream, source=f"{path}[{key}]", max_bytes=max_bytes)


def _read_text(path: Path, *, delimiter: str | None) -> np.ndarray:
    if delimiter is None:
        delimiter = _sniff_delimiter(path)
    with warnings.catch_warnings():
        # An empty file warns "input contained no data"; the empty array it returns
        # is refused, with a clearer message, by the matrix validation.
        warnings.simplefilter("ignore", UserWarning)
        # A text file's layout is rows by columns, so one row or column is a matrix too.
        return np.loadtxt(path, delimiter=delimiter, comments="#", ndmin=2, dtype=np.float64)


def _sniff_delimiter(path: Path) -> str | None:
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            data = line.split("#", 1)[0].strip()
            if data:
                return next((mark for mark in _SNIFFED_DELIMITERS if mark in data), None)
    return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
