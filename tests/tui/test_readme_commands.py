"""The README's command examples work as written: every one parses, the quick ones run."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tui.cli import build_parser, main

README = Path(__file__).parents[2] / "README.md"


def examples() -> list[list[str]]:
    """The kvale command lines of the README's shell blocks, without the comments."""
    text = README.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith(".venv/bin/kvale"):
                lines.append(shlex.split(line)[1:])
    return lines


def test_the_readme_has_examples() -> None:
    assert len(examples()) >= 10


@pytest.mark.parametrize("argv", examples(), ids=" ".join)
def test_every_example_parses(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert callable(args.func)
    if "--project" in argv:
        assert args.project == argv[argv.index("--project") + 1]


def test_the_project_examples_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KVALE_PASSPHRASE", "readme example passphrase")  # init encrypts
    project = tmp_path / "nav-study"
    guide = tmp_path / "my-guide.md"
    shutil.copy(Path(__file__).parents[2] / "guide" / "bundled" / "example-en.md", guide)

    def run(argv: list[str]) -> int:
        subst = {
            "~/research/nav-study": str(project),
            "~/research/nav-nb": str(tmp_path / "nav-nb"),
            "DIR": str(project),
            "my-guide.md": str(guide),
        }
        return main([subst.get(a, a) for a in argv])

    ran = 0
    for argv in examples():  # the ones that need no recording, model or interview
        if argv[0] in ("init", "list", "names") or argv[:2] in (
            ["guide", "check"],
            ["guide", "show"],
            ["guide", "add"],
            ["project", "set"],
            ["project", "show"],
        ):
            assert run(argv) == 0, argv
            ran += 1
    assert ran >= 10
    out = capsys.readouterr().out
    assert "no interviews" in out.lower()  # `list` ran on the project
    assert "Encrypted:   yes" in out  # `project show`
    # `guide add` copied the guide in; `names add`, `list` and `remove` ran in that order
    assert (project / "guides" / "my-guide.md").read_bytes() == guide.read_bytes()
    assert "Kari Nordmann → [colleague]" in out
    assert "'Kari Nordmann' is no longer redacted." in out


@pytest.mark.slow
def test_every_other_example_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rest of the README's examples, run as written on real files: the imports and
    transcription on real speech with the packaged weights; the ones that need what this
    machine lacks (a microphone, the network, a terminal to confirm in) end with their
    sentence, not a traceback. Only the app itself (`kvale --project DIR`) is left to the
    Pilot tests."""
    import soundfile as sf
    from media import encode

    from audio.files import load_audio

    fixtures = Path(__file__).parents[1] / "fixtures"
    monkeypatch.setenv("KVALE_PASSPHRASE", "readme example passphrase")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # no network here
    monkeypatch.chdir(tmp_path)
    project = tmp_path / "nav-study"
    guide = tmp_path / "my-guide.md"
    shutil.copy(Path(__file__).parents[2] / "guide" / "bundled" / "example-en.md", guide)
    speech = load_audio(fixtures / "LJ001-0001.wav")
    sf.write(tmp_path / "interview.flac", load_audio(fixtures / "cv-no.mp3"), 16000)
    encode(speech, tmp_path / "phone.m4a", "mp4", "aac")
    (tmp_path / "recordings").mkdir()
    sf.write(tmp_path / "recordings" / "I4.wav", speech, 16000)
    encode(speech, tmp_path / "a.m4a", "mp4", "aac")
    encode(speech, tmp_path / "b.m4a", "mp4", "aac")
    encode(load_audio(fixtures / "ami-trn00.flac"), tmp_path / "couple.m4a", "mp4", "aac")
    (tmp_path / "codes.csv").write_text("file,participant\na.m4a,I5\nb.m4a,I6\n")
    subst = {"DIR": str(project), "my-guide.md": str(guide), "OUT": str(tmp_path / "rec")}
    assert main(["init", str(project)]) == 0
    ran = []
    for argv in examples():
        if argv[0] in ("init", "list", "names", "project") or argv[:1] == ["--project"]:
            continue  # run by test_the_project_examples_run, or the app
        if argv[:2] in (["guide", "check"], ["guide", "show"], ["guide", "add"]):
            continue
        if argv[0] == "encrypt":  # "a project made without encryption"
            plain = tmp_path / "plain"
            assert main(["init", str(plain), "--no-encryption"]) == 0
            argv = [str(plain) if a == "DIR" else a for a in argv]
        argv = [subst.get(a, a) for a in argv]
        if argv[0] == "models" and "list" in argv:
            argv = [*argv, "--no-measure"]  # measuring each model is test_calibrate's
        code = main(argv)
        out = capsys.readouterr()
        said = out.out + out.err
        ran.append(argv[0])
        assert "Traceback" not in said, (argv, said)
        if argv[0] in ("transcribe", "import", "export", "encrypt"):
            assert code == 0, (argv, said)
        elif argv[0] == "devices":
            assert code == 0 or "No microphone was found" in said, said
        elif argv[0] == "record":
            assert code == 0 or "microphone" in said.lower(), said
        elif argv[:2] == ["models", "get"]:
            assert code != 0 and "offline" in said, said
        elif argv[0] == "purge":  # no terminal to confirm in: says how to confirm
            assert code != 0 and "--yes" in said, said
        else:
            assert code == 0, (argv, said)
    assert (tmp_path / "interview.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    assert sorted(set(ran)) == [
        "devices",
        "encrypt",
        "export",
        "import",
        "models",
        "purge",
        "record",
        "transcribe",
    ]
    from store import Project

    with Project.open(project, read_only=True) as p:
        assert sorted(s.participant for s in p.interviews()) == ["I3", "I4", "I5", "I6", "P2"]
        (couple,) = [s for s in p.interviews() if s.participant == "P2"]
        assert p.interview(couple.id).people == 3
