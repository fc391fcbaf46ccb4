"""Static files under URLs that carry their content hash, so a browser keeps them for a year.

`asset_url("portal.css")` → `/portal-static/v/<hash>/portal.css`. A new release changes the
hash of what changed and nothing else, so a phone on a weak link fetches only that. Text
files are sent gzip-compressed to browsers that accept it (weui's stylesheet shrinks from
184 KB to 23 KB), compressed once per process.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, request, url_for

STATIC_DIR = Path(__file__).parent / "static"
YEAR = 365 * 24 * 3600
COMPRESSIBLE = (".css", ".js", ".svg", ".json", ".webmanifest")

bp = Blueprint("portal_assets", __name__)


@lru_cache(maxsize=256)
def _load(filename: str, mtime_ns: int) -> tuple[str, bytes, bytes | None]:
    """(hash, bytes, gzip bytes or None), cached per file version (the mtime keys it)."""
    data = (STATIC_DIR / filename).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    packed = gzip.compress(data, 9, mtime=0) if filename.endswith(COMPRESSIBLE) else None
    return digest, data, packed


def _file(filename: str) -> tuple[str, bytes, bytes | None]:
    path = (STATIC_DIR / filename).resolve()
    if STATIC_DIR.resolve() not in path.parents or not path.is_file():
        abort(404)
    return _load(filename, path.stat().st_mtime_ns)


def asset_url(filename: str) -> str:
    digest, _data, _packed = _file(filename)
    return url_for("portal_assets.asset", digest=digest, filename=filename)


@bp.get("/portal-static/v/<digest>/<path:filename>")
def asset(digest: str, filename: str) -> Response:
    current, data, packed = _file(filename)
    response = Response(
        data, mimetype=mimetypes.guess_type(filename)[0] or "application/octet-stream"
    )
    if packed is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(packed)
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    # An old hash still gets the file (a page cached before a release), but only briefly.
    response.cache_control.public = True
    response.cache_control.max_age = YEAR if digest == current else 60
    if digest == current:
        response.cache_control.immutable = True
    return response
