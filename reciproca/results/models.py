"""Results of a project (PRJ-1, PRJ-5, PRJ-8, OBJ-2, PRI-4, PRJ-10).

- the results framework: objectives → outcomes → outputs → activities, with indicators
  (quantitative or qualitative, unit, baseline and its date, targets per period, per-period or
  cumulative values, SDG targets, disaggregation dimensions), signed off by every partner;
- the concerted evaluation plan: questions per OECD DAC criterion, timing, joint team,
  participants, cost; signed off by every partner;
- partner reporting: one report per period (draft → submitted → returned → approved), values
  with a cross-tab breakdown kept as revisions, evidence files, comments, notifications;
- evaluations: ratings per DAC criterion, findings, recommendations, management responses,
  lessons learned;
- participation by sex and age group on activities, who leads each activity, the partner's
  development plan the project aligns with.

Every write goes through `reciproca.results.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reciproca.core.models import TimeStampedModel
from reciproca.core.versioning import Revisioned
from reciproca.results.evidence import private_storage


class Level(models.TextChoices):
    OBJECTIVE = "OBJECTIVE", _("objectif")
    OUTCOME = "OUTCOME", _("effet")
    OUTPUT = "OUTPUT", _("produit")
    ACTIVITY = "ACTIVITY", _("activité")


# The level each level hangs under (an objective has no parent).
PARENT_LEVEL = {
    Level.OUTCOME: Level.OBJECTIVE,
    Level.OUTPUT: Level.OUTCOME,
    Level.ACTIVITY: Level.OUTPUT,
}


class Criterion(models.TextChoices):
    """The OECD DAC evaluation criteria (2019)."""

    RELEVANCE = "RELEVANCE", _("pertinence")
    COHERENCE = "COHERENCE", _("cohérence")
    EFFECTIVENESS = "EFFECTIVENESS", _("efficacité")
    EFFICIENCY = "EFFICIENCY", _("efficience")
    IMPACT = "IMPACT", _("impact")
    SUSTAINABILITY = "SUSTAINABILITY", _("viabilité")


class Timing(models.TextChoices):
    MID_TERM = "MID_TERM", _("à mi-parcours")
    FINAL = "FINAL", _("finale")
    EX_POST = "EX_POST", _("ex post")


class ResultsFramework(Revisioned, TimeStampedModel):
    """A project's results framework; `version` grows each time a change withdraws the
    partners' sign-offs. `plan_version` the same for the evaluation plan."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="results_framework"
    )
    version = models.PositiveIntegerField(_("version du cadre"), default=1)
    plan_version = models.PositiveIntegerField(_("version du dispositif d'évaluation"), default=1)
    # The evaluation plan (PRJ-5).
    plan_timings = models.JSONField(_("moments de l'évaluation"), default=list, blank=True)
    plan_participants = models.TextField(_("participants"), blank=True)
    plan_cost = models.DecimalField(
        _("coût de l'évaluation"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    plan_currency = models.CharField(_("devise"), max_length=3, default="EUR")
    # The partner's development plan the project aligns with (PRJ-10).
    development_plan = models.CharField(
        _("plan de développement du partenaire"), max_length=255, blank=True
    )
    development_plan_reference = models.CharField(
        _("référence du plan"), max_length=255, blank=True
    )
    development_plan_objectives = models.TextField(_("objectifs du plan servis"), blank=True)
    actors_host = models.TextField(_("acteurs du territoire de la collectivité"), blank=True)
    actors_partner = models.TextField(_("acteurs du territoire partenaire"), blank=True)

    bookkeeping_fields = frozenset({"version", "plan_version"})

    class Meta:
        verbose_name = _("cadre de résultats")

    def __str__(self) -> str:
        return f"{self.project} v{self.version}"


class ResultNode(models.Model):
    framework = models.ForeignKey(ResultsFramework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices)
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)
    # Who leads an activity (PRI-4): a partner organisation or the host.
    led_by = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("conduite par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("élément du cadre de résultats")

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Kind(models.TextChoices):
        QUANTITATIVE = "QUANTITATIVE", _("quantitatif")
        QUALITATIVE = "QUALITATIVE", _("qualitatif")

    class Aggregation(models.TextChoices):
        PER_PERIOD = "PER_PERIOD", _("valeur de la période")
        CUMULATIVE = "CUMULATIVE", _("valeur cumulée depuis le début")

    class Family(models.TextChoices):
        GENERAL = "GENERAL", _("général")
        GOVERNANCE = "GOVERNANCE", _("capacité de gouvernance locale")

    node = models.ForeignKey(ResultNode, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("intitulé"), max_length=255)
    kind = models.CharField(_("nature"), max_length=14, choices=Kind.choices)
    unit = models.CharField(_("unité"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("valeur de référence"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("date de la valeur de référence"), null=True, blank=True)
    aggregation = models.CharField(_("valeurs saisies"), max_length=12, choices=Aggregation.choices)
    family = models.CharField(
        _("famille"), max_length=12, choices=Family.choices, default=Family.GENERAL
    )
    sdg_targets = models.ManyToManyField(
        "reference.SdgTarget", verbose_name=_("cibles ODD"), blank=True, related_name="+"
    )
    # {"sex": ["F", "M"], "age_group": ["0-14", ...]}: the cross-tab of every value.
    dimensions = models.JSONField(_("ventilation"), default=dict, blank=True)
    # A qualitative indicator's scale, in order ("non atteint", "en partie", "atteint"): each
    # period's value is one of its levels (a drop-down list in the offline template).
    scale = models.JSONField(_("échelle"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indicateur")

    def __str__(self) -> str:
        return self.title


class Period(models.Model):
    framework = models.ForeignKey(
        ResultsFramework, on_delete=models.CASCADE, related_name="periods"
    )
    label = models.CharField(_("période"), max_length=60)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="results_period_order"
            )
        ]
        verbose_name = _("période de suivi")

    def __str__(self) -> str:
        return self.label


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("cible"), max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="results_one_target")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.period_id}: {self.value}"


class ResultsSignOff(models.Model):
    """A co-owner's validation of one version of the framework or of the evaluation plan."""

    class Subject(models.TextChoices):
        FRAMEWORK = "FRAMEWORK", _("cadre de résultats")
        PLAN = "PLAN", _("dispositif d'évaluation")

    framework = models.ForeignKey(
        ResultsFramework, on_delete=models.CASCADE, related_name="signoffs"
    )
    subject = models.CharField(max_length=10, choices=Subject.choices)
    version = models.PositiveIntegerField(_("version validée"))
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation_id} v{self.version}"


class EvaluationQuestion(models.Model):
    framework = models.ForeignKey(
        ResultsFramework, on_delete=models.CASCADE, related_name="questions"
    )
    criterion = models.CharField(_("critère"), max_length=16, choices=Criterion.choices)
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class TeamMember(models.Model):
    framework = models.ForeignKey(ResultsFramework, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("nom"), max_length=120)
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("rôle"), max_length=120, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Report(TimeStampedModel):
    """The partners' report for one period: its state and who moved it."""

    class State(models.TextChoices):
        DRAFT = "DRAFT", _("brouillon")
        SUBMITTED = "SUBMITTED", _("soumis")
        RETURNED = "RETURNED", _("renvoyé")
        APPROVED = "APPROVED", _("approuvé")

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="report")
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)
    returned_reason = models.TextField(_("motif du renvoi"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.period_id}: {self.state}"


class Value(models.Model):
    """One revision of an indicator's value for a period; the current one has `is_current`.

    `breakdown` is the cross-tab: {"F|15-24": 12, …}, keys joining the dimension values in
    the indicator's dimension order; the parts add up to `value`."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="values")
    revision = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("commentaire qualitatif"), blank=True)
    # The level of a qualitative indicator's scale, when it has one.
    level = models.CharField(_("niveau atteint"), max_length=120, blank=True)
    breakdown = models.JSONField(_("ventilation"), default=dict, blank=True)
    reason = models.TextField(_("motif de la correction"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "revision"], name="results_value_revision"
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(is_current=True),
                name="results_one_current_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.period_id} r{self.revision}"


class Evidence(models.Model):
    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", storage=private_storage)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comments")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Notification(models.Model):
    """An in-app notification: a code and its parameters, worded in the reader's language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="results_notifications"
    )
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.code


class Participation(models.Model):
    """Participants of an activity or exchange on a date, by sex and age group (OBJ-2)."""

    activity = models.ForeignKey(
        ResultNode, on_delete=models.CASCADE, related_name="participations"
    )
    held_on = models.DateField(_("date"))
    label = models.CharField(_("rencontre"), max_length=255)
    breakdown = models.JSONField(_("participants"), default=dict)
    total = models.PositiveIntegerField(_("participants"))
    women = models.PositiveIntegerField(default=0)
    young = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return self.label


class Evaluation(TimeStampedModel):
    framework = models.ForeignKey(
        ResultsFramework, on_delete=models.CASCADE, related_name="evaluations"
    )
    timing = models.CharField(_("moment"), max_length=10, choices=Timing.choices)
    title = models.CharField(_("intitulé"), max_length=255)
    findings = models.TextField(_("constats"), blank=True)
    recommendations = models.TextField(_("recommandations"), blank=True)
    lessons = models.TextField(_("enseignements"), blank=True)
    completed_on = models.DateField(_("achevée le"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.CharField(_("critère"), max_length=16, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    evidence = models.TextField(_("éléments probants"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="results_one_rating")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ManagementResponse(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("réponse de la direction"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "organisation"], name="results_one_response"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}"
