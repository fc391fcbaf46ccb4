"""Checks every API request body before any view or schema sees it.

Known traps of the stack: deeply nested JSON makes Python's json raise RecursionError
(a 500 in Flask), NaN/Infinity parse, duplicate keys are silently last-wins, and NUL
or lone surrogates crash database writes later.

Size first: a JSON body is capped in bytes (`JSON_MAX_BYTES`, 413 above; read no
further, even when chunked) and in object keys (`JSON_MAX_KEYS`, 400 above) before
it is parsed, so a megabyte of unknown keys never holds a worker nor comes back as
a megabyte of errors. Anonymous routes take far smaller caps with `body_limits`,
checked inside the view below its rate limits: a refused body counts against the
caller's limit like any other attempt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from backend.errors import DomainError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed

BODY_METHODS = {"POST", "PUT", "PATCH"}
FORM_MIMETYPES = {"multipart/form-data"}


class BadJSON(DomainError):
    status, code = 400, "bad_request"


def _reject_constant(name: str) -> Any:
    raise BadJSON(f"JSON 中不允许 {name}")


def _unique_keys(max_keys: int) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    seen = 0

    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal seen
        seen += len(pairs)
        if seen > max_keys:
            raise BadJSON(f"JSON 字段过多(最多 {max_keys} 个)")
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise BadJSON(f"JSON 字段重复:{key[:40]}")
            result[key] = value
        return result

    return build


def bad_text_reason(text: str) -> str | None:
    """Why a string cannot be stored, or None when it can."""
    if "\x00" in text:
        return "不能包含空字符"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "包含无效的字符编码"
    return None


def check_document(document: Any, max_depth: int) -> None:
    """Walk the parsed JSON without recursion; reject depth and unstorable text."""
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > max_depth:
            raise BadJSON(f"JSON 嵌套超过 {max_depth} 层")
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{path}.{key}" if path else key
                reason = bad_text_reason(key)
                if reason:
                    raise ValidationFailed.field(path or "_schema", f"字段名{reason}")
                stack.append((value, child, depth + 1))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                stack.append((value, f"{path}.{index}" if path else str(index), depth + 1))
        elif isinstance(node, str):
            reason = bad_text_reason(node)
            if reason:
                raise ValidationFailed.field(path or "_schema", reason)


def parse_json_body(raw: bytes, max_depth: int, max_keys: int) -> Any:
    try:
        document = json.loads(
            raw, parse_constant=_reject_constant, object_pairs_hook=_unique_keys(max_keys)
        )
    except RecursionError:
        raise BadJSON(f"JSON 嵌套超过 {max_depth} 层") from None
    except (ValueError, UnicodeDecodeError):
        raise BadJSON("JSON 格式错误") from None
    check_document(document, max_depth)
    return document


def body_limits(max_bytes: int, max_keys: int) -> Callable:
    """Smaller caps for one route, checked when the view is called: put it below the
    route's rate limits and above its `@blp.arguments`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args, **kwargs):
            _check_body(max_bytes, max_keys)
            return view(*args, **kwargs)

        checked.body_limits = (max_bytes, max_keys)
        return checked

    return decorate


def small_json_body() -> Any:
    """The body of a `body_limits` route when it keeps to its caps, else None: for the
    rate limiter's key functions, which run before the view checks the body."""
    try:
        _check_body(*_route_limits())
    except (DomainError, HTTPException):
        return None
    return request.get_json(silent=True)


def _route_limits() -> tuple[int, int]:
    view = current_app.view_functions.get(request.endpoint or "")
    config = current_app.config
    return getattr(view, "body_limits", (config["JSON_MAX_BYTES"], config["JSON_MAX_KEYS"]))


def _check_body(max_bytes: int, max_keys: int) -> None:
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    if request.mimetype in FORM_MIMETYPES:
        for name, value in request.form.items(multi=True):
            reason = bad_text_reason(value)
            if reason:
                raise ValidationFailed.field(name, reason)
        return
    max_bytes = min(max_bytes, current_app.config["MAX_CONTENT_LENGTH"] or max_bytes)
    if (request.content_length or 0) > max_bytes:
        raise PayloadTooLarge(f"请求内容过大(最多 {max_bytes} 字节)")
    request.max_content_length = max_bytes  # a chunked body is cut off at the cap too
    raw = request.get_data(cache=True)
    if not raw:
        return
    if not request.is_json:
        raise UnsupportedMediaType()
    parse_json_body(raw, current_app.config["JSON_MAX_DEPTH"], max_keys)


def check_request_body() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if hasattr(view, "body_limits"):
        # The view checks it, below its rate limits; nothing reads past the cap meanwhile.
        request.max_content_length = min(
            view.body_limits[0], request.max_content_length or view.body_limits[0]
        )
        return
    _check_body(*_route_limits())


def init_app(app: Flask) -> None:
    app.before_request(check_request_body)
