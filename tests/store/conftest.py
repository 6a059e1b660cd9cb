"""Store fixtures: the same repository tests run in memory and on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from store import Project
from store.backends import MemoryBackend
from store.storage import Backend, DiskBackend


@pytest.fixture(params=["memory", "disk"])
def backend(request: pytest.FixtureRequest) -> Callable[[Path], Backend]:
    """A backend factory; memory keeps one backend per folder so reopening sees the data."""
    if request.param == "disk":
        return DiskBackend
    made: dict[Path, MemoryBackend] = {}

    def factory(path: Path) -> Backend:
        return made.setdefault(Path(path), MemoryBackend(path))

    return factory


@pytest.fixture
def project(tmp_path: Path, backend: Callable[[Path], Backend]) -> Project:
    return Project.init(tmp_path / "proj", name="test", backend=backend)


@pytest.fixture
def reopen(backend: Callable[[Path], Backend]) -> Callable[..., Project]:
    def again(project: Project, **kw: bool) -> Project:
        return Project.open(project.path, backend=backend, **kw)

    return again
