"""Reference codelists loaded from official sources (IATI 2.03 codelists, UN SDGs), never typed
by hand: `reciproca load_reference` fills these tables (see `reciproca.reference.loaders`)."""

# modeltranslation swaps each registered model's manager for a class built at run time,
# which django-stubs cannot find; the managers behave as plain Managers.
# mypy: disable-error-code="django-manager-missing"

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeModel(models.Model):
    """One item of an official codelist.

    `code`, `is_active`, `position` and the French and English texts come from the source file;
    the loader restores them on every run. Arabic and Armenian texts, which no source provides,
    are left to administrators.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("libellé"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("en vigueur"),
        default=True,
        help_text=_("Faux pour un code retiré de la liste officielle."),
    )
    # The rank in the official file: SDG targets sort as 1.1, 1.2 … 1.a, 2.1, which no
    # ordering on the code string gives.
    position = models.PositiveIntegerField(_("rang"), default=0, editable=False)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class SdgGoal(CodeModel):
    class Meta(CodeModel.Meta):
        verbose_name = _("objectif de développement durable")
        verbose_name_plural = _("objectifs de développement durable")


class SdgTarget(CodeModel):
    goal = models.ForeignKey(
        SdgGoal, verbose_name=_("objectif"), on_delete=models.PROTECT, related_name="targets"
    )
    name = models.TextField(_("libellé"))

    class Meta(CodeModel.Meta):
        verbose_name = _("cible ODD")
        verbose_name_plural = _("cibles ODD")


class PurposeCategory(CodeModel):
    """OECD DAC 3-digit sector (IATI `SectorCategory`), the group of a purpose code."""

    class Meta(CodeModel.Meta):
        verbose_name = _("catégorie CAD")
        verbose_name_plural = _("catégories CAD")


class PurposeCode(CodeModel):
    """OECD DAC 5-digit purpose code (IATI `Sector`, vocabulary 1)."""

    category = models.ForeignKey(
        PurposeCategory,
        verbose_name=_("catégorie CAD (3 chiffres)"),
        on_delete=models.PROTECT,
        related_name="purpose_codes",
    )

    class Meta(CodeModel.Meta):
        verbose_name = _("code-objet CAD")
        verbose_name_plural = _("codes-objet CAD")


class PolicyMarker(CodeModel):
    class Meta(CodeModel.Meta):
        verbose_name = _("marqueur CAD")
        verbose_name_plural = _("marqueurs CAD")


class PolicySignificance(CodeModel):
    class Meta(CodeModel.Meta):
        verbose_name = _("niveau de marqueur")
        verbose_name_plural = _("niveaux de marqueur")


class OrganisationType(CodeModel):
    class Meta(CodeModel.Meta):
        verbose_name = _("type d'organisation (IATI)")
        verbose_name_plural = _("types d'organisation (IATI)")


class Currency(CodeModel):
    class Meta(CodeModel.Meta):
        verbose_name = _("devise")
        verbose_name_plural = _("devises")


class OrganisationRole(CodeModel):
    """IATI OrganisationRole: funding, accountable, extending, implementing."""

    class Meta(CodeModel.Meta):
        verbose_name = _("rôle d'organisation (IATI)")
        verbose_name_plural = _("rôles d'organisation (IATI)")
