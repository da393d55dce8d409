"""`reciproca charter load|show|coverage`: load a charter file, show the charter in force, and
list the tests that show each clause holding."""

from __future__ import annotations

import json
import textwrap
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reciproca.charter import engine
from reciproca.charter import rules as rule_registry
from reciproca.charter.coverage import CoverageReport, coverage_report
from reciproca.charter.loader import (
    CharterFileError,
    load_charter,
    parse_charter,
)
from reciproca.core.exceptions import DomainError

WIDTH = 100


class Command(BaseCommand):
    help = _(
        "La charte : « load FICHIER » la charge et la met en vigueur, « show » l'affiche, "
        "« coverage » liste les tests qui montrent chaque clause respectée."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{load,show,coverage,docs}"
        )

        load = actions.add_parser(
            "load",
            help=_("valider un fichier de charte et en faire la charte en vigueur"),
        )
        load.add_argument(
            "file",
            nargs="?",
            type=Path,
            help=_("fichier YAML (par défaut : RECIPROCA_CHARTER_FILE, la charte de l'Isère)"),
        )
        load.add_argument(
            "--reactivate",
            action="store_true",
            help=_("remettre en vigueur une version déjà chargée qui ne l'est plus"),
        )

        docs = actions.add_parser(
            "docs",
            help=_(
                "la référence des conditions, paramètres, règles et mesures, générée depuis "
                "les déclarations des applications"
            ),
        )
        docs.add_argument(
            "--write",
            action="store_true",
            help=_("l'écrire entre les marqueurs de docs/charter-format.md"),
        )
        docs.add_argument("--file", type=Path, help=_("autre fichier que docs/charter-format.md"))

        show = actions.add_parser("show", help=_("afficher la charte en vigueur"))
        show.add_argument("--format", choices=["text", "yaml"], default="text")

        coverage = actions.add_parser(
            "coverage",
            help=_("lister pour chaque clause les tests marqués pytest.mark.charter"),
        )
        coverage.add_argument(
            "--file",
            type=Path,
            help=_(
                "lire les clauses de ce fichier (sans le charger) plutôt que de la charte en "
                "vigueur"
            ),
        )
        coverage.add_argument(
            "--tests-root",
            type=Path,
            help=_("dossier où chercher les fichiers test_*.py (par défaut : la racine du projet)"),
        )
        coverage.add_argument("--format", choices=["text", "json", "markdown"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "load":
                self._load(options)
            elif action == "show":
                self._show(options)
            elif action == "docs":
                self._docs(options)
            else:
                self._coverage(options)
        except CharterFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                ngettext(
                    "%(source)s : %(count)d problème, rien n'a été modifié.",
                    "%(source)s : %(count)d problèmes, rien n'a été modifié.",
                    len(error.problems),
                )
                % {"source": error.source or _("fichier"), "count": len(error.problems)}
            ) from None
        except DomainError as error:
            raise CommandError("\n".join(error.reasons)) from None

    # --- load ------------------------------------------------------------------------------

    def _load(self, options: dict[str, Any]) -> None:
        path = options["file"] or Path(settings.RECIPROCA_CHARTER_FILE)
        result = load_charter(path=path, reactivate=options.get("reactivate", False))
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(result.message) if result.created else result.message
            )

    # --- docs ------------------------------------------------------------------------------

    def _docs(self, options: dict[str, Any]) -> None:
        from reciproca.charter import docs

        if not options["write"]:
            self.stdout.write(docs.generated_reference())
            return
        path = Path(options["file"] or Path(settings.BASE_DIR) / "docs" / "charter-format.md")
        changed = docs.write(path)
        self.stdout.write(
            _("%(path)s mis à jour.") % {"path": path}
            if changed
            else _("%(path)s est déjà à jour.") % {"path": path}
        )

    # --- show ------------------------------------------------------------------------------

    def _show(self, options: dict[str, Any]) -> None:
        charter = engine.active_charter()
        if options["format"] == "yaml":
            self.stdout.write(
                yaml.safe_dump(
                    charter.document, allow_unicode=True, sort_keys=False, width=WIDTH
                ).rstrip()
            )
            return
        self.stdout.write("\n".join(_charter_text(charter)))

    # --- coverage --------------------------------------------------------------------------

    def _coverage(self, options: dict[str, Any]) -> None:
        tests_root = Path(options["tests_root"] or settings.BASE_DIR)
        if not tests_root.is_dir():
            raise CommandError(_("%(path)s n'est pas un dossier.") % {"path": tests_root})
        if options["file"]:
            path = Path(options["file"])
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(str(error)) from None
            # The clauses only: the codes are checked against the reference tables on load.
            document = parse_charter(text=text, source=str(path), check_references=False)
            title = f"{document.charter.title} ({document.charter.version})"
            clauses = [(c.id, c.section, c.planned) for c in document.clauses]
            texts = {c.id: (c.text, c.mechanism) for c in document.clauses}
        else:
            charter = engine.active_charter()
            title = str(charter)
            rows = list(engine.clauses(charter=charter))
            clauses = [(c.code, c.section, c.is_planned) for c in rows]
            texts = {c.code: (c.text, c.mechanism) for c in rows}
        report = coverage_report(clauses=clauses, tests_root=tests_root)

        if options["format"] == "markdown":
            self.stdout.write(_coverage_markdown(title, report, texts))
        elif options["format"] == "json":
            self.stdout.write(
                json.dumps({"charter": title, **report.as_dict()}, indent=2, ensure_ascii=False)
            )
        else:
            self.stdout.write("\n".join(_coverage_text(title, report)))
            for line in _coverage_warnings(report):
                self.stderr.write(self.style.WARNING(line))

        if report.missing:
            raise CommandError(
                ngettext(
                    "%(count)d clause non prévue sans test : %(codes)s",
                    "%(count)d clauses non prévues sans test : %(codes)s",
                    len(report.missing),
                )
                % {
                    "count": len(report.missing),
                    "codes": ", ".join(clause.code for clause in report.missing),
                }
            )


