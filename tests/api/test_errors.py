"""Every failure answers in the one error envelope, never with a traceback."""

import pytest

from backend import create_app
from backend.extensions import limiter


def assert_envelope(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def test_unknown_path_is_404(client):
    assert_envelope(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_wrong_method_is_405(client):
    assert_envelope(client.delete("/api/v1/health"), 405, "method_not_allowed")


def test_body_over_the_limit_is_413(app_config, _schema):
    client = create_app({**app_config, "MAX_CONTENT_LENGTH": 1024}).test_client()
    response = client.post("/api/v1/regions", data="x" * 2048, content_type="application/json")
    assert_envelope(response, 413, "payload_too_large")


def test_json_sent_as_text_is_415(client):
    response = client.post("/api/v1/regions", data='{"a": 1}', content_type="text/plain")
    assert_envelope(response, 415, "unsupported_media_type")


def test_validation_error_names_the_field(client):
    error = assert_envelope(client.get("/api/v1/regions?limit=0"), 422, "validation_error")
    assert error["details"] == {"limit": ["应在 1 到 100 之间"]}


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("[" * 100_000, "deeply nested"),
        ('{"a":', "truncated"),
        ('{"a": NaN}', "NaN literal"),
        ('{"a": Infinity}', "Infinity literal"),
        ('{"a": 1, "a": 2}', "duplicate keys"),
    ],
)
def test_unparseable_json_is_400(client, body, why):
    response = client.post("/api/v1/regions", data=body, content_type="application/json")
    assert_envelope(response, 400, "bad_request")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"name": "张\\u0000三"}', "name"),
        ('{"name": "\\ud800"}', "name"),
        ('{"members": [{"name": "ok"}, {"name": "\\udfff"}]}', "members.1.name"),
    ],
)
def test_unstorable_text_is_422_naming_the_field(client, body, field):
    response = client.post("/api/v1/regions", data=body, content_type="application/json")
    error = assert_envelope(response, 422, "validation_error")
    assert field in error["details"]


@pytest.mark.parametrize("limit", ["１２", "1.5", "true", "1_0", " 12", "1e2"])
def test_numbers_must_be_ascii_whole_numbers(client, limit):
    response = client.get("/api/v1/regions", query_string={"limit": limit})
    error = assert_envelope(response, 422, "validation_error")
    assert error["details"] == {"limit": ["应为整数"]}


@pytest.fixture
def fragile_client(app_config, _schema):
    """An app with two extra routes: one that breaks, one rate limited."""
    app = create_app(app_config)

    @app.get("/api/v1/_boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @app.get("/api/v1/_limited")
    @limiter.limit("1/minute")
    def limited():
        return {"ok": True}

    with app.app_context():
        from backend.redis_connection import get_redis

        get_redis().flushdb()
    return app.test_client()


def test_unexpected_exception_is_a_generic_500(fragile_client):
    response = fragile_client.get("/api/v1/_boom")
    assert_envelope(response, 500, "internal_error")
    text = response.get_data(as_text=True)
    assert "secret internal detail" not in text
    assert "Traceback" not in text


def test_rate_limit_is_429(fragile_client):
    assert fragile_client.get("/api/v1/_limited").status_code == 200
    assert_envelope(fragile_client.get("/api/v1/_limited"), 429, "rate_limited")
