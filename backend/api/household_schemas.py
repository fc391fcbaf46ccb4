"""The household part of a 低保 application, in and out (members' numbers masked)."""

from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from backend.api.fields import Money, Text, one_of
from backend.models import AreaType, Relation
from backend.services import households
from backend.services.crypto import current_cipher, mask_id_number
from backend.services.dibao import MAX_MEMBERS

MAX_MONTHLY_INCOME = 1_000_000  # yuan a month: beyond it the figure is a typing slip
INCOME = validate.Range(0, MAX_MONTHLY_INCOME, error="月收入应在 0 到 1000000 元之间")


class IncomeSourceSchema(Schema):
    source = Text(required=True, validate=validate.Length(1, 20))
    amount = Money(required=True, validate=INCOME)

    @post_load
    def build(self, data, **_kwargs):
        return households.IncomeSource(**data)


class MemberInSchema(Schema):
    name = Text(required=True)
    id_number = fields.String(required=True)
    relation = fields.String(required=True, validate=one_of(Relation))
    monthly_income = Money(required=True, validate=INCOME)
    income_sources = fields.List(
        fields.Nested(IncomeSourceSchema), load_default=list, validate=validate.Length(max=10)
    )
    disabled = fields.Boolean(load_default=False)
    able_to_work = fields.Boolean(load_default=False)

    @post_load
    def build(self, data, **_kwargs):
        return households.Member(
            **{**data, "relation": Relation(data["relation"])},
        )


class HouseholdInSchema(Schema):
    area_type = fields.String(required=True, validate=one_of(AreaType))
    members = fields.List(
        fields.Nested(MemberInSchema),
        required=True,
        validate=validate.Length(1, MAX_MEMBERS, error=f"家庭成员应为1到{MAX_MEMBERS}人"),
    )

    @post_load
    def build(self, data, **_kwargs):
        return households.Household(AreaType(data["area_type"]), tuple(data["members"]))


class MemberOutSchema(Schema):
    id = fields.Integer()  # what a re-review's adjustment names the member by
    name = fields.String()
    id_number = fields.Function(
        lambda member: mask_id_number(current_cipher().decrypt(member.id_number_cipher))
    )
    relation = fields.String()
    monthly_income = Money()
    income_sources = fields.Raw()
    disabled = fields.Boolean()
    able_to_work = fields.Boolean()


class HouseholdOutSchema(Schema):
    area_type = fields.String()
    members = fields.List(fields.Nested(MemberOutSchema))
    per_capita_income = fields.Function(households.per_capita_income, allow_none=True)
