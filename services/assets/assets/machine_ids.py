"""The machine identifier a holding is installed on (and serialization codes are bound to): one
printable line of at most 64 characters, never empty. Every route reading one uses ``MachineId``."""
from __future__ import annotations

from marshmallow import ValidationError, fields

MAX_LENGTH = 64  # the ``machine_id`` columns' size


def check(value: str) -> str:
    """The identifier as kept (surrounding spaces dropped), or a ValidationError saying why not."""
    if not isinstance(value, str):
        raise ValidationError("Not a valid identifier.")
    value = value.strip()
    if not value:
        raise ValidationError("The identifier cannot be empty.")
    if len(value) > MAX_LENGTH:
        raise ValidationError(f"At most {MAX_LENGTH} characters.")
    # isprintable refuses controls, line and paragraph separators and other invisible characters:
    # an identifier is compared and copied by people, it must show what it holds.
    if not value.isprintable():
        raise ValidationError("Only printable characters.")
    return value


class MachineId(fields.String):
    """A machine identifier in a request (query or body), checked by :func:`check`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault(
            "description", f"a machine identifier: printable, 1 to {MAX_LENGTH} characters")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return check(super()._deserialize(value, attr, data, **kwargs))
