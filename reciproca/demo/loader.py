"""The Isère demo: the charter's partnerships since 1984 with what became of them, realistic
projects at every point of the project culture, and one login per role.

Everything here is labelled as demonstration data (`Project.is_demo`, "[Démo]" in titles is not
needed: the demo banner says it). Writes go through the services, so the timelines and gates are
the real ones: Lake Sevan reaches implementation through every gate. Projects whose earlier
stages predate the platform (the Kédougou health posts, the Souss irrigation, the Azilal water
supply finished in 2012) are placed at their stage with an audit event saying so and why.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from reciproca.accounts.models import Role, RoleGrant, User
from reciproca.charter import engine
from reciproca.core.models import record_event
from reciproca.partnerships import services as partnership_services
from reciproca.partnerships.models import (
    ElectedOfficial,
    Organisation,
    Participation,
    Partnership,
    Service,
)
from reciproca.projects import services as project_services
from reciproca.projects.models import Decision, Project, Stage
from reciproca.reference.models import PurposeCode, SdgTarget
from reciproca.territories.models import Territory
from reciproca.territories.queries import territory_at

DEMO_PASSWORD = "reciproca-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    scope: str


DEMO_LOGINS: list[DemoLogin] = []


def _territory(code: str, on: date) -> Territory:
    territory = territory_at(code, on)
    if territory is None:
        raise LookupError(
            f"territory {code} on {on} is not loaded: run `reciproca load_reference` first"
        )
    return territory


def _org(
    by: User,
    name: str,
    kind: str,
    *,
    short: str = "",
    territory: Territory | None = None,
    **extra: Any,
) -> Organisation:
    return partnership_services.create_organisation(
        by=by,
        name=name,
        short_name=short,
        kind=kind,
        territory=territory,
        country=territory.country if territory else extra.pop("country", None),
        **extra,
    )


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _user(
    username: str,
    first: str,
    last: str,
    organisation: Organisation | None,
    *,
    role: str,
    scope: Any,
    language: str = "fr",
    superuser: bool = False,
) -> User:
    if superuser:
        user = User.objects.create_superuser(
            username=username, password=None, email=f"{username}@demo.reciproca.invalid"
        )
    else:
        user = User.objects.create_user(
            username=username, password=None, email=f"{username}@demo.reciproca.invalid"
        )
    # Every persona has the same public password: it is hashed once (a hash costs about a
    # second by design), not once per persona.
    user.password = _demo_password_hash()
    user.first_name, user.last_name = first, last
    user.organisation = organisation
    user.preferred_language = language
    user.save()
    kind = type(scope).__name__.lower()
    RoleGrant.objects.create(user=user, role=role, **{kind: scope})
    DEMO_LOGINS.append(
        DemoLogin(
            username, str(Role(role).label), organisation.name if organisation else "—", str(scope)
        )
    )
    return user


def _place(project: Project, stage: Stage, *, by: User, suspended: bool = False) -> None:
    """Put a demo project at a later stage than a fresh install's gates allow, and say so."""
    before = {"stage": project.stage, "is_suspended": project.is_suspended}
    project.stage = stage
    project.is_suspended = suspended
    project.save(update_fields=["stage", "is_suspended", "updated_at"])
    record_event(
        action="demo.project.placed",
        by=by,
        subject=project,
        reason="Données de démonstration : les étapes précédentes de ce projet ont eu lieu avant "
        "la plateforme ; il est placé à cette étape au chargement de la démo.",
        before=before,
        after={"stage": stage, "is_suspended": suspended}
        | project_services.charter_record(project, []),
    )


