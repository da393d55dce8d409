"""Money of the cooperation: exchange rates, budgets, transactions and their documents, funding
plans and their sources, in-kind contributions (skills sponsorship, the department's staff
time), the partners' own revenue and funding searches, the reciprocity ledger, and what the
yearly ODA declaration (e-APD) needs beyond the project.

Every amount is stored with its currency (and a value date where it has one); totals convert
at a stated date through `reciproca.finance.money`. Nothing here sums two currencies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reciproca.core.models import TimeStampedModel
from reciproca.core.uploads import PrivateStorage as CorePrivateStorage
from reciproca.core.uploads import private_root
from reciproca.core.versioning import Revisioned
from reciproca.finance.money import CURRENCIES

CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]


def _currency_field(default: str = "EUR") -> models.CharField:
    return models.CharField(_("devise"), max_length=3, choices=CURRENCY_CHOICES, default=default)


def _amount_field(label: str | None = None) -> models.DecimalField:
    return models.DecimalField(label or _("montant"), max_digits=16, decimal_places=2)


class PrivateStorage(CorePrivateStorage):
    """The private store of `core/uploads.py`, its `finance/` folder: served only by a view
    that checks the policy, no public URL."""

    @property
    def base_location(self) -> str:
        return str(private_root() / "finance")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


class ExchangeRate(models.Model):
    """Units of `currency` for one euro, valid from `date` (until the next rate of the currency,
    within the charter's maximum age); a fixed parity (XOF) has no age."""

    currency = _currency_field()
    date = models.DateField(_("date"))
    rate = models.DecimalField(_("taux (unités pour 1 EUR)"), max_digits=18, decimal_places=6)
    is_fixed = models.BooleanField(_("parité fixe"), default=False)
    source = models.CharField(_("source"), max_length=255)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        ordering = ["currency", "-date"]
        verbose_name = _("taux de change")
        verbose_name_plural = _("taux de change")
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="rate_once_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
            models.CheckConstraint(condition=~Q(currency="EUR"), name="rate_not_for_euro"),
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.rate} {self.currency} ({self.date:%Y-%m-%d})"


class BudgetCategory(models.TextChoices):
    STAFF = "STAFF", _("personnel")
    TRAVEL = "TRAVEL", _("missions et déplacements")
    EQUIPMENT = "EQUIPMENT", _("équipements et travaux")
    SERVICES = "SERVICES", _("prestations de services")
    TRAINING = "TRAINING", _("formation")
    COMMUNICATION = "COMMUNICATION", _("communication et sensibilisation")
    MONITORING_EVALUATION = "MONITORING_EVALUATION", _("suivi et évaluation")
    FOLLOW_UP = "FOLLOW_UP", _("frais de suivi et de gestion")
    OTHER = "OTHER", _("autres")


class BudgetLine(Revisioned, TimeStampedModel):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    category = models.CharField(_("catégorie"), max_length=30, choices=BudgetCategory.choices)
    label = models.CharField(_("intitulé"), max_length=255, blank=True)
    amount = _amount_field()
    currency = _currency_field()

    class Meta:
        ordering = ["year", "category", "id"]
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=1980) & Q(year__lte=2100), name="budget_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.category}: {self.amount} {self.currency}"


