"""The machine identifier a holding is installed on (and serialization codes are bound to): 1 to 64
printable ASCII characters, no space at either end. Every route reading one uses ``MachineId``,
whose OpenAPI document states the same rule as a pattern."""
from __future__ import annotations

import re

from marshmallow import ValidationError, fields

MAX_LENGTH = 64  # the ``machine_id`` columns' size
# Printable ASCII (space to tilde), neither starting nor ending with a space: what people read,
# compare and type again from a machine's label, and what installed software compares byte for byte.
PATTERN = r"^[!-~](?:[ -~]{0,%d}[!-~])?$" % (MAX_LENGTH - 2)
_MACHINE_ID = re.compile(PATTERN)


def check(value) -> str:
    """The identifier, or a ValidationError saying why not."""
    if not isinstance(value, str):
        raise ValidationError("Not a valid identifier.")
    if not value.strip():
        raise ValidationError("The identifier cannot be empty.")
    if len(value) > MAX_LENGTH:
        raise ValidationError(f"At most {MAX_LENGTH} characters.")
    if not _MACHINE_ID.fullmatch(value):
        raise ValidationError("Only printable ASCII characters, without spaces at either end.")
    return value


class MachineId(fields.String):
    """A machine identifier in a request (query or body), checked by :func:`check`."""

    def __init__(self, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("description", f"a machine identifier: 1 to {MAX_LENGTH} printable ASCII characters, "
                                           "no space at either end")
        metadata.update(pattern=PATTERN, minLength=1, maxLength=MAX_LENGTH)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return check(super()._deserialize(value, attr, data, **kwargs))
