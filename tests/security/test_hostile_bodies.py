"""Hostile JSON bodies: capped in bytes and keys before parsing, answered briefly, and
counted by the rate limits of the anonymous routes they were sent to."""

import pytest

from backend import gunicorn_conf
from backend.supervisor import commands

# 2,000,000 unknown keys, about 24 MB: what held a worker 18 s and came back as 75 MB.
HUGE_KEYS = 2_000_000


@pytest.fixture(scope="module")
def huge_body() -> bytes:
    return b"{" + b",".join(b'"k%d":0' % n for n in range(HUGE_KEYS)) + b"}"


def many_keys(count: int) -> bytes:
    return b"{" + b",".join(b'"%d":0' % n for n in range(count)) + b"}"


ANONYMOUS = [
    ("/api/v1/auth/login", "LOGIN_RATE_LIMIT_IP"),
    ("/api/v1/auth/sms-code", "SMS_RATE_LIMIT_IP"),
    ("/api/v1/auth/wechat", "LOGIN_RATE_LIMIT_IP"),
    ("/api/v1/dibao/estimate", "ESTIMATE_RATE_LIMIT_IP"),
]


def limit_only(app, setting: str, value: str) -> None:
    """`setting` at `value`; the per-account limits (bodies without an account share
    one key) out of the way."""
    app.config.update(LOGIN_RATE_LIMIT_ACCOUNT="1000/minute", SMS_RATE_LIMIT_PHONE="1000/minute")
    app.config[setting] = value


def post(client, path, raw: bytes, **headers):
    return client.post(path, data=raw, content_type="application/json", headers=headers)


@pytest.mark.parametrize(("path", "limit"), ANONYMOUS)
def test_a_huge_body_to_an_anonymous_route_is_413_briefly_and_counted(
    app, client, demo, huge_body, path, limit
):
    limit_only(app, limit, "3/minute")
    for _ in range(3):
        response = post(client, path, huge_body)
        assert response.status_code == 413
        assert response.get_json()["error"]["code"] == "payload_too_large"
        assert len(response.get_data()) < 500
    assert post(client, path, b"{}").status_code == 429


@pytest.mark.parametrize(("path", "limit"), ANONYMOUS)
def test_a_small_body_of_many_keys_is_refused_before_validation_and_counted(
    app, client, demo, path, limit
):
    limit_only(app, limit, "2/minute")
    body = many_keys(100)
    assert len(body) < 2048
    for _ in range(2):
        response = post(client, path, body)
        assert response.status_code == 400
        assert "字段过多" in response.get_json()["error"]["message"]
    assert post(client, path, body).status_code == 429


def test_invalid_sign_ins_count_against_the_limit_before_their_schema_is_checked(app, client, demo):
    limit_only(app, "LOGIN_RATE_LIMIT_IP", "2/minute")
    for _ in range(2):
        assert client.post("/api/v1/auth/login", json={"username": 1}).status_code == 422
    assert client.post("/api/v1/auth/login", json={"username": 1}).status_code == 429


def test_a_chunked_body_is_read_no_further_than_the_cap(client, demo, huge_body):
    """No Content-Length to refuse up front: reading stops at the cap, and what was
    read is not a whole JSON document."""
    import io

    response = client.post(
        "/api/v1/auth/login",
        input_stream=io.BytesIO(huge_body),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn says of chunked bodies
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "JSON 格式错误"


def test_a_signed_in_route_caps_bytes_before_parsing(app, client, login):
    app.config["JSON_MAX_BYTES"] = 4096
    response = post(client, "/api/v1/applications", many_keys(1000), **login("agent0101"))
    assert response.status_code == 413
    assert len(response.get_data()) < 500


def test_a_signed_in_route_caps_keys_before_parsing(app, client, login):
    app.config["JSON_MAX_KEYS"] = 50
    response = post(client, "/api/v1/applications", many_keys(51), **login("agent0101"))
    assert response.status_code == 400
    assert "字段过多" in response.get_json()["error"]["message"]


def test_an_error_names_at_most_twenty_fields(client, login):
    response = post(client, "/api/v1/applications", many_keys(3000), **login("agent0101"))
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert len(details) == 21
    assert details["_more"][0].startswith("另有 29")  # 3000 unknown, the missing fields too
    assert len(response.get_data()) < 4096


def test_a_long_unknown_field_name_is_cut_in_the_answer(client, login):
    body = b'{"' + b"k" * 100_000 + b'":0}'
    response = post(client, "/api/v1/applications", body, **login("agent0101"))
    assert response.status_code == 422
    assert len(response.get_data()) < 2048


def test_the_web_process_replaces_a_hung_worker_and_serves_on_threads():
    command = commands({"REDIS_URL": "redis://unused"})["web"]
    assert command[command.index("--config") + 1] == "python:backend.gunicorn_conf"
    assert gunicorn_conf.worker_class == "gthread" and gunicorn_conf.threads >= 2
    assert gunicorn_conf.timeout <= 30 and gunicorn_conf.graceful_timeout <= 30
