"""Model resolution offline: order, missing models, the download path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audio import fetch
from audio.convert import read_ct2_model
from audio.fetch import get_model
from audio.models import (
    BASE_MODEL_BYTES,
    list_models,
    model_cache_dir,
    packaged_tiny_en,
    resolve_model,
)
from kvale_errors import TranscriptionError

MISSING_SMALL = (
    "The model 'small' is not on this computer. Fetch it once with `kvale models get small` "
    "(needs a network), or pass a model folder with --model PATH."
)


@pytest.fixture
def no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if anything tries the network download."""

    def boom(name: str, output_dir: Path) -> Path:
        raise AssertionError(f"download of {name} attempted")

    monkeypatch.setattr(fetch, "_download", boom)


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVALE_MODEL_CACHE", str(tmp_path / "c"))
    assert model_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("KVALE_MODEL_CACHE")
    assert model_cache_dir() == Path(os.environ["XDG_CACHE_HOME"]) / "kvale" / "models"


def test_packaged_tiny_en_is_used_in_place(no_download: None) -> None:
    found = resolve_model("tiny.en", "faster-whisper")
    assert found.source == "package"
    assert found.path == packaged_tiny_en()
    assert found.languages == ("en",)
    assert found.format == "ct2"


def test_packaged_base_is_rebuilt_once_and_checked(no_download: None, model_cache: Path) -> None:
    found = resolve_model("base", "faster-whisper")
    assert found.source in ("package", "cache")
    assert (found.path / "model.bin").stat().st_size == BASE_MODEL_BYTES
    assert found.path.parent == model_cache
    assert {"no", "nn", "en"} <= set(found.languages)
    mtime = (found.path / "model.bin").stat().st_mtime_ns
    again = resolve_model("base", "openai-whisper")
    assert again.source == "cache"
    assert (again.path / "model.bin").stat().st_mtime_ns == mtime  # not rebuilt


def test_truncated_cached_base_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVALE_MODEL_CACHE", str(tmp_path))
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "config.json").write_text("{}")
    (tmp_path / "base" / "model.bin").write_bytes(b"\x06\x00\x00\x00")
    found = resolve_model("base", "faster-whisper")
    assert found.source == "package"
    assert (found.path / "model.bin").stat().st_size == BASE_MODEL_BYTES


def test_order_path_then_cache_then_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_download: None
) -> None:
    tiny = packaged_tiny_en()
    assert tiny is not None
    cache = tmp_path / "cache"
    monkeypatch.setenv("KVALE_MODEL_CACHE", str(cache))
    assert resolve_model("tiny.en", "faster-whisper").source == "package"
    shutil.copytree(tiny, cache / "tiny.en")
    cached = resolve_model("tiny.en", "faster-whisper")
    assert (cached.source, cached.path) == ("cache", cache / "tiny.en")
    mine = tmp_path / "my-models" / "tiny-en-ct2"
    shutil.copytree(tiny, mine)
    given = resolve_model(str(mine), "faster-whisper")
    assert (given.source, given.path, given.format) == ("path", mine, "ct2")


def test_missing_model_is_the_sentence(no_download: None) -> None:
    with pytest.raises(TranscriptionError) as err:
        resolve_model("small", "faster-whisper")
    assert str(err.value) == MISSING_SMALL


def test_a_path_that_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(TranscriptionError, match="is not a Whisper model"):
        resolve_model(str(tmp_path), "faster-whisper")
    with pytest.raises(TranscriptionError, match="There is no model at"):
        resolve_model(str(tmp_path / "nothing"), "faster-whisper")


def test_openai_checkpoint_path_needs_openai_engine(tmp_path: Path) -> None:
    pt = tmp_path / "tiny.en.pt"
    pt.write_bytes(b"x")
    assert resolve_model(str(pt), "openai-whisper").format == "openai"
    with pytest.raises(TranscriptionError, match="--engine openai-whisper"):
        resolve_model(str(pt), "faster-whisper")


def test_get_model_does_not_download_what_is_here(no_download: None) -> None:
    assert get_model("tiny.en") == packaged_tiny_en()


def test_list_models_shows_the_offline_ones(no_download: None) -> None:
    names = {m.name: m for m in list_models()}
    assert {"tiny.en", "base"} <= set(names)
    assert names["tiny.en"].size_bytes > 70_000_000
    assert names["tiny.en"].languages == "en"
    assert names["base"].languages.startswith("multilingual")
    assert {"no", "nn"} <= set(names["base"].language_codes)
    assert "small" not in names


def test_incomplete_small_style_model_bin_is_a_sentence(tmp_path: Path) -> None:
    tiny = packaged_tiny_en()
    assert tiny is not None
    data = (tiny / "model.bin").read_bytes()
    cut = tmp_path / "model.bin"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(TranscriptionError, match="is incomplete"):
        read_ct2_model(cut)


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare -n")
def test_get_model_offline_says_so(tmp_path: Path) -> None:
    """The real download path, in a network namespace with no network at all."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here (needs root or user namespaces)")
    code = (
        "from audio.fetch import get_model\n"
        "from kvale_errors import TranscriptionError\n"
        "try:\n    get_model('small')\n"
        "except TranscriptionError as e:\n    print('SENTENCE:', e)\n"
    )
    env = {**os.environ, "KVALE_MODEL_CACHE": str(tmp_path), "HF_HUB_ETAG_TIMEOUT": "5"}
    out = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    assert "SENTENCE: could not download the model 'small'; this machine seems offline." in (
        out.stdout
    ), out.stdout + out.stderr
