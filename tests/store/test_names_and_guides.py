"""The redaction list (list/add/remove; first names and possessives) and project guides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kvale_errors import GuideError, StoreError
from store import Project
from store.guides import add_guide, project_guides
from store.names import add_name, list_names, remove_name
from store.redaction import Redaction, Redactor

BUNDLED = Path(__file__).parents[2] / "guide" / "bundled"


def test_first_names_and_possessives_are_redacted() -> None:
    r = Redactor([Redaction("Kari Nordmann", "[colleague]"), Redaction("Per")])
    assert r("Kari Nordmann sa det.") == "[colleague] sa det."
    assert r("Kari sa det, og Karis kontor er nede.") == (
        "[colleague] sa det, og [colleague]s kontor er nede."
    )
    assert r("Kari's desk and Per's chair") == "[colleague]'s desk and [name]'s chair"
    assert r("Karina and Peru stay") == "Karina and Peru stay"  # whole words only


def test_names_list_add_remove(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    try:
        assert list_names(project) == []
        add_name(project, "Kari Nordmann=[colleague]")
        add_name(project, "  Per  ")
        assert list_names(project) == [
            Redaction("Kari Nordmann", "[colleague]"),
            Redaction("Per", "[name]"),
        ]
        add_name(project, "per=[boss]")  # the same name again: its placeholder changes
        assert list_names(project)[-1] == Redaction("per", "[boss]")
        remove_name(project, "KARI NORDMANN")
        assert [r.name for r in list_names(project)] == ["per"]
        with pytest.raises(StoreError, match="not on the list"):
            remove_name(project, "Ola")
        with pytest.raises(StoreError, match="Type the name"):
            add_name(project, "=[x]")
    finally:
        project.close()


def test_add_a_guide_checks_and_copies_it(tmp_path: Path) -> None:
    src = tmp_path / "my-guide.md"
    shutil.copy(BUNDLED / "example-en.md", src)
    project_dir = tmp_path / "p"
    project_dir.mkdir()
    assert project_guides(project_dir) == []
    added = add_guide(project_dir, src)
    assert added.path == project_dir / "guides" / "my-guide.md"
    assert added.path.read_bytes() == src.read_bytes()
    assert add_guide(project_dir, src).path == added.path  # the same file again: fine
    [listed] = project_guides(project_dir)
    assert listed.name == "my-guide" and listed.guide is not None
    src.write_text(src.read_text(encoding="utf-8").replace("?", "??", 1), "utf-8")
    with pytest.raises(StoreError, match="different guide"):
        add_guide(project_dir, src)
    assert add_guide(project_dir, src, replace=True).path.read_bytes() == src.read_bytes()
    bad = tmp_path / "bad.md"
    bad.write_text("not a guide at all", encoding="utf-8")
    with pytest.raises(GuideError):
        add_guide(project_dir, bad)
    assert not (project_dir / "guides" / "bad.md").exists()
    (project_dir / "guides" / "broken.md").write_text("", encoding="utf-8")
    broken = [g for g in project_guides(project_dir) if g.name == "broken"]
    assert broken and broken[0].guide is None and broken[0].problem