def _wrapped(text: str, indent: int) -> list[str]:
    return textwrap.wrap(
        " ".join(str(text).split()),
        width=WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * indent,
    ) or [" " * indent]


def _charter_text(charter: Any) -> list[str]:
    lines = [charter.title, "=" * min(len(charter.title), WIDTH)]
    header = charter.document.get("charter", {})
    lines.append(
        _("%(authority)s — version %(version)s (%(slug)s), en vigueur depuis le %(loaded)s")
        % {
            "authority": charter.authority,
            "version": charter.version,
            "slug": charter.slug,
            "loaded": f"{charter.loaded_at:%Y-%m-%d %H:%M}",
        }
    )
    if charter.adopted_date:
        lines.append(_("Adoptée le %(date)s") % {"date": charter.adopted_date.isoformat()})
    lines.append(
        _("Langues : %(languages)s") % {"languages": ", ".join(header.get("languages", []))}
    )

    principles = engine.principles(charter=charter)
    if principles:
        lines += ["", _("Principes")]
        for principle in principles:
            lines.append(f"  {principle.code}  {principle.name}")
            lines += _wrapped(str(principle.text), 10)
    objectives = engine.objectives(charter=charter)
    if objectives:
        lines += ["", _("Objectifs")]
        for objective in objectives:
            lines.append(f"  {objective.code}  {objective.name}")
            lines += _wrapped(str(objective.text), 10)

    themes = list(engine.themes(charter=charter))
    lines += ["", _("Thèmes prioritaires (%(count)d)") % {"count": len(themes)}]
    for theme in themes:
        lines.append(f"  {theme.code:<26}{theme.name}")
        for label, values in (
            (_("cibles ODD"), theme.sdg_targets),
            (_("marqueurs CAD"), theme.policy_markers),
            (_("codes-objet CAD"), theme.purpose_codes),
        ):
            lines.append(f"  {'':<26}{label} : {', '.join(values) or '—'}")

    clauses = list(engine.clauses(charter=charter))
    planned = sum(clause.is_planned for clause in clauses)
    lines += [
        "",
        _("Clauses (%(count)d, dont %(planned)d prévues)")
        % {"count": len(clauses), "planned": planned},
    ]
    for clause in clauses:
        flag = _(" (prévue)") if clause.is_planned else ""
        lines.append(f"  {clause.code:<8}[{clause.section}]{flag}")
        lines += _wrapped(clause.text, 10)
        lines += _wrapped(_("mécanisme : %(text)s") % {"text": clause.mechanism}, 10)

    grid = engine.sd_grid(charter=charter)
    if grid is not None:
        lines += ["", _("Grille de développement durable")]
        lines.append("  " + _("Finalités :"))
        lines += [f"    {item.code:<26}{item.name}" for item in grid.finalities]
        if grid.process_elements:
            lines.append("  " + _("Éléments de démarche :"))
            lines += [f"    {item.code:<26}{item.name}" for item in grid.process_elements]
        if grid.score_priority_themes:
            lines.append("  " + _("Les thèmes prioritaires sont aussi notés."))

    lines += ["", _("Conditions des étapes")]
    for transition, conditions in engine.gates(charter=charter).items():
        if not conditions:
            continue
        lines.append(f"  {transition}")
        for condition in conditions:
            flag = _(" (vérification prévue)") if condition.is_planned else ""
            lines.append(
                f"    - {condition.check} [{', '.join(condition.clauses)}]{flag} : "
                f"{condition.label}"
            )
            values = condition.model.model_dump() if condition.model is not None else {}
            values.update(condition.params)
            for name, value in values.items():
                if name in condition.params:
                    shown = _shown(value)
                elif value is None:
                    # Unset: the rule of the same name applies.
                    shown = _("— (règle : %(value)s)") % {
                        "value": _shown(engine.rule(name, "—", charter=charter))
                    }
                else:
                    shown = _("%(value)s (par défaut)") % {"value": _shown(value)}
                lines.append(f"        {name} : {shown}")

    set_by_charter = charter.document.get("rules") or {}
    lines += ["", _("Règles")]
    for spec in rule_registry.specs():
        value = engine.rule(spec.name, charter=charter)
        origin = "" if spec.name in set_by_charter else _(" (valeur par défaut)")
        lines.append(f"  {spec.name} : {_shown(value)}{origin}")
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    return str(value)


