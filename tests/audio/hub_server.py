"""A local stand-in for the Hugging Face hub: the few routes ``huggingface_hub`` calls.

The real hub cannot be reached here, so tests serve a folder laid out like a hub repository
(``<root>/<owner>/<name>/...``) over HTTP and point the real hub client at it with
``HF_ENDPOINT``. The routes and headers are the ones the client reads
(``huggingface_hub`` 2.x: ``HfApi.repo_info``, ``HfApi.list_repo_tree``,
``hf_hub_download``'s HEAD + GET on ``/resolve/``): repository info with its commit,
the file tree with sizes and hashes (git blob SHA-1, LFS SHA-256 for big files), and
files with ``X-Repo-Commit``/``ETag``/``Content-Length`` and byte ranges.
"""

from __future__ import annotations

import hashlib
import json
import threading
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

COMMIT = "0123456789abcdef0123456789abcdef01234567"
LFS_FROM = 10 * 1024 * 1024  # files this large are LFS files on the real hub


@cache
def _hashes(path: Path, size: int, mtime: int) -> tuple[str, str]:
    sha1 = hashlib.sha1(f"blob {size}\0".encode())
    sha256 = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(8 * 1024 * 1024), b""):
            sha1.update(block)
            sha256.update(block)
    return sha1.hexdigest(), sha256.hexdigest()


def _entry(repo_dir: Path, path: Path) -> dict[str, object]:
    rel = path.relative_to(repo_dir).as_posix()
    if path.is_dir():
        return {"type": "directory", "path": rel, "oid": "0" * 40, "size": 0}
    st = path.stat()
    sha1, sha256 = _hashes(path, st.st_size, st.st_mtime_ns)
    entry: dict[str, object] = {"type": "file", "path": rel, "size": st.st_size, "oid": sha1}
    if st.st_size >= LFS_FROM:
        entry["lfs"] = {"oid": sha256, "size": st.st_size, "pointerSize": 134}
    return entry


class HubServer:
    """Serve ``root`` (``<owner>/<name>/<files>``) as a hub on 127.0.0.1; a context manager.

    Attributes:
        url: the endpoint to put in ``HF_ENDPOINT``.
        requests: the paths asked for, in order (to show what the client did).
    """

    def __init__(self, root: Path, corrupt: set[str] | None = None) -> None:
        self.root = root
        self.corrupt = corrupt or set()  # repo paths served with their first byte changed
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                server._serve(self, body=False)

            def do_GET(self) -> None:
                server._serve(self, body=True)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> HubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _json(self, h: BaseHTTPRequestHandler, data: object, status: int = 200) -> None:
        raw = json.dumps(data).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(raw)))
        h.end_headers()
        h.wfile.write(raw)

    def _missing(self, h: BaseHTTPRequestHandler, what: str) -> None:
        raw = json.dumps({"error": f"{what} not found"}).encode()
        h.send_response(404)
        h.send_header("X-Error-Code", "EntryNotFound" if what == "entry" else "RepoNotFound")
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(raw)))
        h.end_headers()
        h.wfile.write(raw)

    def _serve(self, h: BaseHTTPRequestHandler, body: bool) -> None:
        url = urlparse(h.path)
        parts = [unquote(p) for p in url.path.split("/") if p]
        self.requests.append(f"{h.command} {url.path}")
        if parts[:2] == ["api", "models"] and len(parts) >= 4:
            repo_dir = self.root / parts[2] / parts[3]
            if not repo_dir.is_dir():
                return self._missing(h, "repo")
            if len(parts) == 4 or parts[4] == "revision":
                files = sorted(p for p in repo_dir.rglob("*") if p.is_file())
                siblings = [{"rfilename": p.relative_to(repo_dir).as_posix()} for p in files]
                repo = f"{parts[2]}/{parts[3]}"
                info = {"id": repo, "modelId": repo, "sha": COMMIT, "siblings": siblings}
                return self._json(h, {**info, "private": False, "tags": []})
            if parts[4] == "tree" and len(parts) >= 6:
                base = repo_dir.joinpath(*parts[6:])
                recursive = "recursive=true" in (url.query or "").lower()
                found = base.rglob("*") if recursive else base.iterdir()
                return self._json(h, [_entry(repo_dir, p) for p in sorted(found)])
        if len(parts) >= 5 and parts[2] == "resolve":
            repo_dir = self.root / parts[0] / parts[1]
            path = repo_dir.joinpath(*parts[4:])
            if not path.is_file():
                return self._missing(h, "entry")
            return self._file(h, repo_dir, path, body, "/".join(parts[4:]) in self.corrupt)
        return self._missing(h, "repo")

    def _file(
        self, h: BaseHTTPRequestHandler, repo_dir: Path, path: Path, body: bool, corrupt: bool
    ) -> None:
        entry = _entry(repo_dir, path)
        size = path.stat().st_size
        lfs = entry.get("lfs")
        etag = lfs["oid"] if isinstance(lfs, dict) else entry["oid"]
        start, end = 0, size - 1
        ranged = h.headers.get("Range")
        if ranged and ranged.startswith("bytes="):
            lo, _, hi = ranged[6:].partition("-")
            start = int(lo or 0)
            end = int(hi) if hi else size - 1
        h.send_response(206 if ranged else 200)
        h.send_header("X-Repo-Commit", COMMIT)
        h.send_header("ETag", f'"{etag}"')
        h.send_header("Content-Length", str(end - start + 1))
        if ranged:
            h.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        h.end_headers()
        if not body:
            return
        with path.open("rb") as fh:
            fh.seek(start)
            left = end - start + 1
            while left > 0:
                block = fh.read(min(left, 1024 * 1024))
                if not block:
                    break
                if corrupt and fh.tell() - len(block) == 0:
                    block = bytes([block[0] ^ 0xFF]) + block[1:]
                h.wfile.write(block)
                left -= len(block)
