"""One error envelope for every failure, and the domain exceptions services raise.

Services raise `DomainError` subclasses and know nothing of HTTP; this module
turns them, Werkzeug's HTTP errors, webargs' validation errors and database outages
(503) into

    {"error": {"code": "...", "message": "...", "details": {...}}}
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from flask import Flask, jsonify
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# Default code and Chinese message per HTTP status.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式错误"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "您没有权限执行此操作"),
    404: ("not_found", "找不到该资源"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "操作冲突,请刷新后重试"),
    413: ("payload_too_large", "上传内容过大"),
    414: ("uri_too_long", "请求地址过长"),
    415: ("unsupported_media_type", "不支持的内容类型,请使用 application/json"),
    422: ("validation_error", "提交的信息有误"),
    429: ("rate_limited", "操作过于频繁,请稍后再试"),
    431: ("headers_too_large", "请求头过大"),
    500: ("internal_error", "系统繁忙,请稍后再试"),
    503: ("service_unavailable", "服务暂不可用,请稍后再试"),
}

# marshmallow and webargs speak English; residents read Chinese.
FIELD_MESSAGES = {
    "Missing data for required field.": "必填项",
    "Unknown field.": "不允许提交该字段",
    "Field may not be null.": "不能为空",
    "Not a valid string.": "应为文字",
    "Not a valid integer.": "应为整数",
    "Not a valid number.": "应为数字",
    "Not a valid boolean.": "应为是或否",
    "Not a valid date.": "日期格式应为 YYYY-MM-DD",
    "Not a valid datetime.": "时间格式应为 ISO 8601",
    "Not a valid list.": "应为列表",
    "Not a valid mapping type.": "应为对象",
    "Invalid input type.": "应为 JSON 对象",
    "Invalid value.": "取值无效",
}
PATTERN_MESSAGES = (
    (
        re.compile(r"Must be greater than or equal to (\S+) and less than or equal to (\S+?)\.?$"),
        "应在 {0} 到 {1} 之间",
    ),
    (re.compile(r"Must be greater than or equal to (\S+?)\.?$"), "不能小于 {0}"),
    (re.compile(r"Must be less than or equal to (\S+?)\.?$"), "不能大于 {0}"),
    (re.compile(r"Length must be between (\d+) and (\d+)\.$"), "长度应为 {0} 到 {1}"),
    (re.compile(r"Shorter than minimum length (\d+)\.$"), "长度不能少于 {0}"),
    (re.compile(r"Longer than maximum length (\d+)\.$"), "长度不能超过 {0}"),
    (re.compile(r"Must be one of: (.*)\.$"), "取值应为其中之一:{0}"),
)


class DomainError(Exception):
    """A rule said no. Subclasses fix the HTTP status and the stable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str | None = None, details: Mapping[str, Any] | None = None):
        self.message = message or STATUS_ERRORS[self.status][1]
        self.details = dict(details or {})
        super().__init__(self.message)


class NotFound(DomainError):
    status, code = 404, "not_found"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Conflict(DomainError):
    status, code = 409, "conflict"


class ActionNotAllowed(Conflict):
    code = "action_not_allowed"


class StaleVersion(Conflict):
    code = "stale_version"


class ValidationFailed(DomainError):
    """Bad input: `details` names each field (dotted path) with its messages."""

    status, code = 422, "validation_error"

    @classmethod
    def field(cls, name: str, message: str) -> ValidationFailed:
        return cls(message, {name: [message]})


class UnsupportedMediaType(DomainError):
    status, code = 415, "unsupported_media_type"


class PayloadTooLarge(DomainError):
    status, code = 413, "payload_too_large"


class ServiceUnavailable(DomainError):
    status, code = 503, "service_unavailable"


# An error names at most this many fields, each name cut to this length: a body of a
# million unknown keys gets a short answer, not a megabyte of them echoed back.
MAX_DETAIL_FIELDS = 20
MAX_FIELD_NAME = 100


def bounded_details(details: Mapping[str, Any]) -> dict[str, Any]:
    names = list(details)
    bounded = {name[:MAX_FIELD_NAME]: details[name] for name in names[:MAX_DETAIL_FIELDS]}
    if len(names) > MAX_DETAIL_FIELDS:
        bounded["_more"] = [f"另有 {len(names) - MAX_DETAIL_FIELDS} 项错误未列出"]
    return bounded


def error_response(
    status: int,
    code: str | None = None,
    message: str | None = None,
    details: Mapping[str, Any] | None = None,
    headers=None,
):
    default_code, default_message = STATUS_ERRORS.get(status, STATUS_ERRORS[500])
    body: dict[str, Any] = {"code": code or default_code, "message": message or default_message}
    if details:
        body["details"] = bounded_details(details)
    response = jsonify(error=body)
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def translate(message: str) -> str:
    if message in FIELD_MESSAGES:
        return FIELD_MESSAGES[message]
    for pattern, chinese in PATTERN_MESSAGES:
        match = pattern.match(message)
        if match:
            return chinese.format(*match.groups())
    return message


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """{"json": {"applicant": {"id_number": ["x"]}}} -> {"applicant.id_number": ["x"]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if key == "_schema" and prefix:
                name = prefix  # a nested object's own error belongs to its field
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_messages(value, name))
    elif isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = [translate(m) for m in messages]
    elif isinstance(messages, list | tuple):
        for index, value in enumerate(messages):
            flat.update(flatten_messages(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "_schema"] = [translate(str(messages))]
    return flat


# webargs nests messages under the request location; the field path is what helps.
REQUEST_LOCATIONS = ("json", "query", "form", "files", "headers", "cookies", "json_or_form")


def validation_details(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, Mapping) and set(messages) <= set(REQUEST_LOCATIONS):
        merged: dict[str, list[str]] = {}
        for location_messages in messages.values():
            merged.update(flatten_messages(location_messages))
        return merged
    return flatten_messages(messages)


def http_exception_response(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        details = validation_details(data["messages"])
        message = next(iter(details.values()))[0]
        return error_response(422, message=message, details=details, headers=data.get("headers"))
    message = data.get("message") if isinstance(data.get("message"), str) else None
    headers = dict(data.get("headers") or {})
    if getattr(error, "valid_methods", None):  # 405 says what the resource does take
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return error_response(status, message=message, headers=headers)


def _discard_unsaved_changes() -> None:
    # A refused or failed request must leave nothing half-done in the session.
    from backend.extensions import db

    db.session.rollback()


def _is_database_outage(error: DBAPIError) -> bool:
    """The database could not be reached or dropped the connection: nobody's fault in
    the request, so 503 and "try again", where other driver errors are bugs (500)."""
    return isinstance(error, OperationalError) or error.connection_invalidated


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def on_domain_error(error: DomainError):
        _discard_unsaved_changes()
        return error_response(error.status, error.code, error.message, error.details)

    @app.errorhandler(HTTPException)
    def on_http_exception(error: HTTPException):
        return http_exception_response(error)

    @app.errorhandler(Exception)
    def on_unexpected(error: Exception):
        # Last resort: log the traceback for operators, show people nothing of it.
        log.exception("unhandled error")
        _discard_unsaved_changes()
        return error_response(500)

    @app.errorhandler(DBAPIError)
    def on_database_error(error: DBAPIError):
        if not _is_database_outage(error):
            return on_unexpected(error)
        # The driver's message only: the SQL parameters may hold personal data.
        log.error("database unavailable, request refused with 503: %s", error.orig)
        with suppress(DBAPIError):  # on a dead connection the rollback fails the same way
            _discard_unsaved_changes()
        return error_response(503)
