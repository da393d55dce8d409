"""Reading a charter file: parse, validate, and load it as the active charter.

`parse_charter` turns YAML text into a validated `CharterDocument` or raises `CharterFileError`
listing every problem with its line; `load_charter` stores a valid document as a new active
charter in one transaction. Nothing is written for a file that does not validate.

The file is untrusted input: YAML aliases are refused before anything is built (no "billion
laughs"), its size and item counts are bounded (`schema.MAX_*`), bytes that are not UTF-8 are
reported with their line, every condition's params and every rule are validated against the
types their apps registered, and codes (SDG targets, DAC purpose codes and markers) against the
reference tables.

Apps react to a charter becoming active through `register_activation_handler` (the projects
app carries project themes over to a new version by code).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from reciproca.charter import conditions, engine
from reciproca.charter import rules as rule_registry
from reciproca.charter.models import Charter, Clause, Theme
from reciproca.charter.schema import MAX_FILE_BYTES, CharterDocument
from reciproca.core.exceptions import DomainError
from reciproca.core.models import record_event

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class CharterProblem:
    """One thing wrong in a charter file; `field` is a path such as `clauses[3].text`."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return _("champ %(field)s : %(message)s") % {
                "field": self.field,
                "message": self.message,
            }
        if not self.field:
            return _("ligne %(line)d : %(message)s") % {"line": self.line, "message": self.message}
        return _("ligne %(line)d, champ %(field)s : %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class CharterFileError(DomainError):
    """The file is not a valid charter; `problems` says where and why, one per line."""

    def __init__(self, problems: Sequence[CharterProblem], *, source: str = "") -> None:
        # In file order, so the author can fix them top to bottom.
        self.problems = sorted(
            problems, key=lambda problem: (problem.line is None, problem.line or 0)
        )
        self.source = source
        super().__init__([str(problem) for problem in self.problems])


class CharterVersionConflict(DomainError):
    """The same slug and version is already loaded with other content."""


class CharterReactivationRefused(DomainError):
    """A known, inactive version would become active again without the explicit flag."""


@dataclass(frozen=True)
class LoadResult:
    charter: Charter
    created: bool
    activated: bool
    message: str
    notes: tuple[str, ...] = ()


# An activation handler is told which charter was in force and which one now is (inside the
# loading transaction) and returns sentences to report (in the load message and audit event).
ActivationHandler = Callable[[Charter | None, Charter], list[str]]
_ACTIVATION_HANDLERS: list[ActivationHandler] = []


def register_activation_handler(handler: ActivationHandler) -> ActivationHandler:
    """Call `handler(previous, charter)` whenever a charter becomes active (idempotent)."""
    if handler not in _ACTIVATION_HANDLERS:
        _ACTIVATION_HANDLERS.append(handler)
    return handler


# --- parsing -------------------------------------------------------------------------------


def parse_charter(*, text: str, source: str = "", check_references: bool = True) -> CharterDocument:
    """Validate a charter file's text; raise `CharterFileError` with every problem found.

    Field problems are all reported together; the checks across sections (unique codes,
    references, condition params, rules) run once every field is well-formed, since they need
    a whole document. `check_references=False` skips the codes' check against the reference
    tables (reading a file's clauses without a database).
    """
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_FILE_BYTES:
        raise CharterFileError([_too_big(size)], source=source)
    root, data = _compose(text, source=source)
    problems = list(_duplicate_keys(root))
    if not isinstance(data, dict):
        problems.append(
            CharterProblem(
                line=_line(root, ()),
                field="",
                message=_("le fichier doit être une table de clés (charter, clauses, …)"),
            )
        )
        raise CharterFileError(problems, source=source)
    try:
        document = CharterDocument.model_validate(data)
    except ValidationError as error:
        problems.extend(
            CharterProblem(
                line=_line(root, _data_loc(entry["loc"])),
                field=_field_path(_data_loc(entry["loc"])),
                message=_message(entry),
            )
            for entry in error.errors()
        )
        raise CharterFileError(problems, source=source) from None
    checks = _cross_checks(document)
    if check_references:
        checks = _chain(checks, _reference_checks(document))
    problems.extend(
        CharterProblem(line=_line(root, loc), field=_field_path(loc), message=message)
        for loc, message in checks
    )
    if problems:
        raise CharterFileError(problems, source=source)
    return document


def _too_big(size: int) -> CharterProblem:
    return CharterProblem(
        line=None,
        field="",
        message=_("fichier trop volumineux : %(size)s octets, une charte en compte au plus %(max)s")
        % {"size": f"{size:,}".replace(",", " "), "max": f"{MAX_FILE_BYTES:,}".replace(",", " ")},
    )


def _chain(*parts: Iterator[tuple[Loc, str]]) -> Iterator[tuple[Loc, str]]:
    for part in parts:
        yield from part


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases (`*name`) as soon as the parser meets one.

    An alias repeats a node; nested, a few hundred bytes expand to billions of items
    ("billion laughs"). A charter has no use for them, so none is ever expanded.
    """

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                _(
                    "les alias YAML (*%(name)s) ne sont pas admis dans une charte : écrivez "
                    "la valeur en entier"
                )
                % {"name": getattr(event, "anchor", "")},
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _compose(text: str, *, source: str) -> tuple[yaml.Node, Any]:
    """Parse with the safe loader, keeping the node tree so errors can name their line."""
    loader = _NoAliasLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise CharterFileError(
                [CharterProblem(line=1, field="", message=_("le fichier est vide"))],
                source=source,
            )
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = error.problem or error.context or str(error)
        if error.problem and error.context and error.context_mark is not None:
            # PyYAML finds the error where the text stops making sense; the context says
            # where the unfinished construct began, often the line to fix.
            detail = _("%(problem)s (%(context)s, ligne %(line)d)") % {
                "problem": error.problem,
                "context": error.context,
                "line": error.context_mark.line + 1,
            }
        raise CharterFileError(
            [
                CharterProblem(
                    line=line,
                    field="",
                    message=_("syntaxe YAML invalide : %(detail)s") % {"detail": detail},
                )
            ],
            source=source,
        ) from None
    except yaml.YAMLError as error:
        raise CharterFileError(
            [CharterProblem(line=None, field="", message=str(error))], source=source
        ) from None
    finally:
        loader.dispose()
    return root, data


def _duplicate_keys(node: yaml.Node, loc: Loc = ()) -> Iterator[CharterProblem]:
    # YAML lets a later key silently replace an earlier one; in a charter that hides a mistake.
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            line = key.start_mark.line + 1
            if key.value in seen:
                yield CharterProblem(
                    line=line,
                    field=_field_path((*loc, key.value)),
                    message=_("clé en double (déjà présente ligne %(line)d)")
                    % {"line": seen[key.value]},
                )
            else:
                seen[key.value] = line
                yield from _duplicate_keys(value, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*loc, index))


def _data_loc(loc: tuple[str | int, ...]) -> Loc:
    # `[key]` marks an error on a mapping's key rather than its value; the path stays the same.
    return tuple(part for part in loc if part != "[key]")


def _line(root: yaml.Node, loc: Loc) -> int:
    """The line of the deepest node the path reaches (a missing key: its parent's line)."""
    node = root
    line: int = root.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    # The key's line: for a block value, the value starts on the next line.
                    node, line = value, key.start_mark.line + 1
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _field_path(loc: Loc) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(entry: ErrorDetails) -> str:
    """French messages for the errors a charter author meets; pydantic's text otherwise."""
    kind = entry["type"]
    ctx = entry.get("ctx") or {}
    messages: dict[str, str] = {
        "missing": _("champ obligatoire manquant"),
        "extra_forbidden": _("champ inconnu (vérifiez son orthographe)"),
        "string_type": _(
            "texte attendu ; mettez entre guillemets une valeur qui ressemble à un nombre "
            'ou à une date (par exemple "16.10")'
        ),
        "string_too_short": _("ne doit pas être vide"),
        "string_too_long": _("trop long (au plus %(max)s caractères)")
        % {"max": ctx.get("max_length", "?")},
        "string_pattern_mismatch": _("format invalide (attendu : %(pattern)s)")
        % {"pattern": ctx.get("pattern", "?")},
        "bool_type": _("true ou false attendu"),
        "int_type": _("nombre entier attendu"),
        "date_type": _("date attendue (AAAA-MM-JJ)"),
        "date_parsing": _("date attendue (AAAA-MM-JJ)"),
        "date_from_datetime_parsing": _("date attendue (AAAA-MM-JJ)"),
        "list_type": _("liste attendue"),
        "dict_type": _("table de clés attendue (clé: valeur)"),
        "model_type": _("table de clés attendue (clé: valeur)"),
        "model_attributes_type": _("table de clés attendue (clé: valeur)"),
        "literal_error": _("valeur inconnue (attendu : %(expected)s)")
        % {"expected": ctx.get("expected", "?")},
        "too_short": _("trop peu d'éléments (au moins %(min)s)")
        % {"min": ctx.get("min_length", "?")},
        "too_long": _("trop d'éléments (au plus %(max)s)") % {"max": ctx.get("max_length", "?")},
        "greater_than_equal": _("valeur trop petite (au moins %(min)s)")
        % {"min": ctx.get("ge", "?")},
        "less_than_equal": _("valeur trop grande (au plus %(max)s)") % {"max": ctx.get("le", "?")},
        "greater_than": _("valeur trop petite (plus de %(min)s)") % {"min": ctx.get("gt", "?")},
        "less_than": _("valeur trop grande (moins de %(max)s)") % {"max": ctx.get("lt", "?")},
        "float_type": _("nombre attendu"),
        "int_from_float": _("nombre entier attendu"),
        "value_error": str(ctx.get("error", entry["msg"])),
    }
    return messages.get(kind, entry["msg"])


def _cross_checks(document: CharterDocument) -> Iterator[tuple[Loc, str]]:
    """Checks that need the whole document: unique codes and references that resolve."""
    clause_ids: dict[str, int] = {}
    for index, clause in enumerate(document.clauses):
        if clause.id in clause_ids:
            yield (
                ("clauses", index, "id"),
                _("identifiant de clause en double : %(code)s (déjà clauses[%(first)d])")
                % {"code": clause.id, "first": clause_ids[clause.id]},
            )
        else:
            clause_ids[clause.id] = index

    for section in ("principles", "objectives", "themes"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(document, section)):
            if item.code in seen:
                yield (
                    (section, index, "code"),
                    _("code en double : %(code)s (déjà %(section)s[%(first)d])")
                    % {"code": item.code, "section": section, "first": seen[item.code]},
                )
            else:
                seen[item.code] = index

    if document.sd_grid is not None:
        for part in ("finalities", "process_elements"):
            seen = {}
            for index, item in enumerate(getattr(document.sd_grid, part)):
                if item.code in seen:
                    yield (
                        ("sd_grid", part, index, "code"),
                        _("code en double : %(code)s") % {"code": item.code},
                    )
                seen.setdefault(item.code, index)

    for index, theme in enumerate(document.themes):
        for position, code in enumerate(theme.clauses):
            if code not in clause_ids:
                yield (
                    ("themes", index, "clauses", position),
                    _("clause inconnue : %(code)s") % {"code": code},
                )

    known_checks = conditions.known_codes()
    cited: dict[str, set[str]] = {}
    gate_index: dict[str, int] = {}
    for index, gate in enumerate(document.gates):
        if gate.transition in gate_index:
            yield (
                ("gates", index, "transition"),
                _("transition déjà décrite par gates[%(first)d] : regroupez ses conditions")
                % {"first": gate_index[gate.transition]},
            )
        gate_index.setdefault(gate.transition, index)
        checks_seen: set[str] = set()
        for position, condition in enumerate(gate.conditions):
            loc: Loc = ("gates", index, "conditions", position)
            if condition.check not in known_checks:
                yield (
                    (*loc, "check"),
                    _("condition inconnue : %(code)s (conditions connues : %(known)s)")
                    % {"code": condition.check, "known": ", ".join(sorted(known_checks))},
                )
            else:
                yield from _params_checks(condition.check, condition.params, (*loc, "params"))
            if condition.check in checks_seen and condition.check not in REPEATABLE:
                yield (
                    (*loc, "check"),
                    _("condition déjà demandée par cette transition : %(code)s")
                    % {"code": condition.check},
                )
            checks_seen.add(condition.check)
            for number, code in enumerate(condition.clauses):
                if code not in clause_ids:
                    yield (
                        (*loc, "clauses", number),
                        _("clause inconnue : %(code)s") % {"code": code},
                    )
                cited.setdefault(code, set()).add(gate.transition)

    known_rules = rule_registry.known_rules()
    for name, value in document.rules.items():
        if name not in known_rules:
            yield (
                ("rules", name),
                _("règle inconnue : %(name)s (règles connues : %(known)s)")
                % {"name": name, "known": ", ".join(sorted(known_rules))},
            )
            continue
        try:
            rule_registry.get(name).validate(value)
        except ValidationError as error:
            for entry in error.errors():
                yield (("rules", name, *_data_loc(entry["loc"])), _message(entry))

    for index, clause in enumerate(document.clauses):
        for position, transition in enumerate(clause.gates):
            if transition not in cited.get(clause.id, set()):
                yield (
                    ("clauses", index, "gates", position),
                    _(
                        "aucune condition de la transition %(transition)s ne cite "
                        "%(code)s : ajoutez-la à une condition ou retirez cette référence"
                    )
                    % {"transition": transition, "code": clause.id},
                )


# Generic conditions a gate may name several times, with different params.
REPEATABLE = frozenset({"count_at_least", "share_at_least"})


def _params_checks(code: str, params: dict[str, Any], loc: Loc) -> Iterator[tuple[Loc, str]]:
    """The condition's params against the model its app registered."""
    try:
        conditions.get(code).validate_params(params)
    except ValidationError as error:
        for entry in error.errors():
            yield ((*loc, *_data_loc(entry["loc"])), _message(entry))


def _reference_checks(document: CharterDocument) -> Iterator[tuple[Loc, str]]:
    """The codes a theme suggests exist in the reference tables (`reciproca load_reference`)."""
    from reciproca.reference.models import PolicyMarker, PurposeCode, SdgTarget

    tables = (
        ("sdg_targets", SdgTarget, _("cible ODD inconnue : %(code)s")),
        ("purpose_codes", PurposeCode, _("code-objet CAD inconnu : %(code)s")),
        ("policy_markers", PolicyMarker, _("marqueur CAD inconnu : %(code)s")),
    )
    for field_name, model, unknown in tables:
        used = [
            (index, position, code)
            for index, theme in enumerate(document.themes)
            for position, code in enumerate(getattr(theme, field_name))
        ]
        if not used:
            continue
        known = set(model.objects.values_list("code", flat=True))
        if not known:
            index, position, _code = used[0]
            yield (
                ("themes", index, field_name, position),
                _(
                    "les tables de référence (%(table)s) sont vides : lancez d'abord "
                    "« reciproca load_reference », puis chargez la charte"
                )
                % {"table": model._meta.verbose_name_plural},
            )
            continue
        for index, position, code in used:
            if code not in known:
                yield (("themes", index, field_name, position), unknown % {"code": code})


# --- loading -------------------------------------------------------------------------------


def canonical_json(document: CharterDocument) -> dict[str, Any]:
    """The document as stored: JSON types only, so equal content compares equal."""
    dumped: dict[str, Any] = json.loads(document.model_dump_json())
    return dumped


def load_charter(*, path: Path, by: Any = None, reactivate: bool = False) -> LoadResult:
    """Validate the file at `path` and make it the active charter (see `load_charter_text`)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CharterFileError([_too_big(size)], source=str(path))
        data = path.read_bytes()
    except OSError as error:
        raise CharterFileError(
            [
                CharterProblem(
                    line=None,
                    field="",
                    message=_("lecture impossible de %(path)s : %(error)s")
                    % {"path": path, "error": error},
                )
            ],
            source=str(path),
        ) from None
    text = decode_charter(data, source=str(path))
    return load_charter_text(text=text, by=by, source=str(path), reactivate=reactivate)


def decode_charter(data: bytes, *, source: str = "") -> str:
    """The file's text; bytes that are not UTF-8 are reported with their line."""
    if len(data) > MAX_FILE_BYTES:
        raise CharterFileError([_too_big(len(data))], source=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CharterFileError(
            [
                CharterProblem(
                    line=line,
                    field="",
                    message=_(
                        "caractère illisible (octet 0x%(byte)s) : le fichier n'est pas en "
                        "UTF-8 ; enregistrez le fichier en UTF-8"
                    )
                    % {"byte": f"{data[error.start]:02x}"},
                )
            ],
            source=source,
        ) from None


def load_charter_text(
    *, text: str, by: Any = None, source: str = "", reactivate: bool = False
) -> LoadResult:
    """Store a charter file as a new charter and make it the active one, in one transaction.

    The same slug and version with the same content is not stored twice; with other content it
    is refused: bump the version. A version already known but no longer in force is made
    active again only with `reactivate=True` (`charter load --reactivate`); without it the load
    is refused, naming the flag.
    """
    document = parse_charter(text=text, source=source)
    header = document.charter
    content = canonical_json(document)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()

    with transaction.atomic():
        previous = Charter.objects.select_for_update().filter(is_active=True).first()
        existing = (
            Charter.objects.select_for_update()
            .filter(slug=header.slug, version=header.version)
            .first()
        )
        if existing is not None:
            if existing.document != content:
                raise CharterVersionConflict(
                    _(
                        "La version %(version)s de la charte « %(slug)s » est déjà chargée avec "
                        "un autre contenu : changez le numéro de version du fichier."
                    )
                    % {"version": header.version, "slug": header.slug}
                )
            if existing.is_active:
                return LoadResult(
                    charter=existing,
                    created=False,
                    activated=False,
                    message=_(
                        "La charte « %(title)s » version %(version)s est déjà chargée et en "
                        "vigueur : rien n'a changé."
                    )
                    % {"title": existing.title, "version": existing.version},
                )
            if not reactivate:
                raise CharterReactivationRefused(
                    _(
                        "La charte « %(title)s » version %(version)s est déjà chargée mais n'est "
                        "plus en vigueur (en vigueur : %(current)s). Pour la remettre en "
                        "vigueur, relancez avec --reactivate (reactivate=True)."
                    )
                    % {
                        "title": existing.title,
                        "version": existing.version,
                        "current": str(previous) if previous else "—",
                    }
                )
            notes = _activate(existing, previous=previous)
            record_event(
                action="charter.charter.activated",
                by=by,
                subject=existing,
                reason=_("remise en vigueur depuis %(source)s (--reactivate)")
                % {"source": source or "?"},
                before=_summary(previous),
                after={**_summary(existing), "notes": notes},
            )
            return LoadResult(
                charter=existing,
                created=False,
                activated=True,
                message=_with_notes(
                    _(
                        "La charte « %(title)s » version %(version)s était déjà chargée : elle "
                        "est de nouveau en vigueur, à la place de %(previous)s (--reactivate)."
                    )
                    % {
                        "title": existing.title,
                        "version": existing.version,
                        "previous": str(previous) if previous else "—",
                    },
                    notes,
                ),
                notes=tuple(notes),
            )

        charter = Charter(
            slug=header.slug,
            version=header.version,
            title=header.title,
            authority=header.authority,
            adopted_date=header.adopted_date,
            document=content,
            source_text=text,
            source_sha256=sha256,
            is_active=False,
        )
        charter.save()
        Clause.objects.bulk_create(
            Clause(
                charter=charter,
                code=clause.id,
                section=clause.section,
                text=clause.text,
                mechanism=clause.mechanism,
                is_planned=clause.planned,
                position=position,
            )
            for position, clause in enumerate(document.clauses, start=1)
        )
        Theme.objects.bulk_create(
            Theme(
                charter=charter,
                code=theme.code,
                name=theme.name.fr,
                name_fr=theme.name.fr,
                name_en=theme.name.en,
                name_ar=theme.name.ar,
                name_hy=theme.name.hy,
                position=position,
                sdg_targets=theme.sdg_targets,
                policy_markers=theme.policy_markers,
                purpose_codes=theme.purpose_codes,
            )
            for position, theme in enumerate(document.themes, start=1)
        )
        notes = _activate(charter, previous=previous)
        record_event(
            action="charter.charter.loaded",
            by=by,
            subject=charter,
            reason=_("chargée depuis %(source)s") % {"source": source or "?"},
            before=_summary(previous),
            after={
                **_summary(charter),
                "sha256": sha256,
                "clauses": len(document.clauses),
                "themes": len(document.themes),
                "notes": notes,
            },
        )
    return LoadResult(
        charter=charter,
        created=True,
        activated=True,
        message=_with_notes(
            _(
                "Charte « %(title)s » version %(version)s chargée et en vigueur : %(clauses)d "
                "clauses, %(themes)d thèmes prioritaires."
            )
            % {
                "title": charter.title,
                "version": charter.version,
                "clauses": len(document.clauses),
                "themes": len(document.themes),
            },
            notes,
        ),
        notes=tuple(notes),
    )


def _with_notes(message: str, notes: Sequence[str]) -> str:
    return "\n".join([message, *notes])


def _activate(charter: Charter, *, previous: Charter | None) -> list[str]:
    """Make `charter` the active one and tell the apps; their notes are returned."""
    # Deactivate first: the database allows one active charter at a time.
    if previous is not None and previous.pk != charter.pk:
        Charter.objects.filter(pk=previous.pk).update(is_active=False)
    Charter.objects.filter(pk=charter.pk).update(is_active=True)
    charter.is_active = True
    engine.invalidate()
    transaction.on_commit(engine.invalidate)
    notes: list[str] = []
    for handler in _ACTIVATION_HANDLERS:
        notes.extend(str(note) for note in handler(previous, charter))
    return notes


def _summary(charter: Charter | None) -> dict[str, Any]:
    if charter is None:
        return {}
    return {"charter": charter.slug, "version": charter.version}
