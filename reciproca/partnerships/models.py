"""Organisations, partnerships between the host authority and partner authorities, the
agreements they rest on (CGCT L.1115-1), programmes per territory and period, actors."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reciproca.core.models import TimeStampedModel
from reciproca.core.uploads import DocumentValidator, private_storage
from reciproca.core.versioning import Revisioned


class Organisation(Revisioned, TimeStampedModel):
    class Article(models.TextChoices):
        """The French article in front of the name: "le Département de l'Isère", "la Wilaya
        de Constantine", "l'Union européenne", "les Amis de …", or none ("Hydro-Alpes")."""

        LE = "le", "le"
        LA = "la", "la"
        ELIDED = "l'", "l'"
        LES = "les", "les"
        NONE = "", _("aucun")

    class Kind(models.TextChoices):
        DEPARTMENT = "DEPARTMENT", _("collectivité (hôte)")
        PARTNER_AUTHORITY = "PARTNER_AUTHORITY", _("autorité locale partenaire")
        LOCAL_AUTHORITY = "LOCAL_AUTHORITY", _("collectivité iséroise")
        ASSOCIATION = "ASSOCIATION", _("association")
        SCHOOL = "SCHOOL", _("établissement d'enseignement")
        COMPANY = "COMPANY", _("entreprise")
        MINISTRY = "MINISTRY", _("ministère")
        EU = "EU", _("Union européenne")
        AGENCY = "AGENCY", _("agence de développement")
        OTHER = "OTHER", _("autre")

    name = models.CharField(_("nom"), max_length=255)
    short_name = models.CharField(_("nom court"), max_length=80, blank=True)
    article = models.CharField(
        _("article"),
        max_length=3,
        choices=Article.choices,
        blank=True,
        default="",
        help_text=_(
            "L'article qui précède le nom dans une phrase française : « validé par le "
            "Département de l'Isère », « au nom de la Wilaya de Constantine »."
        ),
    )
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    is_host = models.BooleanField(
        _("collectivité hôte"),
        default=False,
        help_text=_("La collectivité qui conduit sa coopération avec cette instance."),
    )
    iati_type = models.ForeignKey(
        "reference.OrganisationType",
        verbose_name=_("type IATI"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    iati_identifier = models.CharField(_("identifiant IATI"), max_length=100, blank=True)
    country = models.ForeignKey(
        "territories.Country",
        verbose_name=_("pays"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["is_host"], condition=Q(is_host=True), name="one_host_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


# Names whose first word says the article ("Département" → "le"); a guess the forms offer
# and the migration used, that a person corrects on the organisation.
_FEMININE = {
    "agence",
    "association",
    "commune",
    "communauté",
    "direction",
    "fédération",
    "fondation",
    "métropole",
    "mairie",
    "préfecture",
    "province",
    "région",
    "république",
    "société",
    "union",
    "université",
    "ville",
    "wilaya",
    "chambre",
    "coopérative",
    "collectivité",
}
_MASCULINE = {
    "conseil",
    "département",
    "gouvernorat",
    "lycée",
    "marz",
    "ministère",
    "syndicat",
    "comité",
    "centre",
    "collège",
    "groupement",
    "institut",
    "office",
    "réseau",
    "service",
    "établissement",
    "hôpital",
}


def guess_article(name: str) -> str:
    """The article a French sentence most likely puts before `name` ("" when unsure)."""
    words = name.strip().split()
    if not words:
        return ""
    first = words[0].lower()
    if first in {"le", "la", "les", "l'"} or first.startswith("l'"):
        return ""  # the name carries its own article
    vowel = first[:1] in set("aeiouyéèêàâîôûh")
    if first in _FEMININE:
        return "l'" if vowel else "la"
    if first in _MASCULINE:
        return "l'" if vowel else "le"
    if first.endswith("s") and first in {"amis", "compagnons"}:
        return "les"
    return ""


class Partnership(Revisioned, TimeStampedModel):
    """A cooperation between the host authority and one partner authority, since a date."""

    name = models.CharField(_("intitulé"), max_length=255)
    host = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hosted_partnerships"
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("autorité partenaire"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT
    )
    since_date = models.DateField(_("depuis le"))
    until_date = models.DateField(_("jusqu'au"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("partenariat successeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["since_date", "name"]
        verbose_name = _("partenariat")
        verbose_name_plural = _("partenariats")
        constraints = [
            models.CheckConstraint(
                condition=Q(until_date__isnull=True) | Q(until_date__gte=models.F("since_date")),
                name="partnership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.until_date is None


class Agreement(Revisioned, TimeStampedModel):
    """A convention under CGCT L.1115-1: its object and forecast financial commitments."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("intitulé"), max_length=255)
    purpose = models.TextField(_("objet"))
    forecast_amount = models.DecimalField(
        _("engagement financier prévisionnel"), max_digits=14, decimal_places=2
    )
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    signed_date = models.DateField(_("signée le"), null=True, blank=True)
    valid_from = models.DateField(_("en vigueur du"))
    valid_until = models.DateField(_("au"), null=True, blank=True)
    deliberation_reference = models.CharField(_("délibération"), max_length=120, blank=True)
    # A PDF or image, checked by content, stored outside the web root (core/uploads.py) and
    # served by partnerships:agreement-document to who may see the partnership.
    document = models.FileField(
        _("convention signée"),
        upload_to="agreements/",
        storage=private_storage,
        validators=[DocumentValidator()],
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(forecast_amount__gte=0), name="agreement_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Programme(Revisioned, TimeStampedModel):
    """A concerted strategic programme for one partner territory and period (PRJ-9)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="programmes"
    )
    title = models.CharField(_("intitulé"), max_length=255)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="programme_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y}–{self.end_date:%Y})"


class Participation(models.Model):
    """An actor (commune, association, school, company…) taking part in a programme (PRE-3)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="participations"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("rôle"), max_length=255)

    class Meta:
        verbose_name = _("participation d'un acteur")
        verbose_name_plural = _("participations d'acteurs")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "programme"], name="participation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.programme}"


class Service(models.Model):
    """One of the host authority's services (directions), for cross-cutting work (PRJ-13)."""

    name = models.CharField(_("nom"), max_length=255, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service de la collectivité")
        verbose_name_plural = _("services de la collectivité")

    def __str__(self) -> str:
        return self.name


class ElectedOfficial(models.Model):
    full_name = models.CharField(_("nom"), max_length=255)
    mandate = models.CharField(_("délégation"), max_length=255, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("élu")
        verbose_name_plural = _("élus")

    def __str__(self) -> str:
        return self.full_name
