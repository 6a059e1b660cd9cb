"""Convert a CTranslate2 Whisper model folder into an openai-whisper checkpoint, once.

CTranslate2's ``model.bin`` (binary format version 6, written by
``ctranslate2/specs/model_spec.py``) is: u32 version, string spec name, u32 revision,
u32 variable count, then per variable: string name, u8 rank, u32 dims, u8 dtype,
u32 byte count, raw bytes; then u32 alias count and (alias, target) string pairs.
Strings are u16 length (including a NUL) + bytes.

Mapping to openai-whisper's state dict: the fused self-attention ``linear_0`` splits into
query/key/value (openai has no key bias; CT2's is zero); cross-attention ``linear_1``
splits into key/value; layer norms, convolutions and positional embeddings map one to one;
the output projection is the token embedding; dims come from the tensor shapes. Alignment
heads (for word timestamps) come from the CT2 ``config.json`` and are stored beside the
checkpoint.
"""

from __future__ import annotations

import json
import logging
import os
import re
import struct
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from kvale_errors import TranscriptionError

log = logging.getLogger(__name__)

_DTYPES: dict[int, Any] = {
    0: np.float32,
    1: np.int8,
    2: np.int16,
    3: np.int32,
    4: np.float16,
}


def _read_string(f: BinaryIO) -> str:
    (n,) = struct.unpack("<H", f.read(2))
    return f.read(n)[:-1].decode("utf-8")


def read_ct2_model(model_bin: Path) -> dict[str, npt.NDArray[Any]]:
    """Read every variable of a CTranslate2 ``model.bin`` (format version 6) into numpy.

    Raises:
        TranscriptionError: the file is not a version-6 CTranslate2 model or is truncated,
            or holds int8/bfloat16 weights (not supported here).
    """
    out: dict[str, npt.NDArray[Any]] = {}
    with model_bin.open("rb") as f:
        (version,) = struct.unpack("<I", f.read(4))
        if version != 6:
            raise TranscriptionError(
                f"{model_bin} has CTranslate2 format version {version}; kvale can convert "
                "only version 6. Use --engine faster-whisper with this model."
            )
        _read_string(f)  # spec name
        f.read(4)  # revision
        (count,) = struct.unpack("<I", f.read(4))
        for _ in range(count):
            name = _read_string(f)
            (rank,) = struct.unpack("<B", f.read(1))
            shape = struct.unpack(f"<{rank}I", f.read(4 * rank))
            dtype_id, nbytes = struct.unpack("<BI", f.read(5))
            data = f.read(nbytes)
            if len(data) != nbytes:
                raise TranscriptionError(
                    f"{model_bin} is incomplete (it stops inside '{name}'). Fetch the model "
                    "again with `kvale models get NAME`."
                )
            if dtype_id not in _DTYPES:
                raise TranscriptionError(
                    f"{model_bin} stores '{name}' in a format kvale cannot convert "
                    "(quantized or bfloat16). Use --engine faster-whisper with this model."
                )
            out[name] = np.frombuffer(data, dtype=_DTYPES[dtype_id]).reshape(shape)
        (aliases,) = struct.unpack("<I", f.read(4))
        for _ in range(aliases):
            alias, target = _read_string(f), _read_string(f)
            out[alias] = out[target]
    return out


def _layers(variables: dict[str, npt.NDArray[Any]], prefix: str) -> int:
    pattern = re.compile(rf"^{prefix}/layer_(\d+)/")
    return 1 + max(int(m.group(1)) for k in variables if (m := pattern.match(k)))


