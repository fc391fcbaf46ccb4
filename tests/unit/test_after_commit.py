"""Work asked for in a transaction runs once it commits, never for a rolled-back part."""

from sqlalchemy import text

from backend.extensions import db
from backend.services import after_commit


def asks(done: list[str], name: str) -> None:
    after_commit.call(db.session, done.append, name)


def test_work_waits_for_the_commit(app):
    done: list[str] = []
    db.session.execute(text("SELECT 1"))
    asks(done, "queue the job")
    assert done == []
    db.session.commit()
    assert done == ["queue the job"]


def test_a_rollback_drops_the_work(app):
    done: list[str] = []
    db.session.execute(text("SELECT 1"))
    asks(done, "never")
    db.session.rollback()
    db.session.commit()
    assert done == []


def test_a_released_savepoint_waits_for_the_outer_commit(app):
    done: list[str] = []
    db.session.execute(text("SELECT 1"))
    with db.session.begin_nested():
        asks(done, "inside")
    assert done == []
    db.session.commit()
    assert done == ["inside"]


def test_a_rolled_back_savepoint_drops_only_its_own_work(app):
    done: list[str] = []
    db.session.execute(text("SELECT 1"))
    asks(done, "before")
    with db.session.begin_nested():
        asks(done, "kept")
    savepoint = db.session.begin_nested()
    asks(done, "refused")
    savepoint.rollback()
    asks(done, "after")
    db.session.commit()
    assert done == ["before", "kept", "after"]


def test_a_closed_session_leaves_no_work_for_its_next_transaction(app):
    done: list[str] = []
    db.session.execute(text("SELECT 1"))
    asks(done, "abandoned")
    db.session.close()
    db.session.execute(text("SELECT 1"))
    db.session.commit()
    assert done == []
