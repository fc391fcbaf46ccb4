"""The `data` of the re-review decisions (动态管理), and how every action's `data`
appears in the OpenAPI document: `ActionSchema.data` is one free object in the body,
checked against the schema its transition names (`Transition.data`)."""

from __future__ import annotations

from collections.abc import Mapping

from apispec import APISpec
from marshmallow import Schema, fields, post_load, validate

from backend.api.fields import Money, StrictInteger
from backend.api.household_schemas import INCOME, IncomeSourceSchema
from backend.services import households, programmes
from backend.services.dibao import MAX_MEMBERS


class MemberIncomeSchema(Schema):
    member_id = StrictInteger(required=True, validate=validate.Range(1, 2**63 - 1))
    monthly_income = Money(required=True, validate=INCOME)
    # Omitted: the member's recorded sources no longer apply and are cleared.
    income_sources = fields.List(
        fields.Nested(IncomeSourceSchema), load_default=list, validate=validate.Length(max=10)
    )

    @post_load
    def build(self, data, **_kwargs):
        return households.IncomeChange(**{**data, "income_sources": tuple(data["income_sources"])})


class AdjustmentDataSchema(Schema):
    """调整: the members whose income the re-review found changed (ids from the case)."""

    members = fields.List(
        fields.Nested(MemberIncomeSchema),
        required=True,
        validate=validate.Length(1, MAX_MEMBERS, error=f"应调整1到{MAX_MEMBERS}名成员"),
    )


class GradualExitDataSchema(Schema):
    """渐退: how many more months the amount is paid (at most GRADUAL_EXIT_MAX_MONTHS)."""

    months = StrictInteger(required=True)


def component_name(schema: type[Schema]) -> str:
    return schema.__name__.removesuffix("Schema")


def openapi_metadata(schemas: Mapping[str, type[Schema]]) -> dict:
    """What the OpenAPI says of `data`: which schema each action's data follows."""
    actions: dict[str, list[str]] = {}
    for transition in (t for p in programmes.PROGRAMMES for t in p.transitions):
        named = actions.setdefault(transition.data, [])
        if transition.action not in named:
            named.append(transition.action)
    return {
        "description": "; ".join(
            f"{', '.join(actions[name])}: {component_name(schema)}"
            for name, schema in schemas.items()
        )
        + "; other actions: no data",
        "oneOf": [
            *({"$ref": f"#/components/schemas/{component_name(s)}"} for s in schemas.values()),
            {"type": "object", "maxProperties": 0},
        ],
    }


def document(spec: APISpec, schemas: Mapping[str, type[Schema]]) -> None:
    """Add the action data schemas to the document the `oneOf` above refers to."""
    for schema in schemas.values():
        spec.components.schema(component_name(schema), schema=schema)
