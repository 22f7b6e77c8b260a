"""The metric names that the portal's PromQL reads: a small tokenizer of PromQL, and where the
expressions are (alerts.yml's rules, the dashboard's panels). deploy/tests compares the names with
what the code emits (``portalkit.metrics.emitted_names() | gateway.metrics.emitted_names()``).

A metric name is an identifier that is not a function (followed by ``(``), not a keyword or an
aggregation modifier, not a label (inside ``{...}`` or the lists after ``by``/``without``/``on``/
``ignoring``/``group_left``/``group_right``), nor inside a string, a range ``[...]`` or a
Grafana variable (``$__rate_interval``).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ALERTS = HERE / "alerts.yml"
DASHBOARD = HERE / "grafana" / "dashboards" / "portal.json"

# Followed by a parenthesised list of label names.
LABEL_LISTS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
# PromQL's lexer takes these as keywords wherever they stand (`sum by (le) (...)`: no `(` after).
AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
                "bottomk", "topk", "quantile", "limitk", "limit_ratio"}
KEYWORDS = LABEL_LISTS | AGGREGATIONS | {"bool", "and", "or", "unless", "offset", "inf", "nan", "atan2"}

_TOKEN = re.compile(r"""
    (?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`)
  | (?P<variable>\$\{[^}]*\}|\$\w+)
  | (?P<number>0x[0-9a-fA-F]+|\d[\w.]*(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<identifier>[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<open>[{\[(])
  | (?P<close>[}\])])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE)


class UnreadableQuery(ValueError):
    """An expression this tokenizer cannot vouch for (unbalanced, or a name chosen by regex)."""


def _tokens(expr: str) -> list[tuple[str, str]]:
    return [(match.lastgroup, match.group()) for match in _TOKEN.finditer(expr)
            if match.lastgroup != "space"]


def metric_names(expr: str) -> set[str]:
    """The metric names ``expr`` reads."""
    tokens = _tokens(expr)
    names: set[str] = set()
    stack: list[str] = []  # the open brackets we are in
    label_list_depth: int | None = None  # inside `by (...)`: the stack depth of its `(`
    after_label_keyword = False
    for index, (kind, text) in enumerate(tokens):
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        if kind == "open":
            stack.append(text)
            if text == "(" and after_label_keyword:
                label_list_depth = len(stack)
            after_label_keyword = False
            continue
        after_label_keyword = False
        if kind == "close":
            if not stack or {"(": ")", "[": "]", "{": "}"}[stack.pop()] != text:
                raise UnreadableQuery(f"unbalanced {text!r} in {expr!r}")
            if label_list_depth is not None and len(stack) < label_list_depth:
                label_list_depth = None
            continue
        if kind != "identifier" or "[" in stack or label_list_depth is not None:
            continue
        if stack and stack[-1] == "{":
            # A label matcher; `{__name__="x"}` names a metric through a label.
            if text == "__name__":
                rest = [token for token in tokens[index + 1:index + 4]]
                if [text for _, text in rest[:1]] != ["="] or len(rest) < 2 or rest[1][0] != "string":
                    raise UnreadableQuery(f"a metric chosen by a pattern in {expr!r}")
                names.add(rest[1][1][1:-1])
            continue
        if text in LABEL_LISTS:
            after_label_keyword = True
            continue
        if text in KEYWORDS or following == "(":
            continue
        names.add(text)
    if stack:
        raise UnreadableQuery(f"unclosed {stack[-1]!r} in {expr!r}")
    return names


def alert_expressions(path: Path = ALERTS) -> Iterator[tuple[str, str]]:
    """(rule name, expression) of every rule of an alert rules file."""
    for group in yaml.safe_load(path.read_text())["groups"]:
        for rule in group["rules"]:
            yield rule.get("alert") or rule["record"], rule["expr"]


def panels(dashboard: dict) -> Iterator[dict]:
    """Every panel of a Grafana dashboard, those inside collapsed rows too."""
    for panel in dashboard.get("panels", ()):
        yield panel
        yield from panels(panel)


def dashboard_expressions(dashboard: dict) -> Iterator[tuple[str, str]]:
    """(panel title and query ref, expression) of every query of a dashboard."""
    for panel in panels(dashboard):
        for query in panel.get("targets", ()):
            yield f"{panel['title']} ({panel['id']}{query['refId']})", query["expr"]
