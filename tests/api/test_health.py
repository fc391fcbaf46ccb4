"""GET /health names the part that is down, with 503."""

from backend import create_app
from backend.redis_connection import embedded_url, start_embedded


def test_health_is_ok_when_everything_answers(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_health_is_503_when_redis_stops(app_config, _schema, tmp_path):
    server = start_embedded(tmp_path)
    client = create_app({**app_config, "REDIS_URL": embedded_url(server)}).test_client()
    assert client.get("/api/v1/health").status_code == 200
    server.shutdown()
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "degraded", "database": "ok", "redis": "down"}


def test_health_is_503_when_the_database_is_unreachable(app_config):
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    client = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": unreachable}).test_client()
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"
    assert response.get_json()["redis"] == "ok"
