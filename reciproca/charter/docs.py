"""The reference part of docs/charter-format.md, generated from the registries: every condition
with its parameters (type, range, default), every rule, every measure.

`reciproca charter docs --write` puts it between the markers of the file; a test fails while
the file differs from what the installation registers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import translation
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from reciproca.charter import conditions, measures
from reciproca.charter import rules as rule_registry

BEGIN = "<!-- BEGIN GENERATED: reciproca charter docs --write -->"
END = "<!-- END GENERATED -->"


def _cell(value: Any) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


def describe_schema(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> str:
    """A JSON schema in a few words: `integer, 0 … 3650`, `list of SOCIAL, ECONOMIC`."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return describe_schema(defs[schema["$ref"].split("/")[-1]], defs)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        described = " or ".join(describe_schema(option, defs) for option in options)
        return described if len(options) == len(schema["anyOf"]) else f"{described} (optional)"
    if "enum" in schema or "const" in schema:
        values = schema.get("enum") or [schema["const"]]
        return "one of " + ", ".join(f"`{v}`" for v in values)
    kind = schema.get("type")
    if kind == "array":
        text = "list of " + describe_schema(schema.get("items", {}), defs).removeprefix("one of ")
        bounds = (schema.get("minItems"), schema.get("maxItems"))
        if bounds != (None, None):
            text += f" ({bounds[0] or 0} … {bounds[1] if bounds[1] is not None else '∞'} items)"
        return text
    if kind in ("integer", "number"):
        name = "integer" if kind == "integer" else "number"
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"{name}, {low} … {high}"
        if low is not None:
            return f"{name} ≥ {low}"
        if high is not None:
            return f"{name} ≤ {high}"
        return name
    if kind == "string":
        if "pattern" in schema:
            return f"text `{schema['pattern']}`"
        return "text"
    if kind == "boolean":
        return "`true` / `false`"
    return kind or "value"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, list):
        return "`[" + ", ".join(str(v) for v in value) + "]`"
    return f"`{value}`"


def _fields(model: type[BaseModel]) -> list[tuple[str, str, str]]:
    """(name, type, default) for each field of a parameter model."""
    schema = model.model_json_schema()
    properties = schema.get("properties", {})
    rows = []
    for name, info in model.model_fields.items():
        described = describe_schema(properties.get(name, {}), schema.get("$defs", {}))
        if info.is_required():
            default = "required"
        elif info.default is PydanticUndefined:
            default = "—"
        elif info.default is None:
            default = "the rule of the same name" if name in rule_registry.known_rules() else "—"
        else:
            default = _value(info.default)
        rows.append((name, described, default))
    return rows


def generated_reference() -> str:
    with translation.override("fr"):
        return _generated()


def _generated() -> str:
    lines = [
        BEGIN,
        "",
        "### Condition codes / conditions (generated)",
        "",
        "Every condition this installation registers, from its app's spec. *Planned* ones fail",
        "closed until their capability arrives. Parameters go under the condition's `params:`;",
        "an unknown or ill-typed one is refused at load with its line.",
        "",
        "| code | label | what it checks | parameters | evidence page |",
        "|---|---|---|---|---|",
    ]
    for spec in conditions.specs():
        fields = _fields(spec.params)
        params = ", ".join(f"`{name}`" for name, _t, _d in fields) or "—"
        if spec.resolver is not None:
            params += " + the measure's filters"
        what = spec.doc or ""
        if spec.is_planned:
            what = f"*planned* ({_cell(spec.capability)}). {what}".strip()
        evidence = f"`{spec.evidence[0]}{spec.evidence[1]}`" if spec.evidence[0] else "—"
        lines.append(
            f"| `{spec.code}` | {_cell(spec.label)} | {_cell(what)} | {params} | {evidence} |"
        )
    for spec in conditions.specs():
        fields = _fields(spec.params)
        if not fields:
            continue
        lines += [
            "",
            f"Parameters of `{spec.code}`:",
            "",
            "| parameter | type | default |",
            "|---|---|---|",
        ]
        lines += [f"| `{name}` | {_cell(kind)} | {default} |" for name, kind, default in fields]

    lines += [
        "",
        "### Rules / règles (generated)",
        "",
        "The names a charter's `rules:` may set, with their type and range; a rule the charter",
        "does not set has its default. An unknown rule or a value out of range is refused.",
        "",
        "| rule | type | default | meaning | clauses | app |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rule_registry.specs():
        lines.append(
            f"| `{rule.name}` | {_cell(describe_schema(rule.json_schema()))} | "
            f"{_value(rule.default)} | {_cell(rule.label)} — {_cell(rule.doc)} | "
            f"{', '.join(rule.clauses) or '—'} | {rule.owner or '—'} |"
        )

    lines += [
        "",
        "### Measures / mesures (generated)",
        "",
        "What `count_at_least` counts: `params: {measure: NAME, min: N, …filters}`. Each measure",
        "is registered by the app owning its data, with the filters it accepts.",
        "",
        "| measure | label | filters | what it counts |",
        "|---|---|---|---|",
    ]
    for measure in measures.specs():
        filters = (
            "; ".join(
                f"`{name}`: {_cell(kind)}" for name, kind, _default in _fields(measure.filters)
            )
            or "—"
        )
        lines.append(
            f"| `{measure.name}` | {_cell(measure.label)} | {filters} | {_cell(measure.doc)} |"
        )
    lines += [
        "",
        "What `share_at_least` reads: `params: {measure: NAME, min: PERCENT, …filters}`. Each",
        "share measure is registered by the app owning its data; a share that cannot be computed",
        "(no budget, a missing exchange rate) leaves the condition unmet, saying why.",
        "",
        "| share measure | label | filters | what it measures |",
        "|---|---|---|---|",
    ]
    for share in measures.share_specs():
        filters = (
            "; ".join(f"`{name}`: {_cell(kind)}" for name, kind, _default in _fields(share.filters))
            or "—"
        )
        lines.append(f"| `{share.name}` | {_cell(share.label)} | {filters} | {_cell(share.doc)} |")
    lines += ["", END]
    return "\n".join(lines)


def updated_document(text: str) -> str:
    """`text` with the generated section replaced (appended when the markers are missing)."""
    section = generated_reference()
    if BEGIN in text and END in text:
        before = text.split(BEGIN)[0]
        after = text.split(END, 1)[1]
        return before + section + after
    return text.rstrip("\n") + "\n\n" + section + "\n"


def write(path: Path) -> bool:
    """Update the file; True when it changed."""
    text = path.read_text(encoding="utf-8")
    updated = updated_document(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        return True
    return False
