"""Fetching a model by name: the only code of kvale that uses the network.

`get_model` (``kvale models get NAME``) first looks offline (`audio.models.resolve_model`);
only a model not on this computer is downloaded. OpenAI's names go through faster-whisper's
own download; NB-Whisper names (`audio.catalog`) fetch the ``ct2/`` folder of the National
Library's repositories through the same hub client (``huggingface_hub``; ``HF_ENDPOINT``
points it at a mirror), pinned to one commit and checked against the hub's own checksums
before they enter the cache with a manifest (`audio.models.MANIFEST`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from audio.catalog import NB_SUBFOLDER, NB_TOP_FILES, NB_WHISPER_REPOS, is_nb_whisper
from audio.models import (
    MANIFEST,
    _base_parts,
    _is_ct2_folder,
    model_cache_dir,
    resolve_model,
)
from kvale_errors import N_, TranscriptionError

log = logging.getLogger(__name__)


def _download(name: str, output_dir: Path) -> Path:
    """The engines' normal download (faster-whisper's Hugging Face hub download)."""
    if is_nb_whisper(name):
        return _download_subfolder(NB_WHISPER_REPOS[name], NB_SUBFOLDER, NB_TOP_FILES, output_dir)
    from faster_whisper.utils import download_model

    return Path(download_model(name, output_dir=str(output_dir)))


def _download_subfolder(
    repo_id: str, subfolder: str, top_files: tuple[str, ...], target: Path
) -> Path:
    """Fetch ``subfolder/*`` (+ ``top_files``) of a hub repository into ``target``, verified.

    The download goes to ``<target>.partial`` (the hub client resumes it there after an
    interruption), pinned to the commit the hub names now; every file is checked against the
    hub's checksums (`HfApi.verify_repo_checksums`: SHA-256 for LFS files, the git blob hash
    for the others) and only then moved into ``target`` with a manifest (`MANIFEST`).

    Raises:
        TranscriptionError: the files do not match the hub's checksums, or the repository
            has no CTranslate2 model in ``subfolder``.
        Exception: whatever the hub client raises when it cannot reach the hub (`get_model`
            turns it into a sentence).
    """
    import hashlib

    from faster_whisper.utils import disabled_tqdm
    from huggingface_hub import HfApi, snapshot_download

    api = HfApi()
    commit = api.repo_info(repo_id).sha
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    snapshot_download(
        repo_id,
        revision=commit,
        allow_patterns=[f"{subfolder}/*", *top_files],
        local_dir=str(partial),
        tqdm_class=disabled_tqdm,  # as faster-whisper's own download
    )
    check = api.verify_repo_checksums(repo_id, revision=commit, local_dir=str(partial))
    if check.mismatches:
        for bad in check.mismatches:
            (partial / bad["path"]).unlink(missing_ok=True)
        names = ", ".join(m["path"] for m in check.mismatches)
        raise TranscriptionError(
            f"The download of {repo_id} is damaged ({names}: not what the hub's checksums say); "
            "the damaged files were removed. Run the same command again."
        )
    source = partial / subfolder
    if not _is_ct2_folder(source):
        raise TranscriptionError(
            f"{repo_id} has no CTranslate2 model in its {subfolder}/ folder (model.bin and "
            "config.json); kvale cannot use it."
        )
    staging = target.with_name(target.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    files: dict[str, dict[str, object]] = {}
    moves = [(p, p.name) for p in source.iterdir() if p.is_file()]
    moves += [(partial / f, f) for f in top_files if (partial / f).is_file()]
    for src, rel in moves:
        digest = hashlib.sha256()
        with src.open("rb") as fh:
            for block in iter(lambda: fh.read(16 * 1024 * 1024), b""):
                digest.update(block)
        files[rel] = {"size": src.stat().st_size, "sha256": digest.hexdigest()}
        os.replace(src, staging / rel)
    manifest: dict[str, object] = {
        "repo": repo_id,
        "commit": commit,
        "subfolder": subfolder,
        "files": files,
    }
    if not (staging / "tokenizer.json").is_file():
        borrowed = _borrow_tokenizer(staging)
        if borrowed is not None:
            manifest["tokenizer_from"] = borrowed
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)
    shutil.rmtree(partial, ignore_errors=True)
    return target


def _borrow_tokenizer(folder: Path) -> str | None:
    """A repository without ``tokenizer.json``: faster-whisper would fetch OpenAI's tokenizer
    over the network at every load. Whisper's multilingual tokenizer is the same file for
    every model with the same vocabulary, so the packaged base's is copied in when the
    vocabularies (``vocabulary.json``) are equal; otherwise nothing is copied.

    Returns:
        Where the tokenizer came from, or None.
    """
    parts = _base_parts()
    if parts is None:
        return None
    donor = parts[1].parent
    try:
        mine = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
        theirs = json.loads((donor / "vocabulary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if mine != theirs:
        return None
    shutil.copyfile(donor / "tokenizer.json", folder / "tokenizer.json")
    return "packaged base (same vocabulary)"


def _is_offline_error(exc: BaseException) -> bool:
    """True when the hub could not be reached at all (no network, DNS, refused, offline mode)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        kind = type(cur).__name__
        if kind in ("ConnectError", "ConnectTimeout", "OfflineModeIsEnabled", "URLError"):
            return True
        if kind == "LocalEntryNotFoundError":  # the hub client's "cannot reach, not cached"
            return True
        text = repr(cur).lower()
        if any(w in text for w in ("connect", "resolve", "network", "offline", "timed out")):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


OFFLINE = N_(
    "could not download the model '{name}'; this machine seems offline. Connect to the "
    "internet and run `kvale models get {name}` again, or pass a model folder with --model PATH."
)
"""The sentence shown when a model cannot be fetched because there is no network."""


def get_model(name: str) -> Path:
    """Make a model available offline, downloading it if needed (the only network path).

    Args:
        name: a Whisper model name such as ``small`` or ``large-v3-turbo``, an NB-Whisper
            name (``nb-whisper-base``), or a Hugging Face repository id of a CTranslate2
            model.

    Returns:
        The CTranslate2 model folder.

    Raises:
        TranscriptionError: the download failed (offline, damaged, or unknown name).
    """
    try:
        return resolve_model(name, "faster-whisper").path
    except TranscriptionError:
        pass
    target = model_cache_dir() / name.replace("/", "--")
    try:
        folder = _download(name, target)
    except TranscriptionError:
        raise
    except Exception as exc:
        log.info("download of %s failed: %r", name, exc)
        if _is_offline_error(exc):
            raise TranscriptionError.said(OFFLINE, name=name) from exc
        raise TranscriptionError.said(
            N_(
                "could not download the model '{name}'; the download failed ({problem}). "
                "Connect to the internet and run `kvale models get {name}` again, or pass a "
                "model folder with --model PATH."
            ),
            name=name,
            problem=exc,
        ) from exc
    return folder
