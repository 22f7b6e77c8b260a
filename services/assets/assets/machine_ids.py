"""The machine identifier a holding is installed on (and serialization codes are bound to): one
printable line of at most 64 characters, never empty. Every route reading one uses ``MachineId``.

"Printable" is what ``PATTERN`` says, so that the OpenAPI document states exactly what is refused:
no control or format character, no separator but the plain space (no line break, no-break or
zero-width space), no surrogate, no private-use character, and at least one visible character.
"""
from __future__ import annotations

import re

from marshmallow import ValidationError, fields

MAX_LENGTH = 64  # the ``machine_id`` columns' size
_REFUSED = (r"\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u1680\u180e"
            r"\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ue000-\uf8ff\ufeff\ufff9-\ufffb")
# ECMA and Python read it alike (the document's ``pattern``, and ``check``'s).
PATTERN = rf"^[^{_REFUSED}]*[^{_REFUSED} ][^{_REFUSED}]*$"
_PRINTABLE = re.compile(PATTERN)


def check(value: str) -> str:
    """The identifier as kept (surrounding spaces dropped), or a ValidationError saying why not."""
    if not isinstance(value, str):
        raise ValidationError("Not a valid identifier.")
    if len(value) > MAX_LENGTH:
        raise ValidationError(f"At most {MAX_LENGTH} characters.")
    if not value.strip(" "):
        raise ValidationError("The identifier cannot be empty.")
    # An identifier is compared and copied by people: it must show what it holds.
    if not _PRINTABLE.match(value):
        raise ValidationError("Only printable characters.")
    return value.strip(" ")


class MachineId(fields.String):
    """A machine identifier in a request (query or body), checked by :func:`check`."""

    def __init__(self, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("description", f"a machine identifier: printable, 1 to {MAX_LENGTH} characters")
        metadata.update({"minLength": 1, "maxLength": MAX_LENGTH, "pattern": PATTERN})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return check(super()._deserialize(value, attr, data, **kwargs))
