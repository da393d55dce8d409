"""Projects, their partner organisations, the stage they are at, decisions and sign-offs.

Stages move only through `reciproca.projects.workflow`; nothing else writes `stage`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from reciproca.core.models import TimeStampedModel
from reciproca.core.versioning import Revisioned


class Stage(models.TextChoices):
    IDEA = "IDEA", _("idée")
    DIAGNOSIS = "DIAGNOSIS", _("diagnostic partagé")
    DECISION = "DECISION", _("décision")
    ELABORATION = "ELABORATION", _("élaboration")
    IMPLEMENTATION = "IMPLEMENTATION", _("mise en œuvre")
    EVALUATION = "EVALUATION", _("évaluation")
    CLOSED = "CLOSED", _("clos")


class Project(Revisioned, TimeStampedModel):
    reference = models.CharField(_("référence"), max_length=40, unique=True)
    title = models.CharField(_("titre"), max_length=255)
    summary = models.TextField(_("résumé"), blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partenariat"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    programme = models.ForeignKey(
        "partnerships.Programme",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    is_suspended = models.BooleanField(_("suspendu"), default=False)
    objectives = models.TextField(_("objectifs"), blank=True)
    start_date = models.DateField(_("début prévu"), null=True, blank=True)
    end_date = models.DateField(_("fin prévue"), null=True, blank=True)
    themes = models.ManyToManyField(
        "charter.Theme", verbose_name=_("thèmes prioritaires"), blank=True, related_name="projects"
    )
    sdg_targets = models.ManyToManyField(
        "reference.SdgTarget", verbose_name=_("cibles ODD"), blank=True, related_name="projects"
    )
    purpose_codes = models.ManyToManyField(
        "reference.PurposeCode", verbose_name=_("codes-objet CAD"), blank=True, related_name="+"
    )
    locations = models.ManyToManyField(
        "territories.Territory", verbose_name=_("lieux"), blank=True, related_name="projects"
    )
    services = models.ManyToManyField(
        "partnerships.Service",
        verbose_name=_("services de la collectivité impliqués"),
        blank=True,
        related_name="projects",
    )
    elected_officials = models.ManyToManyField(
        "partnerships.ElectedOfficial",
        verbose_name=_("élus impliqués"),
        blank=True,
        related_name="projects",
    )
    redesigned_from = models.ForeignKey(
        "self",
        verbose_name=_("issu de la refonte de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="redesigns",
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # history is registered in translation.py, after modeltranslation adds its columns.

    if TYPE_CHECKING:
        # Columns modeltranslation adds (translation.py): one per interface language.
        title_fr: str | None
        title_en: str | None
        title_ar: str | None
        title_hy: str | None
        summary_fr: str | None
        summary_en: str | None
        summary_ar: str | None
        summary_hy: str | None

    objects: MultilingualManager[Project] = MultilingualManager()

    bookkeeping_fields = frozenset({"stage", "is_suspended"})

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        # The lists' sort keys (projects.queries.SORTS, the API's cursor), each ending on the
        # primary key so that a page never depends on the order of ties.
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="project_recent"),
            models.Index(
                fields=["partnership", "-updated_at", "-id"], name="project_partnership_recent"
            ),
            models.Index(fields=["title", "id"], name="project_title"),
            models.Index(fields=["end_date", "id"], name="project_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


class ProjectPartner(models.Model):
    """An organisation taking part in a project. Partner authorities and the host are
    *co-owners*: their sign-off is required wherever the charter asks every partner."""

    class Role(models.TextChoices):
        LEAD = "LEAD", _("chef de file")
        CO_OWNER = "CO_OWNER", _("partenaire co-maître d'ouvrage")
        IMPLEMENTING = "IMPLEMENTING", _("opérateur")
        FUNDER = "FUNDER", _("financeur")
        CONTRIBUTOR = "CONTRIBUTOR", _("contributeur")

    SIGNING_ROLES = (Role.LEAD, Role.CO_OWNER)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="project_roles"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("organisation du projet")
        verbose_name_plural = _("organisations du projet")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="project_partner_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def signs_off(self) -> bool:
        return self.role in self.SIGNING_ROLES


class ProjectMarker(models.Model):
    """An OECD DAC policy marker with its significance; markers score stated objectives."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="markers")
    marker = models.ForeignKey("reference.PolicyMarker", on_delete=models.PROTECT, related_name="+")
    significance = models.ForeignKey(
        "reference.PolicySignificance", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("marqueur CAD du projet")
        verbose_name_plural = _("marqueurs CAD du projet")
        constraints = [
            models.UniqueConstraint(fields=["project", "marker"], name="project_marker_once"),
        ]

    def __str__(self) -> str:
        return f"{self.marker_id}: {self.significance_id}"


class Decision(models.Model):
    """The decision the diagnosis leads to (PRJ-4)."""

    class Outcome(models.TextChoices):
        IMPLEMENT = "IMPLEMENT", _("mettre en œuvre")
        ADJUST = "ADJUST", _("ajuster")
        REJECT = "REJECT", _("rejeter")
        REDESIGN = "REDESIGN", _("concevoir un autre projet")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("décision"), max_length=20, choices=Outcome.choices)
    rationale = models.TextField(_("motivation"))
    deliberation_reference = models.CharField(_("délibération"), max_length=120, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_project = models.OneToOneField(
        Project,
        verbose_name=_("nouveau projet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="originating_decision",
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.project.reference}: {self.get_outcome_display()}"


class SignOff(models.Model):
    """A partner organisation's sign-off of a project's stage (PRJ-8), given by one of its users.

    A sign-off is withdrawn (not deleted) when the work it approved changes.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="signoffs")
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signé le"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("motif du retrait"), blank=True)

    class Meta:
        ordering = ["signed_at"]
        verbose_name = _("validation partenaire")
        verbose_name_plural = _("validations partenaires")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_signoff_per_stage_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.stage} · {self.organisation_id}"
