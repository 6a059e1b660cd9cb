"""Kill -9 at random moments of the real `kvale import`, `kvale purge`, `kvale export docx`:
afterwards (once the project is opened again) the folder is exactly as before or exactly
as after, compared file by file (issue 14, cases 4-6).

A few rounds each here; ``python -m bench faults`` runs 20 of each (bench/faults.py).
"""

from __future__ import annotations

import logging

import pytest

from bench.faults import kill_rounds


@pytest.fixture(autouse=True)
def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)


@pytest.mark.slow
def test_kill_import_at_random_moments() -> None:
    counts = kill_rounds("import", 2, seed=3)
    print(counts)
    assert counts["before"] + counts["before (journal)"] + counts["after"] == 2


def test_kill_purge_at_random_moments() -> None:
    counts = kill_rounds("purge", 4, seed=5)
    print(counts)
    assert sum(v for k, v in counts.items() if not k.startswith("_")) == 4


def test_kill_export_at_random_moments() -> None:
    counts = kill_rounds("export", 3, seed=7, size=12)
    print(counts)
    assert sum(v for k, v in counts.items() if not k.startswith("_")) == 3


def test_kill_qdpx_export_leaves_no_hidden_copy_of_the_transcripts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # case 6: a killed .qdpx export left a hidden 524 KB temporary file of transcript text
    import random
    import shutil

    from bench.faults import (
        _kill_after,
        _reopen,
        _time_command,
        build_project,
        folder_state,
        kvale_command,
    )
    from store.exports.qdpx import check_qdpx

    rng = random.Random(6)
    template = tmp_path / "template"
    build_project(template, others=40, withdrawn=1)
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    _reopen(probe)
    length = _time_command(kvale_command("--project", str(probe), "export", "qdpx"))
    outcomes = []
    for run in range(4):
        path = tmp_path / f"run{run}"
        shutil.copytree(template, path)
        _reopen(path)
        before = folder_state(path)
        # late in the run: the export itself, not Python starting
        delay = rng.uniform(0.6 * length, 1.1 * length)
        _code, err = _kill_after(kvale_command("--project", str(path), "export", "qdpx"), delay)
        assert "Traceback" not in err
        staged = any(p.name.startswith(".qdpx.") for p in path.glob("exports/.*"))
        _reopen(path)
        after = folder_state(path)
        hidden = [p for p in path.rglob(".*") if not p.name.startswith(".kvale")]
        assert not hidden, hidden
        if after == before:
            outcomes.append("before (staged)" if staged else "before")
        else:  # it finished: one whole, sound .qdpx and nothing else changed
            assert set(after) - set(before) == {"exports/qdpx/faults.qdpx"}
            assert check_qdpx(path / "exports" / "qdpx" / "faults.qdpx") == []
            outcomes.append("after")
    print(f"qdpx export {length:.2f} s:", outcomes)
