"""The event catalogue (docs/events.md), written from the contracts and the bus topology.

    python -m portalkit.event_catalogue > docs/events.md

Each event, its producer, the fields of its ``data`` and the consumers whose queue receives it; a
unit test fails when the committed file differs from what this writes.
"""
from __future__ import annotations

import sys

from marshmallow import fields, missing, validate

from . import events, topology

HEADER = """# Events

The bus carries facts, named in the past tense: one durable topic exchange `portal.events`, routing
key `<producer>.<EventName>`, one queue `<consumer>.events` per consuming service
([`portalkit/topology.py`](../libs/portalkit/portalkit/topology.py)). The contracts of `data` are
the marshmallow schemas of [`portalkit/events.py`](../libs/portalkit/portalkit/events.py): a
producer's `data` must pass its contract when written; a consumer loads it ignoring unknown fields.
Adding a field is compatible; removing or renaming one is a new `version`.

*Written by `python -m portalkit.event_catalogue > docs/events.md` from those two files: do not
edit it by hand (a unit test fails when it is out of date).*

## The envelope

| field | what |
| --- | --- |
| `id` | UUID of the event; consumers record it, so a redelivery changes nothing |
| `type` | the event's name, e.g. `UserActivated` |
| `version` | the contract's version, 1 so far |
| `occurred_at` | when it happened (ISO 8601, with its zone) |
| `producer` | the service that says it |
| `correlation_id` | the `X-Request-Id` of the request that caused it; an event written while handling another carries that one's on (or its `id`, when it had none); a periodic job's run has an id of its own. Mails say it in `X-Portal-Correlation-Id` |
| `data` | the fields below |

"""

SIMPLE = {fields.Email: "e-mail address", fields.AwareDateTime: "date-time with zone",
          fields.DateTime: "date-time", fields.Date: "date", fields.UUID: "UUID",
          fields.Integer: "integer", fields.Float: "number", fields.Boolean: "boolean",
          fields.String: "string", fields.Dict: "object"}


def topic_matches(pattern: str, key: str) -> bool:
    """AMQP topic matching: ``*`` is one word, ``#`` zero or more."""
    def match(words: list[str], parts: list[str]) -> bool:
        if not words:
            return not parts
        head, rest = words[0], words[1:]
        if head == "#":
            return any(match(rest, parts[i:]) for i in range(len(parts) + 1))
        return bool(parts) and head in ("*", parts[0]) and match(rest, parts[1:])
    return match(pattern.split("."), key.split("."))


def consumers_of(routing_key: str) -> list[str]:
    return [consumer for consumer, keys in topology.SUBSCRIPTIONS.items()
            if any(topic_matches(pattern, routing_key) for pattern in topology._patterns(keys))]


def _anchor(name: str) -> str:
    return name.lower()


def describe(field: fields.Field) -> str:
    if isinstance(field, fields.List):
        return f"list of {describe(field.inner)}"
    if isinstance(field, fields.Nested):
        name = field.nested.__name__ if isinstance(field.nested, type) else type(field.nested).__name__
        return f"[{name}](#{_anchor(name)})"
    kind = next((text for cls, text in SIMPLE.items() if isinstance(field, cls)), type(field).__name__)
    for rule in field.validators:
        if isinstance(rule, validate.Length):
            kind += f", {rule.min or 0}–{rule.max} characters" if rule.max else f", at least {rule.min}"
        elif isinstance(rule, validate.Range):
            kind += f", {rule.min}–{rule.max}"
        elif isinstance(rule, validate.OneOf):
            kind += ", one of " + ", ".join(f"`{choice}`" for choice in rule.choices)
    return kind


def presence(field: fields.Field) -> str:
    if field.required:
        return "required, may be null" if field.allow_none else "required"
    if field.load_default is not missing:
        default = field.load_default() if callable(field.load_default) else field.load_default
        return f"optional, default `{default!r}`"
    return "optional, may be null" if field.allow_none else "optional"


def _fields_table(schema: type) -> list[str]:
    lines = ["| field | type | presence |", "| --- | --- | --- |"]
    for name, field in schema._declared_fields.items():
        lines.append(f"| `{name}` | {describe(field)} | {presence(field)} |")
    return lines


def _doc(schema: type) -> list[str]:
    own = schema.__dict__.get("__doc__")
    return [" ".join(own.split()), ""] if own else []


def _parts() -> list[type]:
    """Schemas nested in events (``Recipient``…), described once under their own heading."""
    seen: dict[str, type] = {}
    for schema in events.CONTRACTS.values():
        for field in schema._declared_fields.values():
            inner = field.inner if isinstance(field, fields.List) else field
            if isinstance(inner, fields.Nested) and isinstance(inner.nested, type):
                seen.setdefault(inner.nested.__name__, inner.nested)
    return list(seen.values())


def render() -> str:
    lines = [HEADER.rstrip("\n"), "", "## Who says what, who listens", "",
             "| event | producer | consumers |", "| --- | --- | --- |"]
    for producer, classes in events.PRODUCERS.items():
        for cls in classes:
            listeners = ", ".join(consumers_of(f"{producer}.{cls.__name__}")) or "—"
            lines.append(f"| [`{cls.__name__}`](#{_anchor(cls.__name__)}) | {producer} | {listeners} |")
    lines += ["", "A consumer bound to a wildcard (`identity.#`) receives every event of that producer and "
              "acks at once those it has no handler for.", ""]
    for producer, classes in events.PRODUCERS.items():
        lines += [f"## {producer}", ""]
        for cls in classes:
            key = f"{producer}.{cls.__name__}"
            lines += [f"### {cls.__name__}", "", f"Routing key `{key}`; consumers: "
                      + (", ".join(consumers_of(key)) or "none yet") + ".", ""]
            lines += _doc(cls) + _fields_table(cls) + [""]
    lines += ["## Shared parts", ""]
    for part in _parts():
        lines += [f"### {part.__name__}", ""] + _doc(part) + _fields_table(part) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
