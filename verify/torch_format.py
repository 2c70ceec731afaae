"""PyTorch ``.pt``/``.pth`` files, through ``torch.load(weights_only=True)`` only.

A ``.pt`` file is a pickle. PyTorch's ``weights_only=True`` unpickler builds
tensors and plain containers and refuses everything else, so no code in the
file runs; without PyTorch there is no safe way to read one, and this module
says how to convert it instead (`conversion_recipe`). It never unpickles with
``pickle`` itself.

>>> print(conversion_recipe("model.pt"))  # doctest: +NORMALIZE_WHITESPACE
python -c "import torch; from safetensors.torch import save_file;
save_file({k: v.detach().clone().contiguous() for k, v in
torch.load('model.pt', weights_only=True, map_location='cpu').items()}, 'model.safetensors')"
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np

__all__ = ["TorchUnavailableError", "conversion_recipe", "read_state_dict"]

# The precision each floating tensor was stored at (integers are exact).
_UNIT_ROUNDOFF = {"float64": 2.0**-53, "float32": 2.0**-24, "float16": 2.0**-11,
                  "bfloat16": 2.0**-8}
# Nested containers deeper than this are not walked (a state dict is one or two levels).
_MAX_DEPTH = 8


class TorchUnavailableError(ValueError):
    """PyTorch is not installed, so a ``.pt``/``.pth`` file cannot be read safely."""


def conversion_recipe(path: str | os.PathLike) -> str:
    """A one-line command that converts a state dict to ``.safetensors`` where PyTorch is."""
    source = str(path)
    target = str(Path(source).with_suffix(".safetensors"))
    return ('python -c "import torch; from safetensors.torch import save_file; '
            "save_file({k: v.detach().clone().contiguous() for k, v in "
            f"torch.load({source!r}, weights_only=True, map_location='cpu').items()}}, "
            f'{target!r})"')


def read_state_dict(path: str | os.PathLike) -> list[tuple[str, np.ndarray, str, float]]:
    """Every tensor in the file as ``(name, array, dtype name, unit roundoff)``.

    Names are the state-dict keys (nested dicts and lists joined with dots).
    bfloat16 is widened exactly to float32. Raises `TorchUnavailableError`
    without PyTorch, and ``ValueError`` when ``torch.load`` refuses the file.
    """
    if importlib.util.find_spec("torch") is None:
        raise TorchUnavailableError(
            "reading a .pt/.pth file needs PyTorch (its weights_only loader is the only safe way "
            "to open this pickle), and PyTorch is not installed; convert the file where it is, "
            f"then check the .safetensors file: {conversion_recipe(path)}")
    import torch

    try:
        loaded = torch.load(path, weights_only=True, map_location="cpu")
    except Exception as error:  # torch raises many types; every one means "unusable"
        raise ValueError(
            f"torch.load(weights_only=True) refused it ({type(error).__name__}: "
            f"{' '.join(str(error).split())[:300]})") from None
    found: list[tuple[str, np.ndarray, str, float]] = []
    _collect(loaded, "", found, torch, depth=0)
    return found


def _collect(value, prefix: str, found: list, torch, *, depth: int) -> None:
    if isinstance(value, torch.Tensor):
        found.append(_as_numpy(prefix or "tensor", value, torch))
    elif depth < _MAX_DEPTH and isinstance(value, dict):
        for key, item in value.items():
            _collect(item, f"{prefix}.{key}" if prefix else str(key), found, torch,
                     depth=depth + 1)
    elif depth < _MAX_DEPTH and isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _collect(item, f"{prefix}.{index}" if prefix else str(index), found, torch,
                     depth=depth + 1)


def _as_numpy(name: str, tensor, torch) -> tuple[str, np.ndarray, str, float]:
    tensor = tensor.detach()
    dtype = str(tensor.dtype).removeprefix("torch.")
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.float()  # exact: bfloat16 is float32 with a shorter significand
    try:
        array = tensor.numpy()
    except (TypeError, RuntimeError):  # quantised and other dtypes NumPy has no match for
        array = np.array(f"<{dtype} tensor of shape {tuple(tensor.shape)}>")
    return name, array, dtype, _UNIT_ROUNDOFF.get(dtype, 2.0**-53)
