"""The two people of a registration: validated from what was typed, stored encrypted
with a blind index, shown masked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from backend.errors import ValidationFailed
from backend.models.marriage import AppointmentParty, Service
from backend.services.crypto import current_cipher, mask_id_number, mask_phone
from backend.services.identity import IdNumber, clean_name, parse_id_number
from backend.services.users import normalise_phone

# 民法典 第1047条: 结婚年龄,男不得早于二十二周岁,女不得早于二十周岁。
MARRIAGE_AGE = {"male": 22, "female": 20}
SEX_LABEL = {"male": "男方", "female": "女方"}
ADULT_AGE = 18


@dataclass(frozen=True)
class Person:
    name: str
    id_number: IdNumber
    phone: str | None
    field: str  # "party_a" | "party_b": where errors about this person point

    @property
    def index(self) -> str:
        return current_cipher().blind_index(self.id_number.value)


def parse_person(raw: Mapping[str, Any], field: str, today: date) -> Person:
    phone = raw.get("phone")
    return Person(
        name=clean_name(raw.get("name"), f"{field}.name"),
        id_number=parse_id_number(raw.get("id_number"), f"{field}.id_number", today),
        phone=normalise_phone(phone, f"{field}.phone") if phone is not None else None,
        field=field,
    )


def parse_couple(
    service: Service,
    party_a: Mapping[str, Any],
    party_b: Mapping[str, Any] | None,
    day: date,
    today: date,
) -> list[Person]:
    """Both people of the registration, checked for `service` on the slot date `day`.

    A reissued certificate (补领) can be fetched by one of the couple alone; every
    other service needs both.
    """
    people = [parse_person(party_a, "party_a", today)]
    if party_b is None:
        if service != Service.REISSUE:
            raise ValidationFailed.field("party_b", "请填写另一方的姓名和身份证号")
    else:
        people.append(parse_person(party_b, "party_b", today))
    if len(people) == 2 and people[0].id_number.value == people[1].id_number.value:
        raise ValidationFailed.field("party_b.id_number", "双方不能是同一人")
    for person in people:
        if person.id_number.age_on(day) < ADULT_AGE:
            raise ValidationFailed.field(f"{person.field}.id_number", "办理婚姻登记须年满18周岁")
    if service == Service.MARRIAGE:
        _check_marriage(people, day)
    return people


def _check_marriage(people: list[Person], day: date) -> None:
    a, b = people
    if a.id_number.sex == b.id_number.sex:
        raise ValidationFailed.field("party_b.id_number", "结婚登记应由男女双方共同申请")
    for person in people:
        sex = person.id_number.sex
        if person.id_number.age_on(day) < MARRIAGE_AGE[sex]:
            raise ValidationFailed.field(
                f"{person.field}.id_number",
                f"{SEX_LABEL[sex]}在预约日未满{MARRIAGE_AGE[sex]}周岁,"
                "不符合法定结婚年龄(民法典第1047条)",
            )


def to_row(person: Person, role: str, service: Service) -> AppointmentParty:
    cipher = current_cipher()
    return AppointmentParty(
        role=role,
        name=person.name,
        id_number_cipher=cipher.encrypt(person.id_number.value),
        id_number_index=person.index,
        phone_cipher=cipher.encrypt(person.phone) if person.phone else None,
        service=service,
        active=True,
    )


def raw_of(row: AppointmentParty) -> dict[str, Any]:
    """What was typed, decrypted: to book the same people again (rescheduling)."""
    cipher = current_cipher()
    return {
        "name": row.name,
        "id_number": cipher.decrypt(row.id_number_cipher),
        "phone": cipher.decrypt(row.phone_cipher) if row.phone_cipher else None,
    }


def masked(row: AppointmentParty) -> dict[str, Any]:
    cipher = current_cipher()
    return {
        "name": row.name,
        "id_number": mask_id_number(cipher.decrypt(row.id_number_cipher)),
        "phone": mask_phone(cipher.decrypt(row.phone_cipher)) if row.phone_cipher else None,
    }


def seal(people: list[Person]) -> bytes:
    """The people as typed, encrypted in one piece, for a booking made later."""
    typed = [{"name": p.name, "id_number": p.id_number.value, "phone": p.phone} for p in people]
    return current_cipher().encrypt(json.dumps(typed, ensure_ascii=False))


def unseal(cipher_text: bytes) -> list[dict[str, Any]]:
    return json.loads(current_cipher().decrypt(cipher_text))


def requested_couple_fields(people: list[Person]) -> dict[str, Any]:
    """Columns of a `RequestedCouple` for these people."""
    return {
        "parties_cipher": seal(people),
        "party_a_index": people[0].index,
        "party_b_index": people[1].index if len(people) > 1 else None,
    }


def masked_typed(typed: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": typed["name"],
        "id_number": mask_id_number(typed["id_number"]),
        "phone": mask_phone(typed["phone"]) if typed.get("phone") else None,
    }
