"""/api/v1: one blueprint per resource, each registered here."""

from __future__ import annotations

from importlib import import_module

from flask import Flask

from backend.api import (
    action_data,
    applications,
    converters,
    docs,
    http_headers,
    request_guard,
    security,
)
from backend.extensions import api

# Each module exposes `blp`, a flask-smorest Blueprint with its own url_prefix.
RESOURCE_MODULES = (
    "backend.api.health",
    "backend.api.regions",
    "backend.api.auth",
    "backend.api.me",
    "backend.api.real_name_bindings",
    "backend.api.calendar",
    "backend.api.standards",
    "backend.api.entitlements",
    "backend.api.elderly",
    "backend.api.deaths",
    "backend.api.dibao",
    "backend.api.applications",
    "backend.api.changes",
    "backend.api.relatives",
    "backend.api.spot_checks",
    "backend.api.notices",
    "backend.api.attachments",
    "backend.api.inbox",
    "backend.api.registry_offices",
    "backend.api.slots",
    "backend.api.appointments",
    "backend.api.audit",
    "backend.api.disaster_events",
    "backend.api.disaster_tips",
    "backend.api.disaster_rebuild",
)


def init_app(app: Flask) -> None:
    api.init_app(app)
    converters.init_app(app)
    security.init_app(app)
    for name in RESOURCE_MODULES:
        api.register_blueprint(import_module(name).blp)
    action_data.document(api.spec, applications.DATA_SCHEMAS)
    request_guard.init_app(app)
    http_headers.init_app(app)
    docs.init_app(app)
