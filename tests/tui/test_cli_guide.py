"""`kvale guide` with no action lists the bundled guides (a first-time user typed it and
got argparse's "the following arguments are required: ACTION")."""

from __future__ import annotations

import pytest

from tui.cli import main


def test_kvale_guide_alone_lists_the_guides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guide"]) == 0
    alone = capsys.readouterr().out
    assert main(["guide", "list"]) == 0
    assert alone == capsys.readouterr().out
    assert all(name in alone for name in ("example-en", "nav-trivsel-en", "nav-trivsel-nb"))
