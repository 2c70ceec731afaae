"""Spread the run over worker processes when pytest-xdist is installed; run serially if not.

Loaded with ``-p tests.parallel`` from ``addopts``: the xdist options cannot sit in
``addopts`` themselves, since without the plugin pytest refuses them and exits 4
before running a test. With xdist (the ``test`` extra), ``-n auto`` on at most 4
workers: each worker imports SymPy and builds every claim (about 5 s), so beyond a
few workers the duplicated set-up outweighs the gain. An explicit ``-n`` on the
command line (``-n 0`` runs serially) wins.
"""

import importlib.util


def pytest_load_initial_conftests(early_config, parser, args):
    if importlib.util.find_spec("xdist") is None or "no:xdist" in args:
        return
    if any(arg.startswith(("-n", "--numprocesses")) for arg in args):
        return
    args[:0] = ["-n", "auto", "--maxprocesses", "4", "--dist", "worksteal"]
