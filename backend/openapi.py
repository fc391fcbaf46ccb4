"""flask-smorest's Api, answering errors in our envelope instead of its own."""

from flask_smorest import Api as SmorestApi
from marshmallow import Schema, fields

from backend.errors import http_exception_response


class ErrorBodySchema(Schema):
    code = fields.String(metadata={"description": "stable code for programs"})
    message = fields.String(metadata={"description": "Chinese message for people"})
    details = fields.Dict(metadata={"description": "field path -> messages"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema)


class Api(SmorestApi):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return http_exception_response(error)