def ct2_to_state_dict(
    variables: dict[str, npt.NDArray[Any]],
) -> tuple[dict[str, int], dict[str, npt.NDArray[np.float32]]]:
    """Map CTranslate2 Whisper variables onto openai-whisper's dims and state dict."""
    sd: dict[str, npt.NDArray[np.float32]] = {}

    def put(dst: str, src: str) -> None:
        sd[dst] = np.asarray(variables[src], dtype=np.float32)

    def lin(dst: str, src: str, bias: bool = True) -> None:
        put(f"{dst}.weight", f"{src}/weight")
        if bias:
            put(f"{dst}.bias", f"{src}/bias")

    def ln(dst: str, src: str) -> None:
        put(f"{dst}.weight", f"{src}/gamma")
        put(f"{dst}.bias", f"{src}/beta")

    def fused(dst: str, names: list[str], src: str, key_bias: bool) -> None:
        w = np.asarray(variables[f"{src}/weight"], dtype=np.float32)
        b = np.asarray(variables[f"{src}/bias"], dtype=np.float32)
        for part, wp, bp in zip(
            names, np.split(w, len(names)), np.split(b, len(names)), strict=True
        ):
            sd[f"{dst}.{part}.weight"] = wp
            if part != "key" or key_bias:
                sd[f"{dst}.{part}.bias"] = bp

    for conv in ("conv1", "conv2"):
        lin(f"encoder.{conv}", f"encoder/{conv}")
    put("encoder.positional_embedding", "encoder/position_encodings/encodings")
    n_audio_layer = _layers(variables, "encoder")
    for i in range(n_audio_layer):
        s, d = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        fused(f"{d}.attn", ["query", "key", "value"], f"{s}/self_attention/linear_0", False)
        lin(f"{d}.attn.out", f"{s}/self_attention/linear_1")
        ln(f"{d}.attn_ln", f"{s}/self_attention/layer_norm")
        lin(f"{d}.mlp.0", f"{s}/ffn/linear_0")
        lin(f"{d}.mlp.2", f"{s}/ffn/linear_1")
        ln(f"{d}.mlp_ln", f"{s}/ffn/layer_norm")
    ln("encoder.ln_post", "encoder/layer_norm")

    put("decoder.token_embedding.weight", "decoder/embeddings/weight")
    put("decoder.positional_embedding", "decoder/position_encodings/encodings")
    n_text_layer = _layers(variables, "decoder")
    for i in range(n_text_layer):
        s, d = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        fused(f"{d}.attn", ["query", "key", "value"], f"{s}/self_attention/linear_0", False)
        lin(f"{d}.attn.out", f"{s}/self_attention/linear_1")
        ln(f"{d}.attn_ln", f"{s}/self_attention/layer_norm")
        lin(f"{d}.cross_attn.query", f"{s}/attention/linear_0")
        fused(f"{d}.cross_attn", ["key", "value"], f"{s}/attention/linear_1", False)
        lin(f"{d}.cross_attn.out", f"{s}/attention/linear_2")
        ln(f"{d}.cross_attn_ln", f"{s}/attention/layer_norm")
        lin(f"{d}.mlp.0", f"{s}/ffn/linear_0")
        lin(f"{d}.mlp.2", f"{s}/ffn/linear_1")
        ln(f"{d}.mlp_ln", f"{s}/ffn/layer_norm")
    ln("decoder.ln", "decoder/layer_norm")

    dims = {
        "n_mels": int(sd["encoder.conv1.weight"].shape[1]),
        "n_audio_ctx": int(sd["encoder.positional_embedding"].shape[0]),
        "n_audio_state": int(sd["encoder.positional_embedding"].shape[1]),
        "n_audio_head": int(variables["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(sd["decoder.token_embedding.weight"].shape[0]),
        "n_text_ctx": int(sd["decoder.positional_embedding"].shape[0]),
        "n_text_state": int(sd["decoder.positional_embedding"].shape[1]),
        "n_text_head": int(variables["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    return dims, sd


def checkpoint_path(ct2_folder: Path, cache: Path, name: str | None = None) -> Path:
    """Where the converted checkpoint of a CT2 folder lives in the cache."""
    stat = (ct2_folder / "model.bin").stat()
    return cache / "openai" / f"{name or ct2_folder.name}-{stat.st_size}.pt"


def convert_ct2_to_openai(
    ct2_folder: Path, cache: Path, name: str | None = None
) -> tuple[Path, list[list[int]]]:
    """Convert once and cache: returns the ``.pt`` path and the alignment heads.

    The checkpoint holds ``{"dims": ..., "model_state_dict": ...}`` as
    ``whisper.load_model(path)`` expects; alignment heads are saved next to it as JSON.
    """
    import torch

    target = checkpoint_path(ct2_folder, cache, name)
    heads_file = target.with_suffix(".heads.json")
    config = json.loads((ct2_folder / "config.json").read_text(encoding="utf-8"))
    heads: list[list[int]] = [list(map(int, h)) for h in config.get("alignment_heads", [])]
    if target.is_file() and heads_file.is_file():
        return target, heads
    log.info("converting %s to an openai-whisper checkpoint at %s", ct2_folder, target)
    dims, sd = ct2_to_state_dict(read_ct2_model(ct2_folder / "model.bin"))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    torch.save(
        {"dims": dims, "model_state_dict": {k: torch.from_numpy(v) for k, v in sd.items()}},
        partial,
    )
    os.replace(partial, target)
    heads_file.write_text(json.dumps(heads), encoding="utf-8")
    return target, heads