def _tags(
    project: Project,
    *,
    by: User,
    themes: list[str],
    targets: list[str],
    codes: list[str],
    services: list[Service],
    officials: list[ElectedOfficial],
    places: list[Territory],
) -> None:
    charter_themes = [t for t in engine.themes() if t.code in themes]
    project_services.set_project_tags(
        project=project,
        by=by,
        themes=charter_themes,
        sdg_targets=SdgTarget.objects.filter(code__in=targets),
        purpose_codes=PurposeCode.objects.filter(code__in=codes),
        services=services,
        elected_officials=officials,
        locations=places,
    )


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Build the demo in an empty database (with reference data and the charter loaded)."""
    if Organisation.objects.filter(is_host=True).exists():
        raise RuntimeError("the database already holds an authority: the demo loads only once")
    DEMO_LOGINS.clear()
    today = timezone.localdate()
    fr38 = _territory("FR-38", today)
    # The host authority is the instance's root: nobody can act before it exists.
    isere = Organisation.objects.create(
        name="Département de l'Isère",
        kind=Organisation.Kind.DEPARTMENT,
        short_name="Isère",
        article="le",
        territory=fr38,
        country=fr38.country,
        is_host=True,
        iati_identifier="FR-SIRET-22380001800013",
    )
    # The department's administrator first: every other organisation is registered by them.
    admin = _user("admin", "Anne", "Martin", isere, role=Role.ADMIN, scope=isere, superuser=True)

    constantine = _org(
        admin,
        "Wilaya de Constantine",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="la",
        short="Constantine",
        territory=_territory("DZ-25", today),
    )
    gegharkunik = _org(
        admin,
        "Marz de Guegharkunik",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="le",
        short="Guegharkunik",
        territory=_territory("AM-GR", today),
    )
    tadla = _org(
        admin,
        "Conseil régional de Tadla-Azilal",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="le",
        short="Tadla-Azilal",
        territory=_territory("MA-12", date(2010, 1, 1)),
    )
    beni_mellal = _org(
        admin,
        "Région Béni Mellal-Khénifra",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="la",
        short="Béni Mellal-Khénifra",
        territory=_territory("MA-05", today),
    )
    smd = _org(
        admin,
        "Conseil régional de Souss-Massa-Drâa",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="le",
        short="Souss-Massa-Drâa",
        territory=_territory("MA-13", date(2010, 1, 1)),
    )
    souss_massa = _org(
        admin,
        "Région Souss-Massa",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="la",
        short="Souss-Massa",
        territory=_territory("MA-09", today),
    )
    kedougou_regions = _org(
        admin,
        "Conseils régionaux de Kédougou et de Tambacounda",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="les",
        short="Kédougou-Tambacounda",
        territory=_territory("SN-KE", today),
    )
    kedougou_dept = _org(
        admin,
        "Conseil départemental de Kédougou",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="le",
        short="Kédougou",
        territory=Territory.objects.get(name_fr="Département de Kédougou"),
    )
    bethlehem = _org(
        admin,
        "Gouvernorat de Bethléem",
        Organisation.Kind.PARTNER_AUTHORITY,
        article="le",
        short="Bethléem",
        territory=_territory("PS-BTH", today),
    )
    _org(
        admin,
        "Ministère de l'Europe et des Affaires étrangères (DAECT)",
        Organisation.Kind.MINISTRY,
        article="le",
        country=fr38.country,
    )
    _org(admin, "Union européenne", Organisation.Kind.EU, article="l'")
    grenoble = _org(
        admin, "Ville de Grenoble", Organisation.Kind.LOCAL_AUTHORITY, territory=fr38, article="la"
    )
    asso_eau = _org(
        admin,
        "Association Eau Vive Isère",
        Organisation.Kind.ASSOCIATION,
        territory=fr38,
        article="l'",
    )
    lycee = _org(
        admin,
        "Lycée agricole de La Côte-Saint-André",
        Organisation.Kind.SCHOOL,
        territory=fr38,
        article="le",
    )
    company = _org(admin, "Hydro-Alpes Ingénierie", Organisation.Kind.COMPANY, territory=fr38)

    def partnership(
        name: str,
        partner: Organisation,
        since: date,
        until: date | None = None,
        predecessor: Partnership | None = None,
        description: str = "",
    ) -> Partnership:
        assert partner.territory is not None
        p = partnership_services.create_partnership(
            by=admin,
            name=name,
            partner=partner,
            territory=partner.territory,
            since_date=since,
            until_date=until,
            description=description,
        )
        if predecessor:
            partnership_services.update_partnership(
                partnership=predecessor,
                by=admin,
                successor=p,
                reason="La coopération se poursuit avec le successeur légal.",
            )
        return p

    p_constantine = partnership(
        "Isère – Wilaya de Constantine",
        constantine,
        date(1984, 1, 1),
        description="La plus ancienne coopération du Département : eau, patrimoine, "
        "formation des agents territoriaux.",
    )
    p_gegh = partnership(
        "Isère – Marz de Guegharkunik",
        gegharkunik,
        date(2004, 1, 1),
        description="Développement rural autour du lac Sevan, tourisme, santé.",
    )
    p_tadla = partnership(
        "Isère – Tadla-Azilal",
        tadla,
        date(2004, 11, 19),
        until=date(2015, 9, 4),
        description="Convention du 19 novembre 2004, renouvelée en juillet 2008 ; la région "
        "disparaît avec la réforme régionale marocaine de 2015.",
    )
    p_bmk = partnership(
        "Isère – Béni Mellal-Khénifra",
        beni_mellal,
        date(2015, 9, 5),
        predecessor=p_tadla,
        description="Suite de la coopération avec Tadla-Azilal dans la nouvelle région.",
    )
    p_smd = partnership(
        "Isère – Souss-Massa-Drâa",
        smd,
        date(2008, 1, 1),
        until=date(2015, 9, 4),
        description="Région scindée en 2015 : Souss-Massa (successeur légal) et Drâa-Tafilalet.",
    )
    p_sm = partnership(
        "Isère – Souss-Massa",
        souss_massa,
        date(2015, 9, 5),
        predecessor=p_smd,
        description="Gestion de l'eau, agriculture durable.",
    )
    p_ked = partnership(
        "Isère – Kédougou et Tambacounda",
        kedougou_regions,
        date(2002, 1, 1),
        until=date(2015, 12, 31),
        description="Depuis l'Acte III de la décentralisation (2013), les régions sénégalaises "
        "ne sont plus des collectivités : le Département de Kédougou a pris le relais.",
    )
    p_ked2 = partnership(
        "Isère – Département de Kédougou",
        kedougou_dept,
        date(2016, 1, 1),
        predecessor=p_ked,
        description="Santé maternelle, éducation, orpaillage et environnement.",
    )
    p_bethlehem = partnership(
        "Isère – Gouvernorat de Bethléem",
        bethlehem,
        date(2010, 1, 1),
        description="Tourisme solidaire, patrimoine, jeunesse.",
    )

    # People of the department and of the partners: one login per role.
    officer = _user("marie.dupont", "Marie", "Dupont", isere, role=Role.OFFICER, scope=isere)
    elected = _user("elu.ri", "Jean", "Moreau", isere, role=Role.ELECTED, scope=isere)
    karim = _user(
        "karim.benali",
        "Karim",
        "Benali",
        constantine,
        role=Role.PARTNER_EDITOR,
        scope=p_constantine,
        language="ar",
    )
    anna = _user(
        "anna.petrosyan",
        "Anna",
        "Petrosyan",
        gegharkunik,
        role=Role.PARTNER_EDITOR,
        scope=p_gegh,
        language="hy",
    )
    _user(
        "rania.khoury",
        "Rania",
        "Khoury",
        bethlehem,
        role=Role.PARTNER_READER,
        scope=p_bethlehem,
        language="en",
    )
    _user("fatou.diallo", "Fatou", "Diallo", kedougou_dept, role=Role.PARTNER_EDITOR, scope=p_ked2)
    youssef = _user(
        "youssef.amrani", "Youssef", "Amrani", beni_mellal, role=Role.PARTNER_EDITOR, scope=p_bmk
    )
    issa = _user(
        "issa.saba",
        "Issa",
        "Saba",
        bethlehem,
        role=Role.PARTNER_EDITOR,
        scope=p_bethlehem,
        language="ar",
    )

    today_year = today.year
    for p, number, amount, currency in (
        (p_constantine, "2023-DRI-041", Decimal("450000"), "EUR"),
        (p_gegh, "2022-DRI-017", Decimal("300000"), "EUR"),
        (p_bmk, "2024-DRI-008", Decimal("250000"), "EUR"),
        (p_sm, "2021-DRI-052", Decimal("200000"), "EUR"),
        (p_ked2, "2023-DRI-060", Decimal("360000"), "EUR"),
        (p_bethlehem, "2024-DRI-012", Decimal("180000"), "EUR"),
    ):
        start = date(int(number[:4]), 1, 1)
        # Bethléem's agreement ends soon, so the dashboard warns ahead of time.
        until = (today + timedelta(days=75)) if p is p_bethlehem else date(today_year + 2, 12, 31)
        partnership_services.create_agreement(
            partnership=p,
            by=admin,
            title=f"Convention de coopération {start:%Y}–{until:%Y}",
            purpose=f"Coopération décentralisée entre le Département de l'Isère et {p.partner.name}"
            " : programme concerté, échanges d'expertise et projets communs.",
            forecast_amount=amount,
            currency=currency,
            valid_from=start,
            valid_until=until,
            signed_date=start,
            deliberation_reference=f"Délibération {number}",
        )
    partnership_services.create_agreement(
        partnership=p_tadla,
        by=admin,
        title="Convention de coopération 2004",
        purpose="Coopération décentralisée avec le Conseil régional de Tadla-Azilal.",
        forecast_amount=Decimal("120000"),
        valid_from=date(2004, 11, 19),
        valid_until=date(2008, 6, 30),
        signed_date=date(2004, 11, 19),
        deliberation_reference="Délibération 2004-DRI-115",
    )
    partnership_services.create_agreement(
        partnership=p_tadla,
        by=admin,
        title="Convention renouvelée 2008",
        purpose="Renouvellement de la coopération avec le Conseil régional de Tadla-Azilal.",
        forecast_amount=Decimal("150000"),
        valid_from=date(2008, 7, 1),
        valid_until=date(2015, 9, 4),
        signed_date=date(2008, 7, 10),
        deliberation_reference="Délibération 2008-DRI-077",
    )

    programmes = {}
    for p in (p_constantine, p_gegh, p_bmk, p_sm, p_ked2, p_bethlehem):
        programmes[p.pk] = partnership_services.create_programme(
            partnership=p,
            by=admin,
            title=f"Programme concerté {p.partner.display_name}",
            start_date=date(2024, 1, 1),
            end_date=date(2027, 12, 31),
            description="Programme stratégique pluriannuel défini avec le partenaire.",
        )
    Participation.objects.bulk_create(
        [
            Participation(
                organisation=asso_eau,
                programme=programmes[p_constantine.pk],
                role="Appui technique eau et assainissement",
            ),
            Participation(
                organisation=grenoble,
                programme=programmes[p_bethlehem.pk],
                role="Jumelage et échanges culturels",
            ),
            Participation(
                organisation=lycee,
                programme=programmes[p_bmk.pk],
                role="Échanges d'élèves et formation agro-pastorale",
            ),
            Participation(
                organisation=company,
                programme=programmes[p_sm.pk],
                role="Mécénat de compétences : ingénieurs hydrauliciens",
            ),
        ]
    )

    environment = Service.objects.create(name="Direction de l'environnement")
    water = Service.objects.create(name="Service de l'eau et de l'assainissement")
    culture = Service.objects.create(name="Direction de la culture et du patrimoine")
    health = Service.objects.create(name="Direction de la santé et de l'autonomie")
    Service.objects.create(name="Direction des relations internationales")
    vp = ElectedOfficial.objects.create(
        full_name="Mme Claire Rey", mandate="Vice-présidente chargée des relations internationales"
    )
    councillor = ElectedOfficial.objects.create(
        full_name="M. Paul Girard", mandate="Conseiller départemental, eau et environnement"
    )

    def project(
        p: Partnership, title: str, summary: str, *, by: User = officer, **kw: Any
    ) -> Project:
        return project_services.create_project(
            partnership=p,
            by=by,
            title=title,
            summary=summary,
            programme=programmes.get(p.pk),
            is_demo=True,
            **kw,
        )

    # 1. An idea, just registered.
    project(
        p_constantine,
        "Tri et valorisation des déchets ménagers à Constantine",
        "Étudier avec la Wilaya une filière de tri à la source et de compostage dans deux "
        "communes pilotes.",
        start_date=date(today_year + 1, 3, 1),
        end_date=date(today_year + 3, 2, 28),
    )

    waste = project(
        p_constantine,
        "Assainissement des oueds Rhumel et Boumerzoug",
        "Réduire les rejets d'eaux usées dans les oueds de la ville avec les services "
        "d'assainissement des deux collectivités.",
        start_date=date(today_year + 1, 6, 1),
        end_date=date(today_year + 4, 5, 31),
    )
    _tags(
        waste,
        by=officer,
        themes=["pollution", "water-soil"],
        targets=["6.3", "11.6"],
        codes=["14022"],
        services=[water, environment],
        officials=[councillor],
        places=[_territory("DZ-25", today)],
    )

    # 2. A diagnosis being built together (the diagnosis app fills the detail).
    water_project = project(
        p_constantine,
        "Eau potable dans les communes rurales de la wilaya",
        "Diagnostic partagé des réseaux d'eau potable de quatre communes rurales, avec le "
        "service de l'eau du Département et l'association Eau Vive Isère.",
        start_date=date(today_year + 1, 1, 1),
        end_date=date(today_year + 3, 12, 31),
    )
    _tags(
        water_project,
        by=officer,
        themes=["essential-services", "water-soil"],
        targets=["6.1", "6.b"],
        codes=["14030"],
        services=[water, environment],
        officials=[councillor],
        places=[_territory("DZ-25", today)],
    )
    project_services.transition_project(
        project=water_project,
        transition="start_diagnosis",
        by=officer,
        reason="Le partenaire a exprimé le besoin.",
    )

    heritage = project(
        p_constantine,
        "Patrimoine de la médina de Constantine (Souika)",
        "Inventaire partagé et plan de sauvegarde des maisons de la Souika, avec échanges "
        "entre les services du patrimoine des deux collectivités.",
        by=karim,
    )
    _tags(
        heritage,
        by=karim,
        themes=["cultural-diversity"],
        targets=["11.4"],
        codes=["16061"],
        services=[culture],
        officials=[vp],
        places=[],
    )
    project_services.transition_project(
        project=heritage,
        transition="start_diagnosis",
        by=karim,
        reason="Ouverture du diagnostic avec la Direction de la culture.",
    )

    training = project(
        p_constantine,
        "Formation des agents territoriaux de la wilaya",
        "Échanges de pratiques et formation croisée des agents des deux collectivités "
        "(finances locales, commande publique).",
    )
    _tags(
        training,
        by=officer,
        themes=["local-powers"],
        targets=["16.6", "17.9"],
        codes=["15112"],
        services=[environment],
        officials=[vp],
        places=[],
    )
    project_services.transition_project(
        project=training,
        transition="start_diagnosis",
        by=officer,
        reason="Programme concerté 2024-2027.",
    )

    # 3. Projects further along (placed: their next gates need later capabilities).
    sevan = project(
        p_gegh,
        "Tourisme rural durable autour du lac Sevan",
        "Accompagner les communautés du marz dans une offre de tourisme rural "
        "respectueuse du lac et de ses rives.",
        start_date=date(2024, 4, 1),
        end_date=today + timedelta(days=60),
    )
    _tags(
        sevan,
        by=officer,
        themes=["responsible-economy", "biodiversity"],
        targets=["8.9", "15.1"],
        codes=["33210"],
        services=[environment],
        officials=[vp],
        places=[_territory("AM-GR", today)],
    )
    # Sevan goes through every gate further down, once its diagnosis, results framework,
    # evaluation plan and funding plan exist.

    azilal = project(
        p_bmk,
        "Agropastoralisme et lutte contre la désertification à Azilal",
        "Restaurer les parcours pastoraux dégradés avec les coopératives d'éleveurs.",
        start_date=date(today_year + 1, 1, 1),
        end_date=date(today_year + 3, 12, 31),
    )
    _tags(
        azilal,
        by=officer,
        themes=["desertification", "climate-change"],
        targets=["15.3", "2.4"],
        codes=["31130"],
        services=[environment],
        officials=[councillor],
        places=[],
    )

    irrigation = project(
        p_sm,
        "Économies d'eau d'irrigation dans la plaine du Souss",
        "Goutte-à-goutte et gestion concertée de la nappe avec les usagers.",
        start_date=date(2022, 1, 1),
        end_date=date(2025, 6, 30),
    )
    _place(irrigation, Stage.EVALUATION, by=admin)
    evaluators = _org(
        admin, "Cabinet Évaluation & Territoires", Organisation.Kind.OTHER, territory=fr38
    )
    _user("eva.lambert", "Eva", "Lambert", evaluators, role=Role.EVALUATOR, scope=irrigation)

    maternal = project(
        p_ked2,
        "Santé maternelle et infantile à Kédougou",
        "Équipement et formation de deux postes de santé ruraux.",
        start_date=date(2023, 9, 1),
        end_date=date(today_year + 1, 8, 31),
    )
    _tags(
        maternal,
        by=officer,
        themes=["essential-services", "women-participation"],
        targets=["3.8"],
        codes=["12220"],
        services=[health],
        officials=[vp],
        places=[],
    )
    _place(maternal, Stage.IMPLEMENTATION, by=admin)
    project_services.transition_project(
        project=maternal,
        transition="suspend",
        by=officer,
        reason="Saison des pluies : accès aux sites impossible.",
    )

    old = project(
        p_tadla,
        "Adduction d'eau des douars de la province d'Azilal",
        "Projet achevé de la coopération avec Tadla-Azilal.",
        by=admin,
        start_date=date(2009, 1, 1),
        end_date=date(2012, 12, 31),
    )
    _place(old, Stage.CLOSED, by=admin)

    tourism = project(
        p_bethlehem,
        "Accueil touristique solidaire à Bethléem",
        "Former des familles d'accueil et structurer une offre de tourisme solidaire.",
    )
    _tags(
        tourism,
        by=officer,
        themes=["responsible-economy", "youth-participation"],
        targets=["8.9"],
        codes=["33210"],
        services=[culture],
        officials=[vp],
        places=[],
    )

    # The shared diagnosis at each point of the story: being built together (water), signed by
    # one side (heritage), signed then changed so the sign-off was withdrawn (waste), shared by
    # both and waiting for the decision (training), decided and moved on (Azilal), and a decision
    # to design another project (Bethlehem).
    from reciproca.demo.diagnoses import build_demo_diagnosis
    from reciproca.demo.pooling import build_demo_pooling
    from reciproca.diagnosis import services as diagnosis_services

    build_demo_diagnosis(water_project, by_host=officer, by_partner=karim, level="in_progress")
    build_demo_diagnosis(heritage, by_host=officer, by_partner=karim, level="one_signed")
    build_demo_diagnosis(waste, by_host=officer, by_partner=karim, level="one_signed")
    diagnosis_services.set_reversibility_statement(
        project=waste,
        by=officer,
        text="Les équipements de tri restent la propriété des communes pilotes ; si la filière "
        "n'est pas reprise par la wilaya au bout de trois ans, ils sont réaffectés aux écoles.",
    )
    build_demo_diagnosis(training, by_host=officer, by_partner=karim, level="shared")
    project_services.transition_project(
        project=training,
        transition="submit_for_decision",
        by=officer,
        reason="Diagnostic partagé validé par les deux partenaires.",
    )
    build_demo_diagnosis(azilal, by_host=officer, by_partner=youssef, level="decided")
    build_demo_diagnosis(tourism, by_host=officer, by_partner=issa, level="shared")
    project_services.transition_project(
        project=tourism,
        transition="submit_for_decision",
        by=issa,
        reason="Diagnostic partagé validé par les deux partenaires.",
    )
    project_services.record_decision(
        project=tourism,
        by=elected,
        outcome=Decision.Outcome.REDESIGN,
        rationale="Le diagnostic partagé montre que l'artisanat des jeunes, plus que "
        "l'hébergement, "
        "répond au besoin : concevoir un autre projet.",
        deliberation_reference="Commission permanente 2025-CP-114",
        new_title="Artisanat et jeunesse à Bethléem",
    )
    # Lake Sevan, through the workflow: a shared diagnosis decided by both partners, then in
    # elaboration a results framework and an evaluation plan both validate, a complete funding
    # plan (demo.finance), both partners' sign-off of the stage, and start_implementation —
    # every condition of its gates met, as the audit trail records them.
    from reciproca.demo.results import build_demo_closed, plan_demo_results, report_demo_results

    build_demo_diagnosis(sevan, by_host=officer, by_partner=anna, level="decided")
    sevan_results = plan_demo_results(sevan, officer=officer)
    build_demo_closed(partnership=p_sm, officer=officer, place=_place, make_user=_user)

    build_demo_pooling(by=officer)

    from reciproca.demo.finance import build_demo_finance

    build_demo_finance(
        admin=admin,
        officer=officer,
        karim=karim,
        sevan=sevan,
        training=training,
        maternal=maternal,
        p_gegh=p_gegh,
        p_constantine=p_constantine,
        company=company,
        service=environment,
    )
    project_services.sign_off_stage(project=sevan, by=officer)
    project_services.sign_off_stage(project=sevan, by=anna)
    project_services.transition_project(
        project=sevan,
        transition="start_implementation",
        by=officer,
        reason="Cadre de résultats, dispositif d'évaluation et plan de financement validés par "
        "les deux partenaires.",
    )
    report_demo_results(sevan, sevan_results, officer=officer)
    return list(DEMO_LOGINS)