class FundingPlan(Revisioned, TimeStampedModel):
    """A project's funding plan: converted into euros at the rates of `rates_date`."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="funding_plan"
    )
    rates_date = models.DateField(_("taux de change du"))
    notes = models.TextField(_("remarques"), blank=True)

    class Meta:
        verbose_name = _("plan de financement")
        verbose_name_plural = _("plans de financement")

    def __str__(self) -> str:
        return f"{self.project_id} @ {self.rates_date}"


class SourceKind(models.TextChoices):
    HOST_OWN = "HOST_OWN", _("fonds propres de la collectivité")
    MINISTRY_CALL = "MINISTRY_CALL", _("appel à projets du ministère (DAECT)")
    AFD_FICOL = "AFD_FICOL", _("AFD — FICOL")
    EU = "EU", _("Union européenne")
    FRENCH_AUTHORITY = "FRENCH_AUTHORITY", _("autre collectivité française")
    PARTNER_AUTHORITY = "PARTNER_AUTHORITY", _("autorité locale partenaire")
    ASSOCIATION = "ASSOCIATION", _("association")
    COMPANY = "COMPANY", _("entreprise")
    PARTNER_OWN_REVENUE = "PARTNER_OWN_REVENUE", _("recettes propres des partenaires")


class Side(models.TextChoices):
    FRENCH = "FRENCH", _("partie française")
    PARTNER = "PARTNER", _("partie partenaire")
    FUNDER = "FUNDER", _("bailleur")


DEFAULT_SIDE = {
    SourceKind.HOST_OWN: Side.FRENCH,
    SourceKind.MINISTRY_CALL: Side.FUNDER,
    SourceKind.AFD_FICOL: Side.FUNDER,
    SourceKind.EU: Side.FUNDER,
    SourceKind.FRENCH_AUTHORITY: Side.FRENCH,
    SourceKind.PARTNER_AUTHORITY: Side.PARTNER,
    SourceKind.ASSOCIATION: Side.FRENCH,
    SourceKind.COMPANY: Side.FRENCH,
    SourceKind.PARTNER_OWN_REVENUE: Side.PARTNER,
}


class SourceStatus(models.TextChoices):
    PLANNED = "PLANNED", _("prévu")
    REQUESTED = "REQUESTED", _("demandé")
    GRANTED = "GRANTED", _("accordé")
    RECEIVED = "RECEIVED", _("reçu")


STATUS_ORDER = [s.value for s in SourceStatus]


class FundingSource(Revisioned, TimeStampedModel):
    """One source of a project's funding plan; `call` names the rule set of the call it answers
    (`daect-general-2024`), whose rules the plan is checked against."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="funding_sources"
    )
    kind = models.CharField(_("origine"), max_length=30, choices=SourceKind.choices)
    side = models.CharField(_("côté"), max_length=10, choices=Side.choices)
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("intitulé"), max_length=255)
    amount = _amount_field()
    currency = _currency_field()
    status = models.CharField(
        _("statut"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.PLANNED
    )
    in_kind = models.BooleanField(_("en nature"), default=False)
    call = models.CharField(_("appel à projets"), max_length=80, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("source de financement")
        verbose_name_plural = _("sources de financement")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="source_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} {self.currency}"


class Transaction(TimeStampedModel):
    class Kind(models.TextChoices):
        COMMITMENT = "COMMITMENT", _("engagement")
        DISBURSEMENT = "DISBURSEMENT", _("décaissement")
        EXPENDITURE = "EXPENDITURE", _("dépense")
        INCOMING = "INCOMING", _("fonds reçus")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="transactions"
    )
    kind = models.CharField(_("nature"), max_length=15, choices=Kind.choices)
    value_date = models.DateField(_("date de valeur"))
    amount = _amount_field()
    currency = _currency_field()
    category = models.CharField(
        _("catégorie"), max_length=30, choices=BudgetCategory.choices, blank=True
    )
    description = models.CharField(_("objet"), max_length=255)
    source = models.ForeignKey(
        FundingSource,
        verbose_name=_("source de financement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transactions",
    )
    # Whether the host authority pays from its own funds (what the e-APD declares).
    host_funds = models.BooleanField(_("sur fonds propres de la collectivité"), default=True)

    class Meta:
        ordering = ["value_date", "id"]
        verbose_name = _("opération")
        verbose_name_plural = _("opérations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transaction_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value_date}: {self.amount} {self.currency}"


class TransactionDocument(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="transactions/%Y/")
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")

    def __str__(self) -> str:
        return self.original_name


class SkillsSponsorship(TimeStampedModel):
    """A company's employee made available free of charge (CGI art. 238 bis), valued at cost
    within the per-employee cap."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="skills_sponsorships"
    )
    company = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    employee = models.CharField(_("salarié"), max_length=255)
    skills = models.CharField(_("compétences"), max_length=255, blank=True)
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    days = models.DecimalField(_("jours"), max_digits=6, decimal_places=1)
    daily_cost = models.DecimalField(
        _("coût journalier (salaire et charges, EUR)"), max_digits=10, decimal_places=2
    )
    receipt_number = models.CharField(_("numéro du reçu fiscal"), max_length=80, blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("mécénat de compétences")
        verbose_name_plural = _("mécénats de compétences")
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="sponsorship_days_positive"),
            models.CheckConstraint(
                condition=Q(daily_cost__gte=0), name="sponsorship_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="sponsorship_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.company_id})"


class StaffTime(TimeStampedModel):
    """Days the department's staff give to a project or a mission (PRE-4), valued."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="staff_time"
    )
    staff_member = models.CharField(_("agent"), max_length=255)
    service = models.ForeignKey(
        "partnerships.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skills = models.CharField(_("compétences mobilisées"), max_length=255)
    mission = models.CharField(_("mission"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("année"))
    days = models.DecimalField(_("jours"), max_digits=6, decimal_places=1)
    daily_rate = models.DecimalField(_("coût journalier (EUR)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["year", "id"]
        verbose_name = _("temps d'agent")
        verbose_name_plural = _("temps des agents")
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="staff_days_positive"),
            models.CheckConstraint(condition=Q(daily_rate__gte=0), name="staff_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} {self.year}: {self.days} j"


class PartnerRevenue(TimeStampedModel):
    """A partner organisation's own revenue (paid services, productions) or external funding it
    found, for a year (PRJ-11)."""

    class Kind(models.TextChoices):
        OWN = "OWN", _("recettes propres")
        EXTERNAL = "EXTERNAL", _("financements extérieurs")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="partner_revenues"
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("organisation partenaire"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("année"))
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("origine"), max_length=255)
    amount = _amount_field()
    currency = _currency_field()

    class Meta:
        ordering = ["year", "kind", "id"]
        verbose_name = _("recette d'un partenaire")
        verbose_name_plural = _("recettes des partenaires")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="revenue_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind}: {self.amount} {self.currency}"


class FundingSearch(TimeStampedModel):
    """A search for funding by or with a partner organisation (PRJ-11)."""

    class Outcome(models.TextChoices):
        PREPARING = "PREPARING", _("en préparation")
        SUBMITTED = "SUBMITTED", _("déposée")
        ACCEPTED = "ACCEPTED", _("acceptée")
        REFUSED = "REFUSED", _("refusée")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="funding_searches"
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("organisation partenaire"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"))
    funder = models.CharField(_("bailleur sollicité"), max_length=255)
    amount = models.DecimalField(
        _("montant sollicité"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = _currency_field()
    outcome = models.CharField(_("issue"), max_length=10, choices=Outcome.choices)
    notes = models.TextField(_("remarques"), blank=True)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("recherche de financement")
        verbose_name_plural = _("recherches de financement")

    def __str__(self) -> str:
        return f"{self.funder} ({self.date})"


class Exchange(TimeStampedModel):
    """One exchange of the reciprocity ledger (PRI-3, FND-1, OBJ-1, OBJ-3)."""

    class Kind(models.TextChoices):
        MISSION = "MISSION", _("mission")
        DELEGATION = "DELEGATION", _("délégation accueillie")
        TRAINING = "TRAINING", _("formation")
        YOUTH = "YOUTH", _("échange de jeunes")
        CULTURE = "CULTURE", _("événement culturel")
        AWARENESS = "AWARENESS", _("action de sensibilisation en Isère")

    class Direction(models.TextChoices):
        TO_PARTNER = "TO_PARTNER", _("vers le partenaire")
        TO_HOST = "TO_HOST", _("vers l'Isère")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="exchanges"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchanges",
    )
    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices)
    direction = models.CharField(_("sens"), max_length=12, choices=Direction.choices)
    title = models.CharField(_("intitulé"), max_length=255)
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    competences = models.TextField(_("compétences partagées"))
    benefits_partner = models.TextField(_("bénéfices pour le partenaire"))
    benefits_host = models.TextField(_("bénéfices pour l'Isère"))
    # Codes of the active charter's objectives the exchange serves (OBJ-1…), checked on write.
    objectives = models.JSONField(_("objectifs de la charte"), default=list)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("échange")
        verbose_name_plural = _("échanges")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="exchange_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Sex(models.TextChoices):
    FEMALE = "F", _("femmes")
    MALE = "M", _("hommes")
    OTHER = "X", _("autre ou non précisé")


class AgeBand(models.TextChoices):
    UNDER_18 = "U18", _("moins de 18 ans")
    YOUNG = "18_29", _("18 à 29 ans")
    ADULT = "30_59", _("30 à 59 ans")
    SENIOR = "60P", _("60 ans et plus")


class ExchangeParticipants(models.Model):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="participants")
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("âge"), max_length=5, choices=AgeBand.choices)
    count = models.PositiveIntegerField(_("nombre"))

    class Meta:
        verbose_name = _("participants d'un échange")
        verbose_name_plural = _("participants des échanges")
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "sex", "age_band"], name="participants_once_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sex}/{self.age_band}: {self.count}"


class DeclarationProfile(TimeStampedModel):
    """What the yearly ODA declaration (e-APD) needs to know of a project beyond its tags."""

    class AidType(models.TextChoices):
        B02 = "B02", _("B02 — contributions multilatérales")
        B03 = "B03", _("B03 — contributions à des programmes")
        C01 = "C01", _("C01 — projet")
        D02 = "D02", _("D02 — assistance technique")
        E01 = "E01", _("E01 — bourses")
        E02 = "E02", _("E02 — frais d'écolage")
        G01 = "G01", _("G01 — frais administratifs")
        H01 = "H01", _("H01 — sensibilisation au développement")
        H02 = "H02", _("H02 — réfugiés en France")

    class ActionType(models.TextChoices):
        COOPERATION = "COOPERATION", _("projet de coopération ou jumelage")
        ONE_PERCENT = "ONE_PERCENT", _("action « 1 % » eau, déchets, énergie")
        NGO_GRANT = "NGO_GRANT", _("subvention à une ONG")
        MULTILATERAL = "MULTILATERAL", _("contribution multilatérale")
        AWARENESS = "AWARENESS", _("sensibilisation en France")
        REFUGEES = "REFUGEES", _("accueil de réfugiés")
        STUDENTS = "STUDENTS", _("bourses et étudiants")

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="declaration_profile"
    )
    channel_code = models.CharField(_("canal (code CRS)"), max_length=5)
    aid_type = models.CharField(_("type d'aide"), max_length=3, choices=AidType.choices)
    action_type = models.CharField(_("type d'action"), max_length=15, choices=ActionType.choices)

    class Meta:
        verbose_name = _("profil de déclaration APD")
        verbose_name_plural = _("profils de déclaration APD")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.channel_code} {self.aid_type}"
