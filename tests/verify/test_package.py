"""verify/__init__.py: every public name resolves, and importing verify loads only what is used."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import verify


def test_every_public_name_resolves_to_its_module():
    assert set(verify.__all__) == {"InvalidMatrixError", "as_real_matrix", *verify._MODULE_OF}
    for name in verify.__all__:
        value = getattr(verify, name)
        assert getattr(value, "__module__", "").startswith("verify")
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        verify.nonsense  # noqa: B018


def test_importing_verify_and_diagnosing_loads_no_autoencoder_training_or_sympy():
    probe = ("import sys, numpy as np, verify; verify.diagnose(np.eye(3, 2)); "
             "print(sorted(m for m in ('verify.autoencoder', 'verify.training', "
             "'verify.data_check', 'sympy') if m in sys.modules))")
    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": path})
    assert done.stdout.strip() == "[]"
