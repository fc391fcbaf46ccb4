"""The hash chain: sealed in id order after the fact, so writers never wait on each
other; an edited or deleted sealed row is found; pruning keeps it verifiable."""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import text

from backend import create_app
from backend.config import ConfigError, from_environment
from backend.extensions import db
from backend.models import AuditLog
from backend.services import audit
from backend.services.daily import DAILY_RULES, load_rule

PRUNE_DAY = date(2026, 7, 1)
PRUNE_CUTOFF = datetime(2025, 12, 28, 16, 0, tzinfo=UTC)  # 184 days before 2026-07-01, Shanghai


def write(count: int, at: datetime | None = None, **fields) -> list[AuditLog]:
    rows = [
        AuditLog(at=at or datetime.now(UTC), action=f"test.{n}", result="success", **fields)
        for n in range(count)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_rows_are_written_unsealed_and_sealed_in_id_order(app, seal_all, audit_rows):
    write(5)
    assert all(not row.sealed for row in audit_rows())
    assert len(seal_all()) == 5
    rows = audit_rows()
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == audit.GENESIS_HASH
    for previous, row in pairwise(rows):
        assert row.prev_hash == previous.row_hash
        assert row.row_hash == audit.chain_hash(row)


def test_an_intact_chain_verifies(app, seal_all, audit_rows):
    write(7)
    seal_all()
    write(2)  # not sealed yet: counted, not checked
    report = audit.verify(db.session)
    rows = audit_rows()
    assert report.valid
    assert (report.checked, report.unsealed) == (7, 2)
    assert (report.first_id, report.last_id) == (rows[0].id, rows[6].id)
    assert report.head_hash == rows[6].row_hash


def test_an_empty_log_verifies(app):
    report = audit.verify(db.session)
    assert report.valid and report.checked == 0 and report.head_hash is None


def test_a_row_committed_late_is_sealed_after_the_others(app, seal_all, audit_rows):
    write(1, id=100)
    seal_all()
    # A transaction that took an earlier id but committed after the sealing run.
    write(1, id=50)
    seal_all()
    assert [(row.id, row.seq) for row in audit_rows()] == [(50, 2), (100, 1)]
    assert audit.verify(db.session).valid


def test_an_edited_sealed_row_is_named(app, seal_all, audit_rows):
    write(6, after_status="submitted")
    seal_all()
    target = audit_rows()[3]
    db.session.execute(
        text("UPDATE audit_log SET after_status = 'approved' WHERE id = :id"), {"id": target.id}
    )
    db.session.commit()
    report = audit.verify(db.session)
    assert not report.valid
    assert report.broken_id == target.id
    assert report.reason == "记录内容被修改"
    assert report.checked == 3


def test_a_recomputed_hash_does_not_hide_an_edit(app, seal_all, audit_rows):
    write(4)
    seal_all()
    target = audit_rows()[1]
    db.session.execute(
        text("UPDATE audit_log SET action = 'test.forged' WHERE id = :id"), {"id": target.id}
    )
    db.session.commit()
    db.session.expire_all()
    forged = db.session.get(AuditLog, target.id)
    db.session.execute(
        text("UPDATE audit_log SET row_hash = :hash WHERE id = :id"),
        {"hash": audit.chain_hash(forged), "id": target.id},
    )
    db.session.commit()
    report = audit.verify(db.session)
    assert report.broken_id == audit_rows()[2].id  # the next row still points at the old hash
    assert report.reason == "前序哈希不符"


def test_a_deleted_sealed_row_is_named_by_the_row_after_it(app, seal_all, audit_rows):
    write(6)
    seal_all()
    rows = audit_rows()
    db.session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": rows[2].id})
    db.session.commit()
    report = audit.verify(db.session)
    assert not report.valid
    assert report.broken_id == rows[3].id
    assert report.reason == "此前有记录被删除"


def test_a_forged_first_row_is_named(app, seal_all, audit_rows):
    write(2)
    seal_all()
    first = audit_rows()[0]
    db.session.execute(
        text("UPDATE audit_log SET prev_hash = :hash WHERE id = :id"),
        {"hash": "f" * 64, "id": first.id},
    )
    db.session.commit()
    assert audit.verify(db.session).broken_id == first.id


def test_sealing_continues_the_chain_across_runs(app, seal_all):
    write(4)
    seal_all()
    write(4)
    seal_all()
    report = audit.verify(db.session)
    assert report.valid and report.checked == 8


def test_pruning_deletes_only_sealed_rows_past_retention(app, seal_all, audit_rows):
    old = PRUNE_CUTOFF - timedelta(seconds=1)
    write(3, at=old)
    write(2, at=PRUNE_CUTOFF)
    seal_all()
    write(1, at=old)  # older, but not sealed yet: kept
    result = audit.prune(db.session, PRUNE_DAY, keep_days=184)
    db.session.commit()
    assert result["deleted"] == 3
    remaining = audit_rows()
    assert [row.at for row in remaining if row.sealed] == [PRUNE_CUTOFF, PRUNE_CUTOFF]
    assert len([row for row in remaining if not row.sealed and row.at == old]) == 1


def test_the_chain_verifies_from_the_first_remaining_row_after_pruning(app, seal_all, audit_rows):
    old = PRUNE_CUTOFF - timedelta(days=30)
    write(4, at=old)
    write(3)
    seal_all()
    audit.prune(db.session, PRUNE_DAY, keep_days=184)
    db.session.commit()
    seal_all()
    report = audit.verify(db.session)
    assert report.valid
    assert report.checked == 4  # three young rows and the record of the pruning
    assert [row.action for row in audit_rows()][-1] == "audit.prune"


def test_the_pruning_is_itself_on_record(app, seal_all, audit_rows):
    write(2, at=PRUNE_CUTOFF - timedelta(days=1))
    write(1)
    seal_all()
    audit.prune(db.session, PRUNE_DAY, keep_days=184)
    db.session.commit()
    [row] = audit_rows(action="audit.prune")
    assert (row.actor_id, row.object_type) == (None, "audit_log")
    assert "删除2条" in row.note


def test_pruning_stops_at_the_first_young_row(app, seal_all, audit_rows):
    old = PRUNE_CUTOFF - timedelta(days=1)
    write(2, at=old)
    write(1, at=PRUNE_CUTOFF)
    write(2, at=old)  # sealed after a young row: deleting them would break the chain
    seal_all()
    assert audit.prune(db.session, PRUNE_DAY, keep_days=184)["deleted"] == 2
    db.session.commit()
    assert audit.verify(db.session).valid


def test_pruning_keeps_the_newest_sealed_row(app, seal_all, audit_rows):
    write(3, at=PRUNE_CUTOFF - timedelta(days=1))
    seal_all()
    assert audit.prune(db.session, PRUNE_DAY, keep_days=184)["deleted"] == 2
    db.session.commit()
    seal_all()
    assert [row.seq for row in audit_rows()] == [3, 4]  # new rows keep chaining after it
    assert audit.verify(db.session).valid


def test_pruning_a_young_log_deletes_nothing(app, seal_all):
    write(3)
    seal_all()
    assert audit.prune(db.session, PRUNE_DAY, keep_days=184)["deleted"] == 0


def test_pruning_is_a_daily_rule_reading_the_retention_setting(app, seal_all, audit_rows):
    assert "backend.services.audit:prune" in DAILY_RULES
    write(2, at=PRUNE_CUTOFF - timedelta(days=200))
    write(1, at=PRUNE_CUTOFF - timedelta(days=10))
    write(1)
    seal_all()
    app.config["AUDIT_RETENTION_DAYS"] = 365
    assert load_rule("backend.services.audit:prune")(db.session, PRUNE_DAY)["deleted"] == 2


@pytest.mark.parametrize("days", [0, 30, 183])
def test_the_app_refuses_to_start_with_a_retention_under_six_months(app_config, days):
    with pytest.raises(ConfigError, match="AUDIT_RETENTION_DAYS"):
        create_app({**app_config, "AUDIT_RETENTION_DAYS": days})


def test_the_default_retention_is_184_days():
    assert from_environment({})["AUDIT_RETENTION_DAYS"] == 184
