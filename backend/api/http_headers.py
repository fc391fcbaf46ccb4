"""Headers every API answer carries, and the request sizes the app answers itself.

- `Cache-Control: no-store` on every API answer that does not choose its own: the
  API's answers are personal (cases, tokens, files) unless a view says otherwise,
  and nothing personal may stay in a shared or browser cache.
- A path over `MAX_URL_LENGTH` gets 414 and headers over `MAX_HEADER_BYTES` 431, in
  the error envelope: both caps sit below gunicorn's own (`gunicorn_conf`), whose
  answers would be bare pages.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

MAX_URL_LENGTH = 2048
MAX_HEADER_BYTES = 7168


class UriTooLong(HTTPException):
    code = 414


class HeadersTooLarge(HTTPException):
    code = 431


def check_request_size() -> None:
    if len(request.full_path) > MAX_URL_LENGTH:
        raise UriTooLong()
    size = sum(len(name) + len(value) + 4 for name, value in request.headers.items())
    if size > MAX_HEADER_BYTES:
        raise HeadersTooLarge()


def no_store(response: Response) -> Response:
    if request.path.startswith("/api/") and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, check_request_size)
    app.after_request(no_store)
