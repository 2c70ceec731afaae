"""PyTorch .pt/.pth files: read only through torch.load(weights_only=True); without
PyTorch, a one-line message with a conversion recipe; never a full unpickle.

PyTorch is not a test dependency: where it is absent (CI), the tests that need it
are skipped with that reason, and the no-PyTorch message is tested (also where
PyTorch is present, by hiding it)."""

import importlib.util
import pickle
from pathlib import Path

import numpy as np
import pytest

from verify import cli, torch_format
from verify.load import WeightFileError, read_weights

DATA = Path(__file__).parent / "data"
HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="PyTorch is not installed (not a test "
                                 "dependency); the no-PyTorch path is tested instead")


class _CreatesMarkerWhenUnpickled:
    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.fixture
def without_torch(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(torch_format.importlib.util, "find_spec",
                        lambda name, *args: None if name == "torch" else real(name, *args))


def test_without_pytorch_the_message_gives_a_conversion_recipe(without_torch, tmp_path):
    path = tmp_path / "model.pth"
    path.write_bytes((DATA / "tied_linear.pt").read_bytes())
    with pytest.raises(WeightFileError) as caught:
        read_weights(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: reading a .pt/.pth file needs PyTorch")
    assert "\n" not in message
    recipe = torch_format.conversion_recipe(path)
    assert message.endswith(f"then check the .safetensors file: {recipe}")
    assert f"torch.load({str(path)!r}, weights_only=True" in recipe
    assert repr(str(tmp_path / "model.safetensors")) in recipe


def test_without_pytorch_the_command_exits_2_in_one_line(without_torch, capsys):
    assert cli.main(["check", str(DATA / "tied_linear.pt")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "needs PyTorch" in err and "python -c" in err


def test_a_pickle_payload_is_never_run_without_pytorch(without_torch, tmp_path):
    path, marker = tmp_path / "evil.pt", tmp_path / "marker"
    path.write_bytes(pickle.dumps(_CreatesMarkerWhenUnpickled(marker)))
    with pytest.raises(WeightFileError, match="needs PyTorch"):
        read_weights(path)
    assert not marker.exists()


@needs_torch
def test_a_pickle_payload_is_refused_by_weights_only_and_never_run(tmp_path):
    path, marker = tmp_path / "evil.pt", tmp_path / "marker"
    path.write_bytes(pickle.dumps(_CreatesMarkerWhenUnpickled(marker)))
    with pytest.raises(WeightFileError, match=r"evil\.pt: not a valid \.pt file \(torch\.load"):
        read_weights(path)
    assert not marker.exists()
    pickle.loads(path.read_bytes()).close()  # the payload is live: unpickled, it runs
    assert marker.exists()


@needs_torch
def test_a_state_dict_gives_every_2d_weight_as_the_safetensors_copy_does():
    from_torch = read_weights(DATA / "tied_linear.pt")
    from_safetensors = read_weights(DATA / "tied_linear.safetensors")
    assert [w.key for w in from_torch.weights] == [
        "encoder.weight", "encoder_bf16.weight", "decayed.weight"]
    assert from_torch.skipped == (("encoder.bias", (3,)),)
    by_key = {w.key: w for w in from_safetensors.weights}
    for weights in from_torch.weights:
        twin = by_key[weights.key]
        assert (weights.dtype_name, weights.unit_roundoff) == (twin.dtype_name, twin.unit_roundoff)
        assert weights.array.dtype == twin.array.dtype == np.float32
        np.testing.assert_array_equal(weights.array, twin.array)


@needs_torch
def test_a_bare_tensor_and_nested_containers(tmp_path):
    import torch

    torch.save(torch.eye(3, 2, dtype=torch.float64), tmp_path / "W.pt")
    (weights,) = read_weights(tmp_path / "W.pt").weights
    assert (weights.key, weights.dtype_name, weights.array.dtype) == ("tensor", "float64",
                                                                      np.float64)
    torch.save({"model": {"layers": [torch.eye(2), torch.ones(2)]}}, tmp_path / "nested.pth")
    found = read_weights(tmp_path / "nested.pth")
    assert [w.key for w in found.weights] == ["model.layers.0"]
    assert found.skipped == (("model.layers.1", (2,)),)
