"""The ceilings' server: bare Flask over the raw database driver, nothing else.

Served by gunicorn exactly like the product (`gunicorn bench.ceiling_app:app`) and on
the same database, so product ÷ ceiling is what the product's own layers cost: the
ORM, schemas, the auth gate, scoping, the rules. `DATABASE_URL` names the database.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

import jwt
from flask import Flask, abort, jsonify, request

from backend.services.crypto import FieldCipher, mask_phone

app = Flask(__name__)
# The database, and the product's secrets for the same-work routes (the same token
# check, the same decryption).
app.config.update(
    DATABASE_URL=os.environ.get("DATABASE_URL", ""),
    JWT_SECRET_KEY=os.environ.get("JWT_SECRET_KEY", ""),
    FIELD_ENCRYPTION_KEY=os.environ.get("FIELD_ENCRYPTION_KEY", ""),
)
PAGE = 20


def sqlite_backed() -> bool:
    return app.config["DATABASE_URL"].startswith("sqlite")


def connection():
    """One connection per worker process, opened after gunicorn forks."""
    if "connection" not in app.extensions:
        url = app.config["DATABASE_URL"]
        if sqlite_backed():
            raw = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
            # The same settings as the product's SQLite connections (backend/database.py).
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA busy_timeout=30000")
        else:
            import psycopg

            raw = psycopg.connect(url)
        app.extensions["connection"] = raw
    return app.extensions["connection"]


def placeholder(sql: str) -> str:
    return sql if sqlite_backed() else sql.replace("?", "%s")


def execute(sql: str, params: tuple = ()):
    cursor = connection().cursor()
    cursor.execute(placeholder(sql), params)
    return cursor


@app.get("/json")
def bare_json():
    return jsonify(status="ok")


@app.post("/items")
def insert_one():
    """One INSERT of the request's JSON, committed."""
    (new_id,) = execute(
        "INSERT INTO bench_insert (payload, created_at) VALUES (?, ?) RETURNING id",
        (request.get_data(as_text=True), datetime.now(UTC).isoformat()),
    ).fetchone()
    connection().commit()
    return jsonify(id=new_id), 201


@app.get("/items")
def keyset_page():
    """One keyset SELECT of 20 rows, newest first, after the `before` id."""
    before = request.args.get("before", type=int, default=2**62)
    rows = execute(
        "SELECT id, region_code, status, amount, created_at, payload FROM bench_item"
        " WHERE id < ? ORDER BY id DESC LIMIT ?",
        (before, PAGE),
    ).fetchall()
    connection().commit()  # end the read transaction, as the product's session does
    keys = ("id", "region_code", "status", "amount", "created_at", "payload")
    return jsonify(items=[dict(zip(keys, map(str, row), strict=True)) for row in rows])


@app.post("/slots/<int:slot_id>/book")
def book(slot_id: int):
    """The raw conditional UPDATE: a place is taken only while one is left."""
    cursor = execute(
        "UPDATE bench_slot SET booked = booked + 1 WHERE id = ? AND booked < capacity",
        (slot_id,),
    )
    connection().commit()
    if cursor.rowcount == 1:
        return jsonify(slot_id=slot_id), 201
    return jsonify(error="slot_full"), 409


# ---- same work as the product, by hand ------------------------------------------

BEARER = (
    "SELECT u.id, u.role, u.name, u.username, u.phone_cipher, u.real_name_verified,"
    " u.is_active, u.tokens_valid_after, r.code, r.name,"
    " EXISTS (SELECT 1 FROM revoked_token WHERE jti IN (?, ?))"
    " FROM user_account u LEFT JOIN region r ON r.id = u.region_id WHERE u.id = ?"
)


def field_cipher() -> FieldCipher:
    if "field_cipher" not in app.extensions:
        app.extensions["field_cipher"] = FieldCipher(app.config["FIELD_ENCRYPTION_KEY"])
    return app.extensions["field_cipher"]


def _aware(value) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def signed_in() -> tuple:
    """The product's gate by hand: verify the HS256 access token (PyJWT, as
    flask-jwt-extended does), then one SELECT for its revocation and its account;
    401 for a revoked token, a disabled account, voided tokens or a changed role."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        claims = jwt.decode(token, app.config["JWT_SECRET_KEY"], algorithms=["HS256"])
    except jwt.PyJWTError:
        abort(401)
    if claims.get("type") != "access":
        abort(401)
    session_jti = claims.get("rjti") or claims["jti"]
    row = execute(BEARER, (claims["jti"], session_jti, int(claims["sub"]))).fetchone()
    if row is None or row[10] or not row[6]:
        abort(401)
    if claims.get("iat", 0) < int(_aware(row[7]).timestamp()) or claims.get("role") != row[1]:
        abort(401)
    return row


@app.get("/me")
def me():
    """`GET /api/v1/me`: the gate, then the account with its phone decrypted and masked."""
    row = signed_in()
    connection().rollback()  # the request's read transaction ends, as the product's does
    user_id, role, name, username, phone_cipher, verified = row[:6]
    phone = field_cipher().decrypt(bytes(phone_cipher)) if phone_cipher else None
    return jsonify(
        id=user_id,
        role=role,
        name=name,
        username=username,
        phone=mask_phone(phone) if phone else None,
        region={"code": row[8], "name": row[9]} if row[8] else None,
        real_name_verified=bool(verified),
    )


INDICATORS = (
    "affected_population",
    "deaths",
    "missing",
    "relocated",
    "need_emergency_aid",
    "collapsed_households",
    "collapsed_rooms",
    "severely_damaged_rooms",
    "generally_damaged_rooms",
    "crop_affected_ha",
    "crop_disaster_ha",
    "crop_failure_ha",
    "direct_loss_10k_yuan",
)
ROLLUP = (
    "SELECT region.parent_id, "
    + ", ".join(f"SUM(latest.{name})" for name in INDICATORS)
    + " FROM (SELECT region_id, "
    + ", ".join(INDICATORS)
    + ", ROW_NUMBER() OVER (PARTITION BY region_id"
    " ORDER BY occurred_at DESC, submitted_at DESC, id DESC) AS rank"
    " FROM disaster_report WHERE event_id = ?) AS latest"
    " JOIN region ON region.id = latest.region_id"
    " WHERE latest.rank = 1 GROUP BY region.parent_id ORDER BY region.parent_id"
)


@app.get("/rollup/<int:event_id>")
def rollup(event_id: int):
    """The disaster roll-up in one aggregate: each village's latest report, summed by
    township, and the townships into the county."""
    rows = execute(ROLLUP, (event_id,)).fetchall()
    connection().commit()
    townships = [
        dict(zip(("township_id", *INDICATORS), map(str, row), strict=True)) for row in rows
    ]
    county = {
        name: str(sum(float(row[i + 1]) for row in rows)) for i, name in enumerate(INDICATORS)
    }
    return jsonify(totals=county, children=townships)
