"""Load weight matrices from files, safely: never unpickle, never load past a size limit.

Supported formats, chosen by the file's extension (case-insensitive):

- ``.npy``: one array (``numpy.save``).
- ``.npz``: an archive of named arrays (``numpy.savez``).
- ``.safetensors``: named tensors, read by `verify.safetensors_format` (no
  dependency; bfloat16 is widened exactly to float32).
- ``.pt``, ``.pth``: a PyTorch state dict, through
  ``torch.load(weights_only=True, map_location="cpu")`` when PyTorch is
  installed (`verify.torch_format`); without it, a message with a one-line
  conversion to ``.safetensors``.
- ``.csv``, ``.txt``: numbers in rows (`verify.text_format`): the delimiter is
  sniffed, ``#`` starts a comment, one non-numeric first row (a header) is
  skipped and said so (a row of numbers, hexadecimal floats such as ``0x1.8p-1``
  included, is data), a UTF-8 byte-order mark is dropped, and the precision is
  that of the digits written.

`read_weights` returns every 2-D array of a file (``key=`` picks one by name),
each with the dtype it was stored in and that dtype's unit roundoff, as
`LoadedWeights`; `load_weights` returns the one array of a file as before.

Nothing is ever unpickled: binary arrays are read with ``allow_pickle=False`` and an
object (pickled) array is refused from its header, before any of its bytes are read.
Sizes are checked before anything is allocated: the file size, and each array's
size as its header announces it, against ``max_bytes`` and against the bytes the
file (or ``.npz`` member) really holds.

A file problem raises :class:`WeightFileError`; what is *in* the array (its shape,
dtype and values) is checked later by :func:`verify._validation.as_real_matrix`.

>>> import numpy as np, tempfile, os
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "W.csv")
>>> np.savetxt(path, np.eye(3, 2), delimiter=",", fmt="%.6f")
>>> load_weights(path)
array([[1., 0.],
       [0., 1.],
       [0., 0.]])
>>> [(w.dtype_name, w.unit_roundoff) for w in read_weights(path).weights]
[('text (7 significant digits)', 5e-07)]
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "LoadedWeights",
    "WeightFile",
    "WeightFileError",
    "load_weights",
    "npz_keys",
    "read_weights",
]

#: Refuse files (or ``.npz`` members) larger than this unless told otherwise: 2 GiB.
DEFAULT_MAX_BYTES = 2 * 1024**3

#: The extensions :func:`load_weights` understands.
SUPPORTED_EXTENSIONS = (".npy", ".npz", ".safetensors", ".pt", ".pth", ".csv", ".txt")

_CONTAINERS = (".npz", ".safetensors", ".pt", ".pth")
# numpy.lib.format's max_header_size default: longer headers are refused before reading.
_MAX_NPY_HEADER_BYTES = 10_000


class WeightFileError(ValueError):
    """A weight file cannot be used: missing, unreadable, of an unknown format,
    too large, pickled, or a key that is missing or ambiguous.

    A subclass of :class:`ValueError`, like
    :class:`verify._validation.InvalidMatrixError` (which reports problems with the
    matrix itself), so ``except ValueError`` catches both.
    """


@dataclass(frozen=True)
class LoadedWeights:
    """One array of a file: its name, values, stored dtype and that dtype's unit roundoff.

    `name` is the path, followed by `` [key]`` for an array of a container.
    `array` is float16, float32 or float64 as stored (bfloat16 widened exactly
    to float32, text read into float64); `dtype_name` says how it was stored
    (``"bfloat16"``, ``"text (6 significant digits)"``, ...) and
    `unit_roundoff` is the precision of that storage (`2^-8` for bfloat16,
    `5 * 10^-digits` for text, `2^-53` for integers, exact in float64).
    `notes` are things the reader did that the report should say.
    """

    name: str
    array: np.ndarray
    dtype_name: str
    unit_roundoff: float
    key: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeightFile:
    """What `read_weights` found in a file: the arrays to check and those it skipped."""

    path: str
    weights: tuple[LoadedWeights, ...]
    skipped: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (key, shape) of arrays not 2-D


def read_weights(
    path: str | os.PathLike,
    *,
    key: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> WeightFile:
    """Every 2-D array of ``path`` (or the one named ``key``), with its stored precision.

    A single-array file (``.npy``, text) gives its array whatever its shape (the
    matrix validation reports a wrong one). A container (``.npz``,
    ``.safetensors``, ``.pt``) gives every 2-D array, and lists the others in
    `WeightFile.skipped`; ``key`` picks one array of it, whatever its shape.
    Raises :class:`WeightFileError`.
    """
    path = os.fspath(path)
    extension = _check_arguments(path, key=key, delimiter=delimiter, max_bytes=max_bytes)
    try:
        if extension in _CONTAINERS:
            return _read_container(path, extension, key=key, max_bytes=max_bytes)
        if extension == ".npy":
            with open(path, "rb") as stream:
                available = os.fstat(stream.fileno()).st_size
                array = _read_npy(stream, source=str(path), max_bytes=max_bytes,
                                  available=available)
            return WeightFile(path, (_binary(path, array),))
        return WeightFile(path, (_read_text(path, delimiter=delimiter),))
    except WeightFileError:
        raise
    except OSError as error:
        raise WeightFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except MemoryError:
        raise WeightFileError(f"{path}: not enough memory to load it") from None
    except (ValueError, EOFError, RecursionError) as error:
        raise WeightFileError(f"{path}: not a valid {extension} file ({_one_line(error)})"
                              ) from None


def load_weights(
    path: str | os.PathLike,
    *,
    key: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> np.ndarray:
    """Return the one array stored in ``path`` (not yet validated as a matrix).

    ``key`` picks an array of a container (``.npz``, ``.safetensors``, ``.pt``);
    one with several 2-D arrays needs it. ``delimiter`` overrides the sniffed
    delimiter of a text file; ``max_bytes`` bounds the file size and the array
    size announced by a binary header. Raises :class:`WeightFileError`. For the
    stored dtype and its precision, and for every array at once, use
    `read_weights`.
    """
    found = read_weights(path, key=key, delimiter=delimiter, max_bytes=max_bytes)
    if len(found.weights) > 1:
        names = [weights.key for weights in found.weights]
        raise WeightFileError(
            f"{path}: the file holds {len(names)} arrays ({', '.join(names)}); "
            "choose one with --key (key=)")
    return found.weights[0].array


def npz_keys(path: str | os.PathLike) -> list[str]:
    """The names of the arrays in an ``.npz`` archive, in stored order.

    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
    >>> np.savez(path, encoder=np.eye(2), decoder=np.eye(2))
    >>> npz_keys(path)
    ['encoder', 'decoder']
    """
    import zipfile  # imported here: the command's start-up cost stays that of NumPy

    path = os.fspath(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return [name[: -len(".npy")] for name in archive.namelist() if name.endswith(".npy")]
    except OSError as error:
        raise WeightFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise WeightFileError(f"{path}: not a valid .npz file ({_one_line(error)})") from None


def _check_arguments(path: str, *, key, delimiter, max_bytes) -> str:
    extension = os.path.splitext(path)[1].lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise WeightFileError(
            f"{path}: unknown file extension {extension or '(none)'!r}; expected one of "
            f"{', '.join(SUPPORTED_EXTENSIONS)}"
        )
    if key is not None and extension not in _CONTAINERS:
        raise WeightFileError(
            f"{path}: --key (key=) applies to .npz, .safetensors and .pt files only; got a "
            f"{extension} file")
    if delimiter is not None and extension not in (".csv", ".txt"):
        raise WeightFileError(
            f"{path}: a delimiter applies to .csv/.txt files only; got a {extension} file")
    if max_bytes <= 0:
        raise WeightFileError(f"max_bytes must be positive; got {max_bytes}")
    _check_file_size(path, max_bytes)
    return extension


def _check_file_size(path: str, max_bytes: int) -> None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise WeightFileError(f"{path}: no such file") from None
    except OSError as error:
        raise WeightFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if not stat.S_ISREG(status.st_mode):
        raise WeightFileError(f"{path}: not a regular file")
    if status.st_size > max_bytes:
        raise WeightFileError(
            f"{path}: the file has {status.st_size} bytes, more than the limit of {max_bytes} "
            "bytes; raise it with --max-bytes (max_bytes=) if this is intended"
        )
    if status.st_size == 0:
        raise WeightFileError(f"{path}: the file is empty")


def _binary(name: str, array: np.ndarray, key: str | None = None) -> LoadedWeights:
    """A binary array: its dtype is its storage, exact integers count as float64."""
    if array.dtype.kind == "f" and array.dtype.itemsize in (2, 4, 8):
        dtype_name, unit_roundoff = array.dtype.name, float(np.finfo(array.dtype).eps) / 2
    else:
        dtype_name, unit_roundoff = array.dtype.name, 2.0**-53
    label = name if key is None else f"{name} [{key}]"
    return LoadedWeights(label, array, dtype_name, unit_roundoff, key=key)


def _read_npy(stream, *, source: str, max_bytes: int, available: int) -> np.ndarray:
    """Read one ``.npy`` stream of ``available`` bytes, refusing object dtypes and
    announced sizes beyond ``max_bytes`` or beyond the bytes there, before allocating."""
    shape, _, dtype, offset = _npy_header(stream, source=source)
    size = math.prod(shape) * dtype.itemsize  # Python integers: (2**70, 1) does not overflow
    if size > max_bytes:
        raise WeightFileError(
            f"{source}: the array of shape {shape} and dtype {dtype} takes {size} bytes, more "
            f"than the limit of {max_bytes} bytes; raise it with --max-bytes (max_bytes=)"
        )
    if size > available - offset:
        raise WeightFileError(
            f"{source}: truncated: the header announces shape {shape} and dtype {dtype}, "
            f"{size} bytes, but only {max(available - offset, 0)} follow it")
    # Rewind and let numpy read the whole thing, still without pickles.
    stream.seek(0)
    return np.lib.format.read_array(stream, allow_pickle=False)


def _npy_header(stream, *, source: str):
    """(shape, fortran_order, dtype, bytes up to the data) of a ``.npy`` stream, checked."""
    prefix = stream.read(12)
    stream.seek(0)
    if prefix[:6] == b"\x93NUMPY" and len(prefix) == 12:  # refuse an absurd header unread
        length = int.from_bytes(prefix[8:10] if prefix[6] == 1 else prefix[8:12], "little")
        if length > _MAX_NPY_HEADER_BYTES:
            raise WeightFileError(
                f"{source}: the .npy header claims {length} bytes, more than the "
                f"{_MAX_NPY_HEADER_BYTES} NumPy reads safely")
    version = np.lib.format.read_magic(stream)
    if version not in ((1, 0), (2, 0), (3, 0)):  # read_magic accepts any; the readers do not
        raise WeightFileError(f"{source}: unsupported .npy format version {version}")
    read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
            else np.lib.format.read_array_header_2_0)
    try:
        shape, fortran_order, dtype = read(stream)
    except (ValueError, EOFError):
        raise
    except Exception as error:  # NumPy parses the header with ast and tokenize: their errors
        raise WeightFileError(f"{source}: not a valid .npy header ({_one_line(error)})"
                              ) from None
    if dtype.hasobject:
        raise WeightFileError(
            f"{source}: holds a pickled object array (dtype {dtype}); pickles can run code, so "
            "they are never loaded. Save the weights as a numeric array, e.g. "
            "np.save(path, np.asarray(W, dtype=float))"
        )
    if any(n < 0 for n in shape):
        raise WeightFileError(f"{source}: the header announces a negative shape {shape}")
    return shape, fortran_order, dtype, stream.tell()


def _read_container(path: str, extension: str, *, key: str | None,
                    max_bytes: int) -> WeightFile:
    """Every 2-D entry of an ``.npz``, ``.safetensors`` or ``.pt`` file, or the one named."""
    if extension == ".npz":
        entries, read = _guard_zip(path, _npz_entries(path, max_bytes=max_bytes))
    elif extension == ".safetensors":
        entries, read = _safetensors_entries(path)
    else:
        entries, read = _torch_entries(path)
    names = [name for name, _ in entries]
    if not entries:
        raise WeightFileError(f"{path}: the file holds no arrays")
    if key is not None:
        if key not in names:
            raise WeightFileError(
                f"{path}: no array named {key!r}; the file holds {', '.join(names)}")
        return WeightFile(path, (read(key),))
    chosen = [name for name, shape in entries if len(shape) == 2]
    skipped = tuple((name, tuple(shape)) for name, shape in entries if len(shape) != 2)
    if not chosen:
        shapes = ", ".join(f"{name} (shape {shape})" for name, shape in skipped)
        raise WeightFileError(f"{path}: none of its {len(names)} arrays is 2-D: {shapes}")
    return WeightFile(path, tuple(read(name) for name in chosen), skipped)


def _guard_zip(path: str, found):
    """`found` (entries, read), with any error of zipfile's decompressors made a WeightFileError.

    zipfile raises a zoo on a damaged archive: BadZipFile, NotImplementedError (an
    unknown compression method), RuntimeError (an encrypted member), zlib.error,
    EOFError, OSError. Every one means the file cannot be used.
    """
    entries, read = found

    def guarded(name: str) -> LoadedWeights:
        try:
            return read(name)
        except (WeightFileError, MemoryError):
            raise
        except Exception as error:
            raise WeightFileError(f"{path}: not a valid .npz file ({_one_line(error)})"
                                  ) from None

    return entries, guarded


def _npz_entries(path: str, *, max_bytes: int):
    try:
        return _npz_members(path, max_bytes=max_bytes)
    except (WeightFileError, MemoryError):
        raise
    except Exception as error:  # see _guard_zip
        raise WeightFileError(f"{path}: not a valid .npz file ({_one_line(error)})") from None


def _npz_members(path: str, *, max_bytes: int):
    import zipfile

    members = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if not member.filename.endswith(".npy"):
                continue
            name = member.filename[: -len(".npy")]
            source = f"{path}[{name}]"
            if member.file_size > max_bytes:  # the uncompressed size: guards against zip bombs
                raise WeightFileError(
                    f"{path}: array {name!r} takes {member.file_size} bytes uncompressed, more "
                    f"than the limit of {max_bytes} bytes; raise it with --max-bytes (max_bytes=)"
                )
            with archive.open(member) as stream:
                shape = _npy_header(stream, source=source)[0]
            members[name] = (member, shape)

    def read(name: str) -> LoadedWeights:
        member = members[name][0]
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            array = _read_npy(stream, source=f"{path}[{name}]", max_bytes=max_bytes,
                              available=member.file_size)
        return _binary(path, array, key=name)

    return [(name, shape) for name, (_, shape) in members.items()], read


def _safetensors_entries(path: str):
    from verify import safetensors_format as st

    headers = {entry.name: entry for entry in st.tensor_headers(path)}

    def read(name: str) -> LoadedWeights:
        entry = headers[name]
        _, dtype_name, unit_roundoff = st.DTYPES[entry.dtype]
        array = st.read_tensor(path, entry)
        return LoadedWeights(f"{path} [{name}]", array, dtype_name, unit_roundoff, key=name)

    return [(name, entry.shape) for name, entry in headers.items()], read


def _torch_entries(path: str):
    from verify import torch_format

    try:
        tensors = {name: (array, dtype, u) for name, array, dtype, u in
                   torch_format.read_state_dict(path)}
    except torch_format.TorchUnavailableError as error:
        raise WeightFileError(f"{path}: {error}") from None

    def read(name: str) -> LoadedWeights:
        array, dtype_name, unit_roundoff = tensors[name]
        return LoadedWeights(f"{path} [{name}]", array, dtype_name, unit_roundoff, key=name)

    return [(name, array.shape) for name, (array, _, _) in tensors.items()], read


def _read_text(path: str, *, delimiter: str | None) -> LoadedWeights:
    from verify import text_format

    found = text_format.read_text(path, delimiter=delimiter)
    digits = found.digits
    written = ([f"{digits} significant digits"] if digits is not None else []) + (
        [f"hexadecimal, {found.hex_bits} significant bits"] if found.hex_bits is not None else [])
    dtype_name = f"text ({'; '.join(written) or 'integers'})"
    notes = (f"skipped a header row: {found.header[:60]!r}",) if found.header else ()
    return LoadedWeights(path, found.array, dtype_name,
                         text_format.text_unit_roundoff(digits, found.hex_bits), notes=notes)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
