"""Checks every API request body before any view or schema sees it.

Known traps of the stack (docs/reliability.md): deeply nested JSON makes Python's json
raise RecursionError (a 500 in Flask), NaN/Infinity parse, duplicate keys are
silently last-wins, and NUL or lone surrogates crash database writes later.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, current_app, request

from backend.errors import DomainError, UnsupportedMediaType, ValidationFailed

BODY_METHODS = {"POST", "PUT", "PATCH"}
FORM_MIMETYPES = {"multipart/form-data"}


class BadJSON(DomainError):
    status, code = 400, "bad_request"


def _reject_constant(name: str) -> Any:
    raise BadJSON(f"JSON 中不允许 {name}")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise BadJSON(f"JSON 字段重复:{key}")
        result[key] = value
    return result


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


def parse_json_body(raw: bytes, max_depth: int) -> Any:
    try:
        document = json.loads(raw, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise BadJSON(f"JSON 嵌套超过 {max_depth} 层") from None
    except (ValueError, UnicodeDecodeError):
        raise BadJSON("JSON 格式错误") from None
    check_document(document, max_depth)
    return document


def check_request_body() -> None:
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    if request.mimetype in FORM_MIMETYPES:
        for name, value in request.form.items(multi=True):
            reason = bad_text_reason(value)
            if reason:
                raise ValidationFailed.field(name, reason)
        return
    raw = request.get_data(cache=True)
    if not raw:
        return
    if not request.is_json:
        raise UnsupportedMediaType()
    parse_json_body(raw, current_app.config["JSON_MAX_DEPTH"])


def init_app(app: Flask) -> None:
    app.before_request(check_request_body)
