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
