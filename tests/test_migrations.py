"""Migrations build exactly the schema the models describe, on every backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from backend import create_app
from backend.extensions import db
from tests.conftest import fresh_database


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(app_config):
    with fresh_database(app_config["SQLALCHEMY_DATABASE_URI"]) as url:
        app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, db.metadata) == []
            downgrade(revision="base")
            tables = set(inspect(create_engine(url)).get_table_names()) - {"alembic_version"}
            assert tables == set()
            db.engine.dispose()
