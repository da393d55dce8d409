"""Countries and the subdivisions partners govern. A territory code is never stored without
its validity period: ISO reused Moroccan codes in 2019 (MA-12 was Tadla-Azilal)."""

# modeltranslation swaps each registered model's manager for a class built at run time,
# which django-stubs cannot find; the managers behave as plain Managers.
# mypy: disable-error-code="django-manager-missing"

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    iso2 = models.CharField(_("code ISO 3166-1"), max_length=2, unique=True)
    iso3 = models.CharField(_("code alpha-3"), max_length=3, blank=True)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pays")
        verbose_name_plural = _("pays")

    def __str__(self) -> str:
        return self.name


class Territory(models.Model):
    class Kind(models.TextChoices):
        REGION = "REGION", _("région")
        DEPARTMENT = "DEPARTMENT", _("département")
        PROVINCE = "PROVINCE", _("province")
        WILAYA = "WILAYA", _("wilaya")
        MARZ = "MARZ", _("marz")
        GOVERNORATE = "GOVERNORATE", _("gouvernorat")
        MUNICIPALITY = "MUNICIPALITY", _("commune")
        OTHER = "OTHER", _("autre")

    name = models.CharField(_("nom"), max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="territories")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    iso_code = models.CharField(_("code ISO 3166-2"), max_length=10, blank=True)
    valid_from = models.DateField(_("en vigueur depuis"), null=True, blank=True)
    valid_until = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="territory_period_ordered",
            ),
            # ISO reuses codes (MA-12 was Tadla-Azilal until 2015, Dakhla-Oued Ed-Dahab since
            # 2019): a code is only meaningful with the date its holder came into being.
            models.CheckConstraint(
                condition=Q(iso_code="") | Q(valid_from__isnull=False),
                name="territory_code_has_period",
            ),
            models.UniqueConstraint(
                fields=["iso_code", "valid_from"],
                condition=~Q(iso_code=""),
                name="territory_code_unique_per_period",
            ),
        ]

    def __str__(self) -> str:
        if self.valid_until:
            return f"{self.name} ({self.iso_code or self.country.iso2}, → {self.valid_until:%Y})"
        return f"{self.name} ({self.iso_code or self.country.iso2})"

    @property
    def is_current(self) -> bool:
        return self.valid_until is None

    def is_valid_on(self, on_date: date) -> bool:
        """True if the territory existed on that date (both ends of the period included)."""
        return (self.valid_from is None or self.valid_from <= on_date) and (
            self.valid_until is None or on_date <= self.valid_until
        )

    def clean(self) -> None:
        # Two holders of one code may not overlap in time; a database constraint cannot say
        # this portably (SQLite has no exclusion constraints), so the form and the loader check.
        from reciproca.territories.queries import code_claims_overlapping

        super().clean()
        if self.iso_code and self.valid_from is None:
            raise ValidationError(
                {
                    "valid_from": _(
                        "Un territoire qui porte un code ISO doit avoir une date de début."
                    )
                }
            )
        if self.iso_code and self.valid_from:
            clash = code_claims_overlapping(self).first()
            if clash is not None:
                raise ValidationError(
                    {
                        "iso_code": _(
                            "Le code %(code)s est déjà porté par %(other)s sur une période "
                            "qui chevauche celle-ci."
                        )
                        % {"code": self.iso_code, "other": clash}
                    }
                )


class TerritorySuccession(models.Model):
    class Kind(models.TextChoices):
        RENAMED = "RENAMED", _("renommé")
        MERGED = "MERGED", _("fusionné")
        SPLIT = "SPLIT", _("scindé")
        REFORMED = "REFORMED", _("réforme institutionnelle")

    predecessor = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="successions_in"
    )
    effective_date = models.DateField(_("date d'effet"))
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    is_legal_successor = models.BooleanField(_("successeur légal"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["effective_date"]
        verbose_name = _("succession territoriale")
        verbose_name_plural = _("successions territoriales")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%Y})"
