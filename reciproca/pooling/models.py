"""The pooling index: other actors' activities (IATI files, other French authorities' project
lists, published projects of other authorities hosted here), where they take place, the files
they came from, what was quarantined, and what the partners agreed with the actors they found.

The index is compact on purpose: one row per activity with its codes as JSON, one row per
place (country, region, subdivision, point), one row per (activity, source file). It is
written in bulk by `ingest.py` (COPY on PostgreSQL), never row by row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    IATI = "IATI", _("fichier IATI")
    CSV = "CSV", _("liste de projets de collectivités")
    INSTANCE = "INSTANCE", _("projet publié sur cette plateforme")


class ActorKind(models.IntegerChoices):
    """The finder's first ranking key: French local authorities first (PRJ-12)."""

    FRENCH_AUTHORITY = 0, _("collectivité territoriale française")
    FRENCH_ACTOR = 1, _("acteur public ou associatif français")
    OTHER = 2, _("autre acteur")


class SourceFile(models.Model):
    """One file read into the index (a member of an archive is a file of its own)."""

    key = models.CharField(_("fichier"), max_length=500, unique=True)
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    version = models.CharField(_("version IATI"), max_length=10, blank=True)
    activity_count = models.PositiveIntegerField(_("activités indexées"), default=0)
    quarantined_count = models.PositiveIntegerField(_("activités en quarantaine"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    imported_at = models.DateTimeField(_("importé le"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("fichier importé")
        verbose_name_plural = _("fichiers importés")

    def __str__(self) -> str:
        return self.key


class Activity(models.Model):
    """An activity of another actor, as the finder needs it."""

    identifier = models.CharField(_("identifiant"), max_length=255, unique=True)
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices)
    title = models.TextField(_("titre"), blank=True)
    publisher = models.CharField(_("éditeur"), max_length=255, blank=True)
    reporting_org_ref = models.CharField(
        _("organisation déclarante (réf.)"), max_length=255, blank=True
    )
    reporting_org_name = models.TextField(_("organisation déclarante"), blank=True)
    reporting_org_type = models.CharField(_("type d'organisation"), max_length=10, blank=True)
    actor_kind = models.PositiveSmallIntegerField(
        _("nature de l'acteur"), choices=ActorKind.choices, default=ActorKind.OTHER
    )
    # [{"ref", "name", "role", "type"}]; role is the IATI 2.03 OrganisationRole code (1–4).
    participating_orgs = models.JSONField(_("organisations participantes"), default=list)
    countries = models.CharField(_("pays bénéficiaires"), max_length=255, blank=True)
    regions = models.CharField(_("régions bénéficiaires"), max_length=255, blank=True)
    # [{"code", "vocabulary"}]: vocabulary 1 = DAC 5 digits, 2 = DAC 3 digits, 7/8 = SDG.
    sectors = models.JSONField(_("secteurs"), default=list)
    sdg_goals = models.CharField(_("objectifs ODD"), max_length=100, blank=True)
    sdg_targets = models.CharField(_("cibles ODD"), max_length=500, blank=True)
    themes = models.TextField(_("thèmes"), blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, blank=True)
    # {"budget": {"EUR": "1000.00"}, "commitment": {...}, "disbursement": {...}}
    amounts = models.JSONField(_("montants"), default=dict)
    amount = models.DecimalField(_("montant"), max_digits=20, decimal_places=2, null=True)
    currency = models.CharField(_("devise"), max_length=3, blank=True)
    contact = models.TextField(_("contact"), blank=True)
    partner_authority = models.TextField(_("collectivité partenaire"), blank=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("activité d'un autre acteur")
        verbose_name_plural = _("activités d'autres acteurs")

    def __str__(self) -> str:
        return f"{self.identifier} — {self.title[:80]}"

    @property
    def goal_set(self) -> set[str]:
        return {g for g in self.sdg_goals.split(",") if g}

    @property
    def target_set(self) -> set[str]:
        return {t for t in self.sdg_targets.split(",") if t}


class ActivitySource(models.Model):
    """An activity was read from this file (the same identifier may come from several)."""

    # no index of their own: the unique (source_file, activity) and the index on activity
    # serve both (one index fewer to maintain per row the import writes)
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sources", db_index=False
    )
    source_file = models.ForeignKey(
        SourceFile, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_file", "activity"], name="pooling_source_unique"
            )
        ]
        indexes = [models.Index(fields=["activity"])]

    def __str__(self) -> str:
        return f"{self.activity_id} ← {self.source_file_id}"


class PlaceKind(models.TextChoices):
    COUNTRY = "C", _("pays")
    REGION = "R", _("région du monde")
    SUBDIVISION = "S", _("subdivision")
    POINT = "P", _("point")


class PlaceHow(models.TextChoices):
    ADMIN_CODE = "A", _("code administratif")
    POINT = "P", _("point dans les limites")
    DECLARED = "D", _("déclaré")


class ActivityPlace(models.Model):
    """Where an activity takes place: a country, a subdivision (resolved to the territory that
    held the code at the activity's date), or a point."""

    # indexed by pooling_place_activity and pooling_place_territory below, not twice
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="places", db_index=False
    )
    kind = models.CharField(max_length=1, choices=PlaceKind.choices)
    how = models.CharField(max_length=1, choices=PlaceHow.choices, default=PlaceHow.DECLARED)
    code = models.CharField(max_length=20, blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["territory", "activity"], name="pooling_place_territory"),
            models.Index(fields=["kind", "code"], name="pooling_place_code"),
            models.Index(fields=["latitude", "longitude"], name="pooling_place_point"),
            models.Index(fields=["activity"], name="pooling_place_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} @ {self.kind}:{self.code}"


class Quarantine(models.Model):
    """An activity (or a whole file) that could not be indexed, with the reason."""

    source_file = models.ForeignKey(
        SourceFile, on_delete=models.CASCADE, related_name="quarantined"
    )
    identifier = models.CharField(_("identifiant"), max_length=255, blank=True)
    position = models.PositiveIntegerField(_("rang dans le fichier"), default=0)
    line = models.PositiveIntegerField(_("ligne"), null=True, blank=True)
    reason = models.TextField(_("motif"))

    class Meta:
        ordering = ["source_file", "position"]
        verbose_name = _("activité en quarantaine")
        verbose_name_plural = _("activités en quarantaine")

    def __str__(self) -> str:
        return f"{self.source_file} #{self.position}: {self.reason}"


class ImportRun(models.Model):
    """An import started from the web, run by the task worker; its progress for the page."""

    class State(models.TextChoices):
        QUEUED = "QUEUED", _("en attente")
        RUNNING = "RUNNING", _("en cours")
        DONE = "DONE", _("terminé")
        FAILED = "FAILED", _("échoué")

    path = models.CharField(_("fichier déposé"), max_length=500)
    name = models.CharField(_("nom"), max_length=255)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.QUEUED)
    files_done = models.PositiveIntegerField(_("fichiers lus"), default=0)
    activities = models.PositiveIntegerField(_("activités indexées"), default=0)
    quarantined = models.PositiveIntegerField(_("activités en quarantaine"), default=0)
    bytes_done = models.PositiveBigIntegerField(default=0)
    bytes_total = models.PositiveBigIntegerField(default=0)
    error = models.TextField(_("erreur"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_done / self.bytes_total))


class Consultation(models.Model):
    """The finder was consulted for a project (the charter may require it before the decision)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="pooling_consultations"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    found = models.PositiveIntegerField(_("activités trouvées"), default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} @ {self.at:%Y-%m-%d}"


class Coordination(models.Model):
    """What the partners agreed with the actor of a found activity (PRJ-12, PRJ-13)."""

    class Outcome(models.TextChoices):
        CONTACTED = "CONTACTED", _("contact pris")
        JOINT_ACTION = "JOINT_ACTION", _("action commune")
        CO_FUNDING = "CO_FUNDING", _("cofinancement")
        NO_OVERLAP = "NO_OVERLAP", _("pas de recouvrement")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="pooling_coordinations"
    )
    activity = models.ForeignKey(
        Activity, null=True, on_delete=models.SET_NULL, related_name="coordinations"
    )
    # Kept when the activity leaves the index (a file re-imported without it).
    activity_identifier = models.CharField(_("activité"), max_length=255)
    activity_title = models.TextField(_("intitulé de l'activité"), blank=True)
    outcome = models.CharField(_("décision"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("décision de coordination")
        verbose_name_plural = _("décisions de coordination")
        constraints = [
            models.CheckConstraint(
                condition=~Q(activity_identifier=""), name="pooling_coordination_has_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} × {self.activity_identifier}: {self.outcome}"
