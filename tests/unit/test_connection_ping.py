"""A pooled connection is pinged only after it sat idle: under load requests pay no
round trip for it, and a connection the server dropped meanwhile is replaced."""

from sqlalchemy import create_engine, event, text

from backend import database
from backend.extensions import db


def pings_while(monkeypatch, idle_seconds: float, action) -> int:
    """Run `action` with every pooled connection looking idle for `idle_seconds`."""
    db.session.remove()  # as between two requests: the connection waits in the pool
    pings = []
    ping = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda c: pings.append(c) or ping(c))
    now = database.time.monotonic()
    monkeypatch.setattr(database.time, "monotonic", lambda: now + idle_seconds)
    action()
    return len(pings)


def test_a_connection_in_use_a_moment_ago_is_not_pinged(client, login, monkeypatch):
    headers = login("county01")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    me = lambda: client.get("/api/v1/me", headers=headers)  # noqa: E731
    assert pings_while(monkeypatch, 0, me) == 0


def test_a_connection_idle_longer_is_pinged_first(client, login, monkeypatch):
    headers = login("county01")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    me = lambda: client.get("/api/v1/me", headers=headers)  # noqa: E731
    assert pings_while(monkeypatch, database.PING_AFTER_IDLE_SECONDS, me) == 1


def test_a_connection_the_server_dropped_while_idle_is_replaced(
    app, client, login, monkeypatch, database_url
):
    headers = login("county01")
    returned = []
    event.listen(db.engine.pool, "checkin", lambda dbapi, _record: returned.append(dbapi))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.session.remove()  # the request's connection is back in the pool, idle
    [idle] = {id(c): c for c in returned}.values()
    if db.engine.dialect.name == "postgresql":
        with create_engine(database_url).connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": idle.info.backend_pid})
    else:
        idle.close()  # a local file has no server to drop it: close it under the pool
    responses = []
    me = lambda: responses.append(client.get("/api/v1/me", headers=headers))  # noqa: E731
    assert pings_while(monkeypatch, database.PING_AFTER_IDLE_SECONDS, me) >= 1
    assert responses[0].status_code == 200
