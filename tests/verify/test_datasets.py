"""Unit tests of verify.datasets: the committed digits file, its checksum, and its loading."""

import hashlib
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import verify.datasets as datasets

DATA = Path(datasets.__file__).resolve().parent / "data"


def test_digits_are_the_uci_test_set_as_documented():
    images, labels = datasets.load_digits()
    assert images.shape == (1797, 64) and labels.shape == (1797,)
    assert images.dtype == labels.dtype == np.uint8
    assert int(images.min()) == 0 and int(images.max()) == 16
    # The UCI description's class counts of the test set.
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    digest = hashlib.sha256(images.tobytes()).hexdigest()
    assert digest in (DATA / "DIGITS.md").read_text(encoding="utf-8")


def test_digits_file_names_its_source_and_licence():
    text = (DATA / "DIGITS.md").read_text(encoding="utf-8")
    assert "10.24432/C50P49" in text and "CC BY 4.0" in text and "Alpaydin" in text


def test_digits_file_loads_without_pickle():
    with np.load(DATA / datasets.DIGITS_FILE, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["images", "labels"]


def test_digits_matrix_is_centred_features_by_samples():
    X = datasets.digits_matrix()
    assert X.shape == (64, 1797)
    # A computed sum of n numbers is off by at most gamma_n sum |x| (Higham 4.2): n eps sum |x|.
    assert (np.abs(X.sum(axis=1)) <= 1797 * np.finfo(float).eps * np.abs(X).sum(axis=1)).all()
    np.testing.assert_array_equal(datasets.digits_matrix(scale=1.0), 16 * X)


@pytest.mark.parametrize("scale", [0.0, -1.0, float("nan")])
def test_digits_matrix_refuses_a_bad_scale(scale):
    with pytest.raises(ValueError, match="scale must be a finite number > 0"):
        datasets.digits_matrix(scale=scale)


def test_a_damaged_digits_file_is_refused_with_its_name(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    np.savez_compressed(tmp_path / "data" / "digits.npz", images=np.zeros((3, 64), np.uint8),
                        labels=np.zeros(3, np.uint8))
    monkeypatch.setattr(datasets, "resources", SimpleNamespace(
        files=lambda _package: tmp_path, as_file=resources.as_file))
    with pytest.raises(ValueError, match="digits.npz is damaged"):
        datasets.load_digits()
