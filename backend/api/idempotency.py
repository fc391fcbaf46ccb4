"""`@idempotent`: the Idempotency-Key header on POST views that create something.

    @blp.post("")
    @auth_required(Role.CITIZEN, Role.AGENT)
    @idempotent
    @blp.arguments(CreateSchema)
    @blp.response(201, ThingSchema)
    def create_thing(body): ...

Under `@auth_required` the keys are the caller's own; on a public view (no gate
above it, e.g. complaints) they share the "anonymous" scope, which never looks at
the IP: people behind one village router must not collide, and a retry from a
new network must still match. Without the header a request runs normally.

The claim, the view's work and the stored answer are one transaction: the view's
own `commit()` is held back (`backend.sessions.commit_held`) until the answer is
stored, so a crash leaves neither the work nor the key. Only 2xx answers are kept:
after a failure everything is rolled back, so the corrected or repeated request can
go through. A duplicate arriving meanwhile waits on the uncommitted claim, then gets
the stored answer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, make_response, request
from flask_jwt_extended import get_current_user
from werkzeug.datastructures import FileStorage

from backend.database import commit_keeping_loaded
from backend.errors import ValidationFailed
from backend.extensions import db
from backend.services import idempotency
from backend.services.idempotency import HEADER
from backend.sessions import commit_held

MAX_KEY_LENGTH = 255
VISIBLE_ASCII = re.compile(r"[!-~]+")


def idempotent(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        _check_key(key)
        scope = idempotency.scope_of(_caller_id())
        try:
            return _run_once(view, args, kwargs, scope, key)
        except Exception:
            db.session.rollback()  # neither the work nor the claim is kept
            raise

    return wrapper


def _run_once(view: Callable, args: tuple, kwargs: dict, scope: str, key: str) -> Response:
    replay = idempotency.claim(db.session, scope, key, _request_hash())
    if replay:
        # A lost claim still holds SQLite's write lock: end it before answering.
        db.session.rollback()
        return _replayed(replay)
    session = db.session()
    with commit_held(session):
        response = make_response(view(*args, **kwargs))
    if 200 <= response.status_code < 300:
        body = response.get_data(as_text=True)
        idempotency.complete(session, scope, key, response.status_code, body)
        commit_keeping_loaded(session)  # the answer is already built
    else:
        session.rollback()
    return response


def _check_key(key: str) -> None:
    if not key.strip():
        raise ValidationFailed.field(HEADER, "不能为空")
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed.field(HEADER, f"长度不能超过 {MAX_KEY_LENGTH}")
    if not VISIBLE_ASCII.fullmatch(key):
        raise ValidationFailed.field(HEADER, "只能包含可见的 ASCII 字符(建议使用 UUID)")


def _caller_id() -> int | None:
    try:
        user = get_current_user()
    except RuntimeError:  # no token was checked: a public view
        return None
    return user.id if user else None


def _request_hash() -> str:
    """The same request sent again hashes the same: JSON by content, not by bytes."""
    if request.is_json:
        body: Any = request.get_json(silent=True)
    else:
        files = sorted(request.files.items(multi=True), key=lambda item: item[0])
        body = {
            "form": sorted(request.form.items(multi=True)),
            "files": [[name, upload.filename, _file_digest(upload)] for name, upload in files],
        }
    text = json.dumps(
        [request.method, request.path, body],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _file_digest(upload: FileStorage) -> str:
    digest = hashlib.file_digest(upload.stream, "sha256").hexdigest()
    upload.stream.seek(0)  # the view reads it next
    return digest


def _replayed(replay: idempotency.Replay) -> Response:
    response = current_app.response_class(
        replay.body, status=replay.status, mimetype="application/json"
    )
    response.headers["Idempotent-Replayed"] = "true"
    return response
