"""Start the app on a project folder, or the demo (what `kvale` and `kvale demo` run)."""

from __future__ import annotations

from pathlib import Path

from store import Project


def open_project(project_dir: Path | None) -> Project:
    """The project in ``project_dir`` (None: the current folder), opened for writing; an
    encrypted one asks for its passphrase first, once per session (`tui.unlock`).

    Raises:
        KvaleError: the folder is not a kvale project, another kvale process has it, the
            unlock was cancelled or the passphrase was wrong three times.
    """
    from tui.unlock import open_project_unlocked

    path = (project_dir or Path.cwd()).expanduser().absolute()
    project: Project = open_project_unlocked(path, lambda: Project.open(path))
    return project


def run_app(project_dir: Path | None, *, demo: bool = False) -> int:
    """Run the app on a project folder (None: the current folder), or the demo.

    Returns the app's exit code.

    Raises:
        KvaleError: the folder is not a kvale project (the sentence says how to make one).
    """
    if demo:
        from tui.demo import run_demo

        return run_demo()
    from tui.app import KvaleApp
    from tui.settings import Settings

    settings = Settings.load()
    app = KvaleApp(
        open_project(project_dir),
        engine=settings.engine,
        model=settings.model,
        live=settings.live_transcription,
        language=settings.language,
    )
    result = app.run()
    return int(result or 0)


if __name__ == "__main__":
    import sys

    raise SystemExit(run_app(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
