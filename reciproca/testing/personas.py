"""Shared test personas and a small world: the department, two partner authorities, their
partnerships and one user per role. Used by every app's tests (the `world` fixture of
`reciproca.testing.plugin`) and by bench/.

alice — Isère officer (all of Isère's partnerships); karim — Constantine's partner editor;
layla — Bethlehem's partner editor; nour — Constantine's reader; élise — elected official;
victor — evaluator of one project; oscar — an outsider with an account and no role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reciproca.accounts.models import Role, RoleGrant, User
from reciproca.partnerships.models import (
    ElectedOfficial,
    Organisation,
    Partnership,
    Programme,
    Service,
)
from reciproca.territories.models import Country, Territory

PASSWORD = "reciproca-test-password"


@dataclass
class World:
    isere: Organisation
    constantine: Organisation
    bethlehem: Organisation
    constantine_partnership: Partnership
    bethlehem_partnership: Partnership
    constantine_programme: Programme
    officer: User
    admin: User
    constantine_editor: User
    bethlehem_editor: User
    constantine_reader: User
    elected: User
    evaluator: User
    outsider: User
    service: Service
    elected_official: ElectedOfficial


def ensure_charter_loaded() -> None:
    """Make sure the reference data and the default charter are there (a cheap no-op in tests:
    the plugin loads both once per session)."""
    from reciproca.testing.session_data import ensure_session_data

    ensure_session_data()


def ensure_reference_loaded() -> None:
    """The reference data the charter's codes are checked against (a no-op in tests: the
    plugin loads it once per session)."""
    from reciproca.testing.session_data import load_reference_data, reference_data_loaded

    if not reference_data_loaded():
        load_reference_data()


def _territory(name: str, iso2: str, country_name: str, code: str, kind: str) -> Territory:
    """The current holder of `code` from the reference data, or (reference data not loaded)
    one made here."""
    existing = Territory.objects.filter(iso_code=code, valid_until__isnull=True).first()
    if existing is not None:
        return existing
    country, _ = Country.objects.get_or_create(iso2=iso2, defaults={"name": country_name})
    # A code is never stored without its period (the territories app's rule).
    territory, _ = Territory.objects.get_or_create(
        iso_code=code,
        valid_from=date(1984, 1, 1),
        defaults={"name": name, "country": country, "kind": kind},
    )
    return territory


def make_user(
    username: str, member_of: Organisation | None, *, first_name: str = "", **grant: Any
) -> User:
    """A user of `member_of`, with one role grant if `grant` names it (role=…, project=…)."""
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        organisation=member_of,
        first_name=first_name or username.capitalize(),
        email=f"{username}@example.org",
    )
    if grant:
        RoleGrant.objects.create(user=user, **grant)
    return user


def make_world() -> World:
    ensure_charter_loaded()
    isere_t = _territory("Isère", "FR", "France", "FR-38", Territory.Kind.DEPARTMENT)
    constantine_t = _territory("Constantine", "DZ", "Algérie", "DZ-25", Territory.Kind.WILAYA)
    bethlehem_t = _territory("Bethléem", "PS", "Palestine", "PS-BTH", Territory.Kind.GOVERNORATE)
    isere = Organisation.objects.create(
        name="Département de l'Isère",
        short_name="Isère",
        article="le",
        kind=Organisation.Kind.DEPARTMENT,
        is_host=True,
        territory=isere_t,
        country=isere_t.country,
    )
    constantine = Organisation.objects.create(
        name="Wilaya de Constantine",
        short_name="Constantine",
        article="la",
        kind=Organisation.Kind.PARTNER_AUTHORITY,
        territory=constantine_t,
        country=constantine_t.country,
    )
    bethlehem = Organisation.objects.create(
        name="Gouvernorat de Bethléem",
        short_name="Bethléem",
        article="le",
        kind=Organisation.Kind.PARTNER_AUTHORITY,
        territory=bethlehem_t,
        country=bethlehem_t.country,
    )
    c_partnership = Partnership.objects.create(
        name="Isère – Constantine",
        host=isere,
        partner=constantine,
        territory=constantine_t,
        since_date=date(1984, 1, 1),
    )
    b_partnership = Partnership.objects.create(
        name="Isère – Bethléem",
        host=isere,
        partner=bethlehem,
        territory=bethlehem_t,
        since_date=date(2010, 1, 1),
    )
    programme = Programme.objects.create(
        partnership=c_partnership,
        title="Programme concerté 2024-2027",
        start_date=date(2024, 1, 1),
        end_date=date(2027, 12, 31),
    )
    return World(
        isere=isere,
        constantine=constantine,
        bethlehem=bethlehem,
        constantine_partnership=c_partnership,
        bethlehem_partnership=b_partnership,
        constantine_programme=programme,
        officer=make_user("alice", isere, role=Role.OFFICER, organisation=isere),
        admin=make_user("adele", isere, role=Role.ADMIN, organisation=isere),
        constantine_editor=make_user(
            "karim", constantine, role=Role.PARTNER_EDITOR, partnership=c_partnership
        ),
        bethlehem_editor=make_user(
            "layla", bethlehem, role=Role.PARTNER_EDITOR, partnership=b_partnership
        ),
        constantine_reader=make_user(
            "nour", constantine, role=Role.PARTNER_READER, partnership=c_partnership
        ),
        elected=make_user("elise", isere, role=Role.ELECTED, organisation=isere),
        evaluator=make_user("victor", None),
        outsider=make_user("oscar", None),
        service=Service.objects.create(name="Direction de l'environnement"),
        elected_official=ElectedOfficial.objects.create(
            full_name="Mme la vice-présidente", mandate="Relations internationales"
        ),
    )
