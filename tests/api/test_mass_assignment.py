"""No mass assignment: every operation that takes a JSON body refuses fields it does not
declare, such as `role`, `status`, `region` and `owner_id` (RELIABILITY row 26).

The operations are read from the OpenAPI document, so endpoints added later are
swept too. Each is called as the first of several accounts its role gate lets in,
with a body holding only the extra field; the answer must be 422 naming the field
(or 404 for the made-up path id), never a success and never a 500.
"""

import re

import pytest
from flask_jwt_extended import create_access_token

EXTRA_FIELDS = {"role": "admin", "status": "approved", "region": "990100000000", "owner_id": 1}
BODY_METHODS = ("post", "put", "patch")
STAFF = ["admin", "county01", "town01", "agent0101", "registrar01", "officer0101"]
MISSING_ID = "999999"


def json_operations(spec: dict) -> list[tuple[str, str, set[str]]]:
    """(method, path, declared field names) of every operation with a JSON body."""
    schemas = spec["components"]["schemas"]
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in BODY_METHODS:
                continue  # other verbs, and the path's own "parameters"
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            schema = content["application/json"]["schema"]
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
            found.append((method, path, set(schema.get("properties", {}))))
    return found


@pytest.fixture
def callers(login, make_citizen):
    """Fresh tokens (approvals need one) for staff of every role and a verified resident."""
    resident, _ = make_citizen("11010519491231002X")
    staff = [login(username, fresh=True) for username in STAFF]
    return [*staff, {"Authorization": f"Bearer {create_access_token(resident, fresh=True)}"}]


def first_answer_past_the_gate(client, method: str, url: str, body: dict, callers: list[dict]):
    for headers in callers:
        response = client.open(url, method=method.upper(), json=body, headers=headers)
        if response.status_code not in (401, 403):
            return response
    return response


@pytest.mark.parametrize("field", sorted(EXTRA_FIELDS))
def test_every_json_operation_refuses_an_undeclared_field(client, callers, field):
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = json_operations(spec)
    assert (
        "post",
        "/api/v1/applications",
        {"type", "region_code", "applicant", "on_behalf", "household"},
    ) in [(m, p, fields) for m, p, fields in operations]
    problems = []
    for method, path, declared in operations:
        url = re.sub(r"\{[^}]+\}", MISSING_ID, path)
        response = first_answer_past_the_gate(
            client, method, url, {field: EXTRA_FIELDS[field]}, callers
        )
        status = response.status_code
        details = (response.get_json() or {}).get("error", {}).get("details", {})
        if status == 404 and MISSING_ID in url:
            continue
        if status != 422:
            problems.append(f"{method.upper()} {path}: {status}")
        elif field not in declared and field not in details:
            problems.append(f"{method.upper()} {path}: 422 without naming {field}: {details}")
    assert problems == []
