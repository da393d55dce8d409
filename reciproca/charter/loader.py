"""Reading a charter file: parse, validate, and load it as the active charter.

`parse_charter` turns YAML text into a validated `CharterDocument` or raises `CharterFileError`
listing every problem with its line; `load_charter` stores a valid document as a new active
charter in one transaction. Nothing is written for a file that does not validate.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from reciproca.charter import conditions
from reciproca.charter.models import Charter, Clause, Theme
from reciproca.charter.schema import CharterDocument
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


@dataclass(frozen=True)
class LoadResult:
    charter: Charter
    created: bool
    activated: bool
    message: str


# --- parsing -------------------------------------------------------------------------------


def parse_charter(*, text: str, source: str = "") -> CharterDocument:
    """Validate a charter file's text; raise `CharterFileError` with every problem found.

    Field problems are all reported together; the checks across sections (unique codes,
    references) run once every field is well-formed, since they need a whole document.
    """
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
    problems.extend(
        CharterProblem(line=_line(root, loc), field=_field_path(loc), message=message)
        for loc, message in _cross_checks(document)
    )
    if problems:
        raise CharterFileError(problems, source=source)
    return document


def _compose(text: str, *, source: str) -> tuple[yaml.Node, Any]:
    """Parse with the safe loader, keeping the node tree so errors can name their line."""
    loader = yaml.SafeLoader(text)
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
        "too_short": _("au moins %(min)s élément(s) attendu(s)")
        % {"min": ctx.get("min_length", "?")},
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
            if condition.check in checks_seen:
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


# --- loading -------------------------------------------------------------------------------


def canonical_json(document: CharterDocument) -> dict[str, Any]:
    """The document as stored: JSON types only, so equal content compares equal."""
    dumped: dict[str, Any] = json.loads(document.model_dump_json())
    return dumped


def load_charter(*, path: Path, by: Any = None) -> LoadResult:
    """Validate the file at `path` and make it the active charter (see `load_charter_text`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
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
    return load_charter_text(text=text, by=by, source=str(path))


def load_charter_text(*, text: str, by: Any = None, source: str = "") -> LoadResult:
    """Store a charter file as a new charter and make it the active one, in one transaction.

    The same slug and version with the same content is not stored twice (it is re-activated
    if another charter took its place); with other content it is refused: bump the version.
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
            _activate(existing, previous=previous)
            record_event(
                action="charter.charter.activated",
                by=by,
                subject=existing,
                reason=_("rechargée depuis %(source)s") % {"source": source or "?"},
                before=_summary(previous),
                after=_summary(existing),
            )
            return LoadResult(
                charter=existing,
                created=False,
                activated=True,
                message=_(
                    "La charte « %(title)s » version %(version)s était déjà chargée : elle est "
                    "de nouveau en vigueur."
                )
                % {"title": existing.title, "version": existing.version},
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
        _activate(charter, previous=previous)
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
            },
        )
    return LoadResult(
        charter=charter,
        created=True,
        activated=True,
        message=_(
            "Charte « %(title)s » version %(version)s chargée et en vigueur : %(clauses)d "
            "clauses, %(themes)d thèmes prioritaires."
        )
        % {
            "title": charter.title,
            "version": charter.version,
            "clauses": len(document.clauses),
            "themes": len(document.themes),
        },
    )


def _activate(charter: Charter, *, previous: Charter | None) -> None:
    # Deactivate first: the database allows one active charter at a time.
    if previous is not None and previous.pk != charter.pk:
        Charter.objects.filter(pk=previous.pk).update(is_active=False)
    Charter.objects.filter(pk=charter.pk).update(is_active=True)
    charter.is_active = True


def _summary(charter: Charter | None) -> dict[str, Any]:
    if charter is None:
        return {}
    return {"charter": charter.slug, "version": charter.version}
