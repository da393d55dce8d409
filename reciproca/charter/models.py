"""The charter as data: one row per loaded charter file, its clauses and priority themes.

The gates and rules are kept as the validated document (`Charter.document`); the workflow asks
`reciproca.charter.engine` for them rather than reading this table directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager


class Charter(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=80)
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("titre"), max_length=255)
    authority = models.CharField(_("collectivité"), max_length=255)
    adopted_date = models.DateField(_("adoptée le"), null=True, blank=True)
    document = models.JSONField(_("document validé"))
    source_text = models.TextField(_("fichier source"))
    source_sha256 = models.CharField(max_length=64)
    is_active = models.BooleanField(_("en vigueur"), default=False)
    loaded_at = models.DateTimeField(_("chargée le"), auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("charte")
        verbose_name_plural = _("chartes")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_charter"
            ),
            models.UniqueConstraint(fields=["slug", "version"], name="charter_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Clause(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="clauses")
    code = models.CharField(_("identifiant"), max_length=20)
    section = models.CharField(_("section"), max_length=120)
    text = models.TextField(_("la charte dit"))
    mechanism = models.TextField(_("mécanisme"))
    is_planned = models.BooleanField(
        _("prévue"),
        default=False,
        help_text=_("Le mécanisme arrive avec une fonctionnalité ultérieure."),
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["charter", "position"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [
            models.UniqueConstraint(fields=["charter", "code"], name="clause_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class Theme(models.Model):
    """A priority theme of the charter (PRJ-15), with what it suggests; a person confirms."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(_("identifiant"), max_length=40)
    name = models.CharField(_("nom"), max_length=255)
    position = models.PositiveIntegerField()
    sdg_targets = models.JSONField(_("cibles ODD suggérées"), default=list)
    policy_markers = models.JSONField(_("marqueurs CAD suggérés"), default=list)
    purpose_codes = models.JSONField(_("codes-objet CAD suggérés"), default=list)

    if TYPE_CHECKING:
        # Columns modeltranslation adds (translation.py): one per interface language.
        name_fr: str | None
        name_en: str | None
        name_ar: str | None
        name_hy: str | None

    # Declared rather than patched in by modeltranslation at start-up, so type checkers see
    # the manager the code really gets.
    objects: MultilingualManager[Theme] = MultilingualManager()

    class Meta:
        ordering = ["charter", "position"]
        verbose_name = _("thème prioritaire")
        verbose_name_plural = _("thèmes prioritaires")
        constraints = [
            models.UniqueConstraint(fields=["charter", "code"], name="theme_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name
