"""Reading a submission that is JSON or a multipart form with attachments (a new request, a comment,
an answer), and running its use case so that a refusal keeps nothing: the files stored while the
form streamed in are deleted when its fields, or the use case, refuse it."""
from __future__ import annotations

from flask import request
from marshmallow import ValidationError
from webargs.core import missing

from portalkit import request_input, uploads
from portalkit.errors import PortalError
from portalkit.filestore import default_store
from portalkit.web import db_session

from . import attachment_types
from .settings import SupportSettings

LIST_FIELDS = ("followers",)


def run(schema, use_case, what: str):
    """Load the body with ``schema``; call ``use_case(fields, files)``; on any refusal roll back
    and delete the files. Answers what the use case answers."""
    store = default_store()
    files: list = []
    try:
        if request.mimetype == "multipart/form-data":
            settings = SupportSettings.load()
            upload = uploads.receive_files(store, settings.attachment_max_bytes, settings.attachments_max,
                                           prefix="support", inspect=attachment_types.inspect,
                                           file_field="attachments", what=what)
            files = upload.files
            data = {name: (values if name in LIST_FIELDS and len(values) > 1 else values[-1])
                    for name, values in upload.fields.items()}
        else:
            data = request_input.json_arguments(request)
            if data is missing:
                if request.get_data(cache=True):
                    raise PortalError(415, "unsupported_media_type", f"Send {what} as JSON or multipart/form-data.")
                data = {}
            if not isinstance(data, dict):
                raise PortalError(400, "invalid_input", "Some fields are invalid.", {"_schema": ["Send an object."]})
        try:
            fields = schema().load(data)
        except ValidationError as error:
            messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
            raise PortalError(400, "invalid_input", "Some fields are invalid.", messages) from None
        return use_case(fields, files)
    except BaseException:
        db_session().rollback()
        for received in files:
            store.delete(received.stored.key)
        raise
