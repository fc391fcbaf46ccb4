"""SMS login codes: CSPRNG six digits, hashed, single use, 10 minutes, bound to the
phone and to the request, dead after five wrong tries (RELIABILITY row 28)."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from backend.config import ConfigError, from_environment
from backend.errors import Unauthorized
from backend.extensions import db
from backend.models import OtpCode, OtpStatus, SmsMessage
from backend.services import clock, otp, sms

PHONE = "13912345678"


def row_of(issued: otp.IssuedCode) -> OtpCode:
    return db.session.scalar(select(OtpCode).where(OtpCode.request_id == issued.request_id))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_code_is_six_ascii_digits_and_lives_ten_minutes(app):
    issued = otp.issue_code(db.session, PHONE)
    assert len(issued.code) == 6 and issued.code.isascii() and issued.code.isdigit()
    lifetime = issued.expires_at - clock.now()
    assert timedelta(minutes=9) < lifetime <= timedelta(minutes=10)


def test_codes_are_not_predictable_from_one_to_the_next(app):
    codes = {otp.issue_code(db.session, f"1391234{n:04d}").code for n in range(30)}
    assert len(codes) > 25


def test_the_code_is_stored_only_as_a_keyed_hash(app):
    issued = otp.issue_code(db.session, PHONE)
    db.session.commit()
    row = row_of(issued)
    assert issued.code not in row.code_hash
    assert PHONE not in row.phone_index


def test_a_code_works_once(app):
    issued = otp.issue_code(db.session, PHONE)
    otp.spend_code(db.session, PHONE, issued.request_id, issued.code)
    with pytest.raises(Unauthorized, match="已失效"):
        otp.spend_code(db.session, PHONE, issued.request_id, issued.code)


def test_a_code_past_ten_minutes_is_refused(app):
    issued = otp.issue_code(db.session, PHONE)
    row_of(issued).expires_at = clock.now() - timedelta(seconds=1)
    with pytest.raises(Unauthorized, match="已失效"):
        otp.spend_code(db.session, PHONE, issued.request_id, issued.code)


def test_a_code_is_bound_to_its_phone(app):
    issued = otp.issue_code(db.session, PHONE)
    with pytest.raises(Unauthorized):
        otp.spend_code(db.session, "13900000000", issued.request_id, issued.code)
    otp.spend_code(db.session, PHONE, issued.request_id, issued.code)


def test_a_code_is_bound_to_the_request_that_asked_for_it(app):
    first = otp.issue_code(db.session, PHONE)
    other = otp.issue_code(db.session, "13900000000")
    with pytest.raises(Unauthorized):
        otp.spend_code(db.session, PHONE, other.request_id, first.code)


def test_a_newer_code_kills_the_older_one(app):
    older = otp.issue_code(db.session, PHONE)
    newer = otp.issue_code(db.session, PHONE)
    with pytest.raises(Unauthorized, match="已失效"):
        otp.spend_code(db.session, PHONE, older.request_id, older.code)
    otp.spend_code(db.session, PHONE, newer.request_id, newer.code)


def test_wrong_codes_count_down_and_the_fifth_kills_the_code(app):
    issued = otp.issue_code(db.session, PHONE)
    for left in (4, 3, 2, 1):
        with pytest.raises(Unauthorized, match=f"还可尝试{left}次"):
            otp.spend_code(db.session, PHONE, issued.request_id, wrong(issued.code))
    with pytest.raises(Unauthorized, match="次数过多"):
        otp.spend_code(db.session, PHONE, issued.request_id, wrong(issued.code))
    assert row_of(issued).status == OtpStatus.EXHAUSTED
    with pytest.raises(Unauthorized, match="已失效"):
        otp.spend_code(db.session, PHONE, issued.request_id, issued.code)


def test_the_console_adapter_logs_the_message_with_the_phone_masked(app, caplog):
    caplog.set_level("INFO", logger="backend.services.sms")
    issued = otp.issue_code(db.session, PHONE)
    assert "139****5678" in caplog.text
    assert issued.code in caplog.text
    assert PHONE not in caplog.text


def test_the_outbox_adapter_stores_the_message_encrypted(app):
    app.config["SMS_BACKEND"] = "outbox"
    issued = otp.issue_code(db.session, PHONE)
    db.session.commit()
    message = db.session.scalar(select(SmsMessage))
    assert issued.code.encode() not in message.text_cipher
    assert PHONE.encode() not in message.phone_cipher
    phone, text = sms.read_outbox(message)
    assert phone == PHONE
    assert issued.code in text and "10分钟" in text


def test_the_daily_purge_removes_codes_expired_before_the_day(app):
    stale = otp.issue_code(db.session, PHONE)
    row_of(stale).expires_at = clock.now() - timedelta(days=2)
    fresh = otp.issue_code(db.session, "13900000000")
    db.session.flush()
    assert otp.purge_expired(db.session, clock.today()) == {"deleted": 1}
    assert row_of(stale) is None
    assert row_of(fresh) is not None
    assert otp.purge_expired(db.session, date(2000, 1, 1)) == {"deleted": 0}


def test_concurrent_logins_spend_one_code_once(app):
    issued = otp.issue_code(db.session, PHONE)
    db.session.commit()
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def spend():
        with app.app_context():
            start.wait()
            try:
                otp.spend_code(db.session, PHONE, issued.request_id, issued.code)
                db.session.commit()
                outcomes.append("spent")
            except Unauthorized:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["spent"]


def test_production_refuses_the_console_adapter_that_logs_codes():
    with pytest.raises(ConfigError, match="SMS_BACKEND"):
        from_environment({"APP_ENV": "production", "SMS_BACKEND": "console"})
    assert from_environment({"APP_ENV": "production"})["SMS_BACKEND"] == "outbox"
    assert from_environment({"APP_ENV": "development"})["SMS_BACKEND"] == "console"
