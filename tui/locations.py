"""Where kvale keeps its own (non-project) files: one module, platformdirs.

Nothing personal is written here: interview data lives only in the project
folder the researcher chose. These folders hold kvale's settings and caches
(the model cache lives in `audio.models`, which honours KVALE_MODEL_CACHE).
Tests point every location at a temp folder through the XDG variables.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir

APP_NAME = "kvale"


def config_dir() -> Path:
    """Folder of kvale's settings file."""
    return Path(user_config_dir(APP_NAME))


def config_file() -> Path:
    """kvale's settings file (TOML-like key = value lines, see `tui.settings`)."""
    return config_dir() / "settings.json"


def cache_dir() -> Path:
    """kvale's cache (models live in a sub-folder, see `audio.models`)."""
    return Path(user_cache_dir(APP_NAME))
