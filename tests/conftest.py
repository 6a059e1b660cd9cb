"""Test-wide fixtures: every test writes only under its own temp folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model cache for the whole run: rebuilt weights are reused by all tests."""
    given = os.environ.get("KVALE_TEST_MODEL_CACHE")
    return Path(given) if given else tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def isolated_locations(
    tmp_path_factory: pytest.TempPathFactory, model_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every platformdirs location (config, data, cache, state) at a temp folder."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.setenv("KVALE_MODEL_CACHE", str(model_cache))
    yield home
