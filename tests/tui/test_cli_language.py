"""The project commands speak the project's language (as the app does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main


def test_commands_on_a_norwegian_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KVALE_PASSPHRASE", "cli language passphrase")  # init encrypts
    folder = tmp_path / "nav"
    assert main(["init", str(folder), "--language", "nb"]) == 0
    out = capsys.readouterr().out
    assert f"Opprettet et kvale-prosjekt i {folder}." in out and "Start appen der med" in out
    assert main(["--project", str(folder), "list"]) == 0
    assert "Prosjektet har ingen intervjuer ennå." in capsys.readouterr().out
    assert main(["--project", str(folder), "export", "pdf"]) == 2
    assert (
        "kvale: Problem med eksporten: kvale kan ikke eksportere «pdf»" in capsys.readouterr().err
    )
    assert main(["purge", "--all", "--project", str(folder)]) == 2  # no terminal here
    assert "Legg til --yes for å bekrefte" in capsys.readouterr().err
    # a guide that is not there, and the end date, in Norwegian too
    assert main(["--project", str(folder), "import", "x.m4a", "--guide", "nav-trivsel"]) == 2
    assert "Det finnes ingen guidefil «nav-trivsel»" in capsys.readouterr().err
    assert main(["--project", str(folder), "project", "set", "end-date", "30.06.2099"]) == 0
    assert "Prosjektets sluttdato er nå 2099-06-30." in capsys.readouterr().out
    assert main(["--project", str(folder), "names", "add", "Kari"]) == 0
    assert "«Kari» vil bli skrevet som [navn] i alle eksporter." in capsys.readouterr().out
    assert main(["--project", str(folder), "project", "show"]) == 0
    shown = capsys.readouterr().out
    assert "Sluttdato:   2099-06-30" in shown and "Kryptert:    ja (AES-256-GCM" in shown, shown
    assert main(["--project", str(folder), "names", "remove", "Ola"]) == 2
    assert "«Ola» står ikke på listen over navn som skal skjules" in capsys.readouterr().err
    assert main(["--project", str(folder), "purge", "I9", "--yes"]) == 2
    assert "Det finnes ingen deltaker I9 i dette prosjektet" in capsys.readouterr().err
    # a guide with a mistake: where it is and what to do, in Norwegian
    bad = tmp_path / "guide.md"
    bad.write_text("## 1 Bakgrunn\n1.1 Hvor lenge?\n1.1 Hva gjør du?\n", encoding="utf-8")
    assert main(["--project", str(folder), "guide", "add", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}, linje 3: nummeret «1.1» er allerede brukt på linje 2" in err, err


def test_guide_check_speaks_the_researchers_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.settings import Settings

    Settings(language="nn").save()  # the researcher's own setting (no project here)
    bad = tmp_path / "guide.md"
    bad.write_text("## 1 Bakgrunn\n1.1 Kor lenge?\n   - \n", encoding="utf-8")
    assert main(["guide", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"✗ {bad}, linje 3: linja med «-» under linje 2 gjer den linja til" in err, err


def test_commands_on_an_english_project_stay_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KVALE_PASSPHRASE", "cli language passphrase")  # init encrypts
    folder = tmp_path / "p"
    assert main(["init", str(folder)]) == 0
    assert "Created a kvale project in" in capsys.readouterr().out
    assert main(["--project", str(folder), "list"]) == 0
    assert "The project has no interviews yet." in capsys.readouterr().out
    assert main(["--project", str(folder), "export", "pdf"]) == 2
    assert "kvale: Export problem: kvale cannot export 'pdf'" in capsys.readouterr().err