def _coverage_text(title: str, report: CoverageReport) -> list[str]:
    statuses = {
        "tested": _("testée"),
        "planned": _("prévue"),
        "missing": _("MANQUANTE"),
    }
    lines = [_("Couverture de la charte %(title)s par les tests") % {"title": title}, ""]
    lines.append(f"{_('ID'):<8}  {_('statut'):<14}  {_('tests')}")
    for clause in report.clauses:
        status = statuses[clause.status]
        if clause.tests:
            status = f"{status} ({len(clause.tests)})"
        tests = list(clause.tests) or [""]
        lines.append(f"{clause.code:<8}  {status:<14}  {tests[0]}".rstrip())
        lines += [f"{'':<8}  {'':<14}  {test}" for test in tests[1:]]
    tested = sum(clause.status == "tested" for clause in report.clauses)
    lines += [
        "",
        _(
            "Clauses testées : %(tested)d ; prévues sans test : %(planned)d ; "
            "manquantes : %(missing)d."
        )
        % {
            "tested": tested,
            "planned": sum(clause.status == "planned" for clause in report.clauses),
            "missing": len(report.missing),
        },
    ]
    return lines


def _coverage_warnings(report: CoverageReport) -> list[str]:
    lines = [
        ngettext(
            "%(code)s est marquée prévue mais a %(count)d test : elle pourrait ne plus "
            "être marquée prévue.",
            "%(code)s est marquée prévue mais a %(count)d tests : elle pourrait ne plus "
            "être marquée prévue.",
            len(clause.tests),
        )
        % {"code": clause.code, "count": len(clause.tests)}
        for clause in report.planned_with_tests
    ]
    lines += [
        _("des tests citent %(code)s, que la charte ne contient pas : %(tests)s")
        % {"code": code, "tests": ", ".join(tests)}
        for code, tests in report.unknown_clauses.items()
    ]
    lines += report.warnings
    return lines


def _coverage_markdown(
    title: str, report: CoverageReport, texts: dict[str, tuple[str, str]]
) -> str:
    """The charter traceability table (docs/charter-traceability.md is this output)."""

    def cell(value: str) -> str:
        return " ".join(str(value).split()).replace("|", "\\|")

    lines = [
        f"# Charter traceability — {title}",
        "",
        "Generated by `reciproca charter coverage --file reciproca/charter/charters/isere.yaml"
        " --format markdown`; a test keeps it equal to that output. Each clause: what the charter"
        " says, the mechanism the product gives it, and the tests that carry its ID"
        " (`@pytest.mark.charter(...)`). *Planned* clauses arrive with a later capability.",
        "",
        "| ID | The charter says | Mechanism | Status | Tests |",
        "|---|---|---|---|---|",
    ]
    for clause in report.clauses:
        text, mechanism = texts.get(clause.code, ("", ""))
        status = {"tested": "tested", "planned": "planned", "missing": "**MISSING**"}[clause.status]
        tests = "<br>".join(f"`{t}`" for t in clause.tests) or "—"
        lines.append(f"| {clause.code} | {cell(text)} | {cell(mechanism)} | {status} | {tests} |")
    return "\n".join(lines) + "\n"
