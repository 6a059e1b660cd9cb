"""A whole interview in the real app (Pilot) and a `kvale import`, on an encrypted project,
watched from inside: run by tests/tui/test_privacy_app.py in a child process (under
strace there, so every file the process tree writes is listed).

usage: python privacy_interview.py WORKDIR AUDIO TRACK IMPORT_AUDIO

While the interview runs, a thread reads every file of the project folder every 0.1 s:
recording chunks are searched at once for windows of the played audio; every other
version of every file is kept and searched afterwards for the interviewer's note and
for the transcript's words. All log records (every logger, DEBUG) are kept too. The
findings go to WORKDIR/report.json.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sys
import threading
import time
from pathlib import Path

import soundfile as sf

NOTE = "wants a quieter office on Fridays"
PASS = "interview passphrase 42"


class Watcher(threading.Thread):
    def __init__(self, root: Path, windows: list[bytes]) -> None:
        super().__init__(daemon=True)
        self.root, self.windows = root, windows
        self.stop = threading.Event()
        self.blobs: dict[str, tuple[str, bytes]] = {}
        self.audio_hits: list[str] = []
        self.scans = 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.scan()
            time.sleep(0.1)

    def scan(self) -> None:
        self.scans += 1
        for p in list(self.root.rglob("*")):
            try:
                if not p.is_file():
                    continue
                data = p.read_bytes()
            except OSError:
                continue  # replaced or deleted between listing and reading
            if any(w in data for w in self.windows):
                self.audio_hits.append(str(p))
            if "chunk-" not in p.name and len(data) < 4_000_000:
                self.blobs.setdefault(hashlib.sha256(data).hexdigest(), (p.name, data))


async def interview(root: Path, audio: Path, track_path: Path, watcher: Watcher) -> str:
    from pilot_wait import wait_until
    from textual.widgets import Checkbox, Input

    from audio.capture import FileSource
    from store import Project
    from tui.app import KvaleApp
    from tui.screens.conduct import ConductScreen
    from tui.screens.confirm import ConfirmScreen

    track = json.loads(track_path.read_text())["markers"]
    project = Project.open(root)
    app = KvaleApp(
        project,
        model="tiny.en",
        live=True,
        source_factory=lambda: FileSource(audio, realtime=True),
        mic_check=False,
        check_interrupted=False,
    )

    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#participant", Input).value = "I7"
        form.query_one("#takes-part", Checkbox).value = True
        form.query_one("#audio-consent", Checkbox).value = True
        form.query_one("#language").value = "en"
        form.query_one("#guide").value = "nav-trivsel-en"
        await pilot.pause()
        form.action_start()
        await wait_until(pilot, lambda: isinstance(app.screen, ConductScreen), 10)
        session = app.session
        assert session is not None
        await wait_until(pilot, lambda: session.elapsed() >= track[0]["time"], 30)
        await pilot.press("m")  # a note, typed as the interviewer would
        await pilot.pause()
        app.screen.query_one(Input).value = NOTE
        await pilot.press("enter")
        await pilot.pause()
        await wait_until(pilot, lambda: session.recorder.finished, 60)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 240)
        confirm = app.screen
        watcher.scan()  # the moment before deletion
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: confirm.deleted, 30)
    iid = session.interview_id
    project.close()
    return iid


def main() -> int:
    work, audio, track, imported = (Path(a) for a in sys.argv[1:5])
    import os

    os.environ["KVALE_PASSPHRASE"] = PASS
    logs: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logs.append(f"{record.levelname} {record.name}: {record.getMessage()}")

    logging.getLogger().addHandler(Keep(logging.DEBUG))
    logging.getLogger().setLevel(logging.DEBUG)

    from store import Project, crypto

    root = work / "project"
    Project.init(root, passphrase=PASS, kdf_n=2**14).close()
    pcm, rate = sf.read(str(audio), dtype="int16")
    assert rate == 16000 and pcm.ndim == 1
    raw = pcm.astype("<i2").tobytes()
    windows = [raw[i : i + 64] for i in range(8000, len(raw) - 64, len(raw) // 40)]
    windows = [w for w in windows if len(set(w)) > 24]
    watcher = Watcher(root, windows)
    watcher.start()
    iid = asyncio.run(interview(root, audio, track, watcher))
    watcher.stop.set()
    watcher.join()

    from tui.cli import main as kvale

    code = kvale(
        [
            "-v",
            "--project",
            str(root),
            "import",
            str(imported),
            "--guide",
            "nav-trivsel-en",
            "--participant",
            "I8",
            "--consent",
            "--language",
            "en",
            "--model",
            "tiny.en",
        ]
    )
    assert code == 0
    crypto.unlock(root, PASS)
    project = Project.open(root, read_only=True)
    stored = project.interview(iid)
    words = sorted(
        {w.strip(".,?!").lower() for s in stored.segments for w in s.text.split()}
        | {
            w.strip(".,?!").lower()
            for s in project.interviews()
            if s.participant == "I8"
            for seg in project.interview(s.id).segments
            for w in seg.text.split()
        }
    )
    words = [w for w in words if len(w) >= 5 and w.isalpha()]
    plain_hits = sorted(
        {
            f"{name}:{n}"
            for name, data in watcher.blobs.values()
            for n in [NOTE, *words]
            if n.encode() in data.lower() or n.encode() in data
        }
    )
    log_hits = sorted({n for line in logs for n in [NOTE.lower(), *words] if n in line.lower()})
    report = {
        "interview": iid,
        "scans": watcher.scans,
        "versions": len(watcher.blobs),
        "windows": len(windows),
        "audio_hits": sorted(set(watcher.audio_hits)),
        "plain_hits": plain_hits,
        "words": words,
        "notes": [m.text for m in stored.notes],
        "log_lines": len(logs),
        "log_hits": log_hits,
        "consent": bool(project.has_audio_consent("I8")),
    }
    (work / "report.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
