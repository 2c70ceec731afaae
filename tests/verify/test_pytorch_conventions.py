"""PyTorch's conventions by default: a stored matrix's smaller side is the code (k <= d).

`nn.Linear(d, k).weight` is stored out x in, `k x d`: a wide weight is an encoder `W^T`,
a tall one a decoder `W`. The expected verdicts come from how the matrices are built
(orthonormal rows by QR, checked with NumPy), not from the code under test.
"""

import json

import numpy as np
import pytest
import safetensors.numpy

from verify import cli
from verify.diagnosis import choose_orientation, diagnose

RNG = np.random.default_rng(22)
# A converged nn.Linear(64, 10) encoder: 10 x 64 with orthonormal rows.
# C order: safetensors.numpy.save_file writes a transposed view's buffer as it lies.
ENCODER = np.ascontiguousarray(np.linalg.qr(RNG.standard_normal((64, 10)))[0].T)


def _run(capsys, *argv):
    status = cli.main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_converged_encoder_is_built_with_orthonormal_rows():
    np.testing.assert_allclose(ENCODER @ ENCODER.T, np.eye(10), rtol=0, atol=1e-14)
    assert ENCODER.shape == (10, 64)


def test_a_wide_weight_is_an_encoder_and_gets_p1_without_any_option():
    found = diagnose(ENCODER)
    assert (found.verdict, found.claim) == ("orthonormal columns", "P1")
    assert (found.orientation, found.d, found.k, found.stored_shape) == ("encoder", 64, 10,
                                                                        (10, 64))
    assert "nn.Linear(64, 10).weight" in found.orientation_reason
    assert "Orientation: encoder (assumed: the smaller side is the code" in found.report()


def test_a_tall_weight_is_a_decoder():
    found = diagnose(ENCODER.T)
    assert (found.orientation, found.d, found.k, found.claim) == ("decoder", 64, 10, "P1")
    assert "tall 64 x 10" in found.orientation_reason


def test_the_orientation_given_overrides_and_says_so():
    found = diagnose(ENCODER, orientation="decoder")  # 10 inputs, 64 code units: P4's side
    assert (found.orientation, found.d, found.k) == ("decoder", 10, 64)
    assert (found.verdict, found.claim) == ("partial isometry", "P3")
    assert found.orientation_reason == "as given"


def test_a_square_weight_is_read_as_a_decoder_with_the_reason():
    assert choose_orientation((5, 5))[0] == "decoder"
    assert "square" in choose_orientation((5, 5))[1]
    assert choose_orientation((5, 5), "encoder") == ("encoder", "as given")


def test_the_command_reads_a_wide_state_dict_weight_as_an_encoder(tmp_path, capsys):
    path = tmp_path / "model.safetensors"
    safetensors.numpy.save_file({"encoder.weight": ENCODER.astype(np.float32),
                                 "encoder.bias": np.zeros(10, np.float32),
                                 "norm.weight": np.ones(64, np.float32)}, str(path))
    status, out, err = _run(capsys, path, "--key", "encoder.weight")
    assert (status, err) == (0, "")
    assert "Verdict: orthonormal columns (P1)" in out and "Orientation: encoder" in out
    assert "Shape: 64 x 10" in out
    status, out, err = _run(capsys, path)  # the whole state dict: one weight, two skipped
    assert (status, err) == (0, "")
    assert "Verdict: orthonormal columns (P1)" in out
    skipped = [line for line in out.splitlines() if line.startswith("Skipped")]
    assert len(skipped) == 1 and skipped[0].startswith("Skipped 2 tensors not 2-D")
    assert "[encoder.bias] (shape (10,))" in skipped[0] and "[norm.weight]" in skipped[0]


def test_data_reach_only_the_layers_whose_inputs_they_match(tmp_path, capsys):
    # A 64 -> 10 -> 5 stack: --data (64 columns) fits the first layer only.
    second = np.linalg.qr(RNG.standard_normal((10, 5)))[0].T  # nn.Linear(10, 5): 5 x 10
    weights = tmp_path / "stack.npz"
    np.savez(weights, **{"layer1.weight": ENCODER, "layer2.weight": second})
    data = tmp_path / "X.npy"
    np.save(data, RNG.standard_normal((100, 64)))
    status, out, err = _run(capsys, weights, "--data", data)
    assert (status, err) == (0, "")
    notes = [line for line in out.splitlines() if line.startswith("Note:")]
    assert notes == [f"Note: {weights} [layer2.weight]: checked without --data: {data} has 64 "
                     "columns (inputs), but this weight, read as encoder (5 x 10 stored), has "
                     "d = 10 inputs"]
    status, out, _ = _run(capsys, weights, "--data", data, "--json")
    reports = {report["weights"].split("[")[1]: report for report in json.loads(out)}
    assert status == 0
    assert reports["layer1.weight]"]["data"]["samples"] == 100
    assert reports["layer2.weight]"]["data"] is None


@pytest.mark.parametrize("orientation", ["auto", "decoder", "encoder"])
def test_every_orientation_is_a_command_line_choice(orientation, tmp_path, capsys):
    path = tmp_path / "W.npy"
    np.save(path, ENCODER)
    status, out, _ = _run(capsys, path, "--orientation", orientation)
    assert status == 0
    expected = {"auto": "encoder", "decoder": "decoder", "encoder": "encoder"}[orientation]
    assert f"Orientation: {expected} (" in out


def test_an_upcast_float32_model_is_judged_at_the_precision_it_was_trained_in():
    # W.double() of a float32 orthonormal encoder: its float32 rounding (about 1e-8) is far
    # above float64's tolerance, so at float64 it is not P1; at float32 it is.
    stored = ENCODER.astype(np.float32).astype(np.float64)
    defect = np.abs(np.linalg.svd(stored, compute_uv=False) ** 2 - 1).max()
    assert defect > 1e-12  # float32 rounding, measured independently
    assert diagnose(stored).claim != "P1"
    found = diagnose(stored, precision="float32")
    assert (found.claim, found.dtype, found.unit_roundoff) == ("P1", "float32", 2.0**-24)
    assert diagnose(stored, precision="torch.float32").claim == "P1"


@pytest.mark.parametrize("options", [{"precision": "float8"},
                                     {"precision": "float32", "unit_roundoff": 2.0**-24}])
def test_bad_precision_options_are_one_clear_error(options):
    from verify._validation import InvalidMatrixError

    with pytest.raises(InvalidMatrixError, match="precision"):
        diagnose(ENCODER, **options)


def test_json_is_always_a_list_with_the_schema_and_the_singular_values(tmp_path, capsys):
    one, two = tmp_path / "one.npy", tmp_path / "two.npz"
    np.save(one, ENCODER)
    np.savez(two, a=ENCODER, b=0.5 * ENCODER)
    for argv, names in (([one], [str(one)]), ([two], [f"{two} [a]", f"{two} [b]"]),
                        ([one, two], [str(one), f"{two} [a]", f"{two} [b]"])):
        status, out, _ = _run(capsys, *argv, "--json")
        reports = json.loads(out)
        assert status == 0 and [report["weights"] for report in reports] == names
        assert {report["schema"] for report in reports} == {1}
    # The singular values of 0.5 * ENCODER are all 0.5 (orthonormal rows, by construction).
    assert reports[-1]["singular_values"] == pytest.approx([0.5] * 10, rel=1e-14, abs=0)
