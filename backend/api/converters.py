"""The one converter for record ids in paths: `<id:application_id>`.

1 to 10**18 − 1 in ASCII digits, no leading zero: the pattern alone decides, so a
larger id, zero or fullwidth digits match no route (404, not a 405 from a
neighbouring route) and never reach a driver that would overflow a bigint
(2**63 − 1 is larger than any id the pattern lets through).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from backend.extensions import api

LARGEST_ID = 10**18 - 1


class IdConverter(IntegerConverter):
    regex = r"[1-9][0-9]{0,17}"  # never \d: it matches fullwidth digits


def _schema(_converter: IdConverter) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": LARGEST_ID}


def init_app(app: Flask) -> None:
    """Before any blueprint: routes are compiled when they are added."""
    app.url_map.converters["id"] = IdConverter
    api.register_converter(IdConverter, _schema)
