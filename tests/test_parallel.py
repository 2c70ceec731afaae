"""tests/parallel.py: xdist options only where xdist can take them."""

import importlib.util

import pytest

import tests.parallel as parallel


def test_adds_workers_when_xdist_is_installed_and_no_n_is_given(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    args = ["tests/docs"]
    parallel.pytest_load_initial_conftests(None, None, args)
    assert args[:2] == ["-n", "auto"] and args[-1] == "tests/docs"


@pytest.mark.parametrize("given", [["-n", "0"], ["-n0"], ["--numprocesses=2"], ["-p", "no:xdist"]])
def test_an_explicit_choice_wins(monkeypatch, given):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    args = list(given)
    parallel.pytest_load_initial_conftests(None, None, args)
    assert args == given


def test_without_xdist_nothing_is_added(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    args = ["tests"]
    parallel.pytest_load_initial_conftests(None, None, args)
    assert args == ["tests"]
