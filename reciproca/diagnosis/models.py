"""The shared diagnosis of a project (PRJ-2 to PRJ-7, PRJ-13, PRJ-14): needs identified by both
sides, the impact matrix with responses to negative impacts, alternatives, the
sustainable-development assessment, the partners' sign-offs and one snapshot per version.

Every write goes through `reciproca.diagnosis.services`; a change after a sign-off withdraws the
sign-offs and starts a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reciproca.core.models import TimeStampedModel
from reciproca.core.versioning import Revisioned


class Side(models.TextChoices):
    """Which territory a need or an impact concerns: the partner's, or the host organisation's own
    (reciprocity: the cooperation also has effects at home)."""

    PARTNER = "PARTNER", _("territoire partenaire")
    HOST = "HOST", _("territoire de la collectivité hôte")


class Dimension(models.TextChoices):
    SOCIAL = "SOCIAL", _("social")
    ECONOMIC = "ECONOMIC", _("économique")
    ENVIRONMENTAL = "ENVIRONMENTAL", _("environnemental")
    CULTURAL = "CULTURAL", _("culturel")


class Directness(models.TextChoices):
    DIRECT = "DIRECT", _("direct")
    INDIRECT = "INDIRECT", _("indirect")


class Horizon(models.TextChoices):
    SHORT = "SHORT", _("court terme")
    MEDIUM = "MEDIUM", _("moyen terme")
    LONG = "LONG", _("long terme")


class Direction(models.TextChoices):
    POSITIVE = "POSITIVE", _("positif")
    NONE = "NONE", _("sans effet")
    NEGATIVE = "NEGATIVE", _("négatif")
    UNKNOWN = "UNKNOWN", _("inconnu")


class Level(models.IntegerChoices):
    """Magnitude and likelihood of an impact, on the same three steps."""

    LOW = 1, _("faible")
    MEDIUM = 2, _("moyenne")
    HIGH = 3, _("forte")


class ResponseKind(models.TextChoices):
    LIMIT = "LIMIT", _("limiter")
    ANTICIPATE = "ANTICIPATE", _("anticiper")
    MANAGE = "MANAGE", _("gérer")
    AVOID = "AVOID", _("éviter")


class Score(models.IntegerChoices):
    """How far an option serves a criterion of the sustainable-development grid."""

    AGAINST = 0, _("0 — va à l'encontre du critère")
    NEUTRAL = 1, _("1 — sans effet sur le critère")
    WEAK = 2, _("2 — contribution faible")
    CLEAR = 3, _("3 — contribution nette")
    STRONG = 4, _("4 — contribution forte et durable")


class Diagnosis(Revisioned, TimeStampedModel):
    """One per project. `version` starts at 1 and goes up each time the content changes after
    a sign-off (or the diagnosis is reopened by an "adjust" decision)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("projet"),
        on_delete=models.CASCADE,
        related_name="diagnosis",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    reversibility_statement = models.TextField(
        _("réversibilité et sortie"),
        blank=True,
        help_text=_(
            "Comment revenir sur le choix ou sortir du projet, à quel coût, et ce qui reste "
            "aux partenaires."
        ),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copié du diagnostic de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    # The current version's snapshot is behind the content: a write only sets this flag; the
    # snapshot is built when it is read (history, comparison, API) or signed
    # (`versions.build_pending_snapshots`), so a write costs what it changes.
    snapshot_pending = models.BooleanField(default=False, editable=False)

    bookkeeping_fields = frozenset({"version"})

    class Meta:
        verbose_name = _("diagnostic partagé")
        verbose_name_plural = _("diagnostics partagés")

    def __str__(self) -> str:
        return f"{self.project.reference} v{self.version}"


class Need(Revisioned, TimeStampedModel):
    """A need identified in the diagnosis (PRI-2), with the organisation that brought it."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="needs")
    side = models.CharField(_("territoire concerné"), max_length=10, choices=Side.choices)
    title = models.CharField(_("besoin"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    population_concerned = models.CharField(_("population concernée"), max_length=255)
    evidence = models.TextField(_("éléments qui l'établissent"))
    author_organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("organisation autrice"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["side", "created_at", "id"]
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")

    def __str__(self) -> str:
        return self.title


class Alternative(Revisioned, TimeStampedModel):
    """A solution other than the proposal (PRJ-7), assessed on the same matrix and grid."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="alternatives")
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    is_do_nothing = models.BooleanField(_("« ne rien faire »"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("solution alternative")
        verbose_name_plural = _("solutions alternatives")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnosis"],
                condition=Q(is_do_nothing=True),
                name="one_do_nothing_alternative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ImpactCell(Revisioned, models.Model):
    """One cell of the impact matrix (PRJ-3): an option's expected effect on one territory, in
    one dimension, direct or indirect, at one horizon. `alternative` empty: the proposal."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="cells")
    alternative = models.ForeignKey(
        Alternative, null=True, blank=True, on_delete=models.CASCADE, related_name="cells"
    )
    side = models.CharField(_("territoire"), max_length=10, choices=Side.choices)
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    directness = models.CharField(
        _("direct ou indirect"), max_length=10, choices=Directness.choices
    )
    horizon = models.CharField(_("horizon"), max_length=10, choices=Horizon.choices)
    direction = models.CharField(_("sens de l'effet"), max_length=10, choices=Direction.choices)
    magnitude = models.PositiveSmallIntegerField(
        _("ampleur"), null=True, blank=True, choices=Level.choices
    )
    likelihood = models.PositiveSmallIntegerField(
        _("probabilité"), null=True, blank=True, choices=Level.choices
    )
    justification = models.TextField(_("justification"), blank=True)
    author_organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("organisation autrice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("case de la matrice des impacts")
        verbose_name_plural = _("cases de la matrice des impacts")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnosis", "side", "dimension", "directness", "horizon"],
                condition=Q(alternative__isnull=True),
                name="one_proposal_cell_per_coordinates",
            ),
            models.UniqueConstraint(
                fields=["alternative", "side", "dimension", "directness", "horizon"],
                condition=Q(alternative__isnull=False),
                name="one_alternative_cell_per_coordinates",
            ),
            models.CheckConstraint(
                condition=Q(magnitude__isnull=True) | Q(magnitude__gte=1, magnitude__lte=3),
                name="cell_magnitude_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(likelihood__isnull=True) | Q(likelihood__gte=1, likelihood__lte=3),
                name="cell_likelihood_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_side_display()} · {self.get_dimension_display()} · "
            f"{self.get_directness_display()} · {self.get_horizon_display()}"
        )

    @property
    def coordinates(self) -> tuple[str, str, str, str]:
        return (self.side, self.dimension, self.directness, self.horizon)


class ImpactResponse(Revisioned, TimeStampedModel):
    """What the partners will do about a negative impact (PRJ-6), who answers for it, by when."""

    cell = models.ForeignKey(ImpactCell, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(_("réponse"), max_length=12, choices=ResponseKind.choices)
    description = models.TextField(_("mesure prévue"))
    owner_organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("organisation responsable"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(
        _("responsable (personne ou service)"), max_length=255, blank=True
    )
    due_date = models.DateField(_("échéance"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("réponse à un impact négatif")
        verbose_name_plural = _("réponses aux impacts négatifs")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_organisation__isnull=False) | ~Q(owner_name=""),
                name="response_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.description[:60]}"

    @property
    def owner_label(self) -> str:
        parts = [str(self.owner_organisation)] if self.owner_organisation_id else []
        if self.owner_name:
            parts.append(self.owner_name)
        return " — ".join(parts)


class Assessment(models.Model):
    """One assessor's score of one option on one criterion of the sustainable-development grid
    (PRJ-14). Several assessors may score the same criterion; each keeps their own score."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="assessments")
    alternative = models.ForeignKey(
        Alternative, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion_code = models.CharField(_("critère"), max_length=60)
    score = models.PositiveSmallIntegerField(
        _("note"),
        choices=Score.choices,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
    )
    justification = models.TextField(_("justification"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("évaluateur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("évalué le"), auto_now=True)

    class Meta:
        ordering = ["criterion_code", "assessed_at", "id"]
        verbose_name = _("note de développement durable")
        verbose_name_plural = _("notes de développement durable")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnosis", "criterion_code", "assessor"],
                condition=Q(alternative__isnull=True),
                name="one_proposal_score_per_assessor",
            ),
            models.UniqueConstraint(
                fields=["alternative", "criterion_code", "assessor"],
                condition=Q(alternative__isnull=False),
                name="one_alternative_score_per_assessor",
            ),
            models.CheckConstraint(condition=Q(score__lte=4), name="assessment_score_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_code}: {self.score}"


class DiagnosisSignOff(models.Model):
    """A co-owner organisation's validation of one version of the diagnosis (PRJ-2), given by
    one of its users. Withdrawn (never deleted) when the diagnosis changes afterwards."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="signoffs")
    version = models.PositiveIntegerField(_("version validée"))
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("validé le"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    # The text, in French, for the audit log and exports; pages and the API word
    # `withdrawn_cause` (a code and its parameters, see `causes`) in the reader's language.
    withdrawn_reason = models.TextField(_("motif du retrait"), blank=True)
    withdrawn_cause = models.JSONField(_("cause du retrait"), default=dict, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retrait causé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("validation du diagnostic")
        verbose_name_plural = _("validations du diagnostic")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnosis", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_diagnosis_signoff_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version}"


class DiagnosisVersion(models.Model):
    """The content of one version of the diagnosis, as JSON. While the version is current the
    snapshot is built on demand (`Diagnosis.snapshot_pending`): when it is signed, read, or
    closed by the next version, so a closed version holds exactly what was signed."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    started_at = models.DateTimeField(_("ouverte le"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As on the sign-offs: `reason` in French, `cause` worded in the reader's language.
    reason = models.TextField(_("motif"), blank=True)
    cause = models.JSONField(_("cause"), default=dict, blank=True)
    snapshot = models.JSONField(_("contenu"), default=dict)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version du diagnostic")
        verbose_name_plural = _("versions du diagnostic")
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "number"], name="diagnosis_version_once"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"
