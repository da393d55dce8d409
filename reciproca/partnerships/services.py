"""Writes on organisations, partnerships, agreements and programmes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.models import record_event
from reciproca.core.versioning import check_revision
from reciproca.partnerships import policies
from reciproca.partnerships.models import (
    Agreement,
    Organisation,
    Partnership,
    Programme,
    guess_article,
)


@transaction.atomic
def create_organisation(*, by: Any, name: str, kind: str, **fields: Any) -> Organisation:
    if not policies.can_manage_organisations(by):
        raise PermissionDenied(_("Vous ne pouvez pas ajouter d'organisation."))
    if not name.strip():
        raise DomainError(_("Le nom de l'organisation est obligatoire."))
    if kind not in Organisation.Kind.values:
        raise DomainError(_("Nature d'organisation inconnue : %(kind)s.") % {"kind": kind})
    if "article" not in fields:
        # "le Département …", "la Wilaya …": guessed from the name's first word, corrected
        # on the organisation's admin page (see models.guess_article).
        fields["article"] = guess_article(name)
    if fields["article"] not in Organisation.Article.values:
        raise DomainError(_("Article inconnu : %(article)s.") % {"article": fields["article"]})
    organisation = Organisation.objects.create(name=name.strip(), kind=kind, **fields)
    record_event(
        action="partnerships.organisation.created", by=by, subject=organisation,
        after={"name": organisation.name, "kind": kind},
    )  # fmt: skip
    return organisation


@transaction.atomic
def create_agreement(
    *,
    partnership: Partnership,
    by: Any,
    title: str,
    purpose: str,
    forecast_amount: Decimal,
    currency: str = "EUR",
    valid_from: date,
    valid_until: date | None = None,
    signed_date: date | None = None,
    deliberation_reference: str = "",
) -> Agreement:
    """Record a convention (CGCT L.1115-1): its object and forecast financial commitments."""
    if not policies.can_edit_partnership(by, partnership):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce partenariat."))
    reasons = []
    if not purpose.strip():
        reasons.append(_("L'objet de la convention est obligatoire (CGCT L.1115-1)."))
    if forecast_amount is None or forecast_amount < 0:
        reasons.append(
            _("L'engagement financier prévisionnel doit être un montant positif ou nul.")
        )
    if valid_until and valid_until < valid_from:
        reasons.append(_("La fin de validité précède son début."))
    if reasons:
        raise DomainError(reasons)
    agreement = Agreement.objects.create(
        partnership=partnership, title=title, purpose=purpose, forecast_amount=forecast_amount,
        currency=currency, valid_from=valid_from, valid_until=valid_until,
        signed_date=signed_date, deliberation_reference=deliberation_reference,
    )  # fmt: skip
    record_event(
        action="partnerships.agreement.created", by=by, subject=partnership,
        after={"agreement": title, "forecast_amount": str(forecast_amount), "currency": currency},
    )  # fmt: skip
    return agreement


@transaction.atomic
def create_programme(
    *,
    partnership: Partnership,
    by: Any,
    title: str,
    start_date: date,
    end_date: date,
    description: str = "",
) -> Programme:
    if not policies.can_edit_partnership(by, partnership):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce partenariat."))
    if end_date < start_date:
        raise DomainError(_("La fin du programme précède son début."))
    programme = Programme.objects.create(
        partnership=partnership, title=title, start_date=start_date, end_date=end_date,
        description=description,
    )  # fmt: skip
    record_event(
        action="partnerships.programme.created", by=by, subject=partnership,
        after={"programme": title},
    )  # fmt: skip
    return programme


@transaction.atomic
def create_partnership(
    *,
    by: Any,
    name: str,
    partner: Organisation,
    territory: Any,
    since_date: date,
    until_date: date | None = None,
    description: str = "",
) -> Partnership:
    """Register a cooperation between the host authority and a partner authority (PRE-2)."""
    if not policies.can_manage_organisations(by):
        raise PermissionDenied(_("Vous ne pouvez pas ajouter de partenariat."))
    host = Organisation.objects.filter(is_host=True).first()
    reasons = []
    if host is None:
        reasons.append(_("Aucune collectivité hôte n'est enregistrée."))
    elif partner.pk == host.pk:
        reasons.append(_("La collectivité hôte ne peut pas être sa propre partenaire."))
    if not name.strip():
        reasons.append(_("L'intitulé du partenariat est obligatoire."))
    if until_date and until_date < since_date:
        reasons.append(_("La fin du partenariat précède son début."))
    if reasons:
        raise DomainError(reasons)
    assert host is not None
    partnership = Partnership.objects.create(
        name=name.strip(), host=host, partner=partner, territory=territory,
        since_date=since_date, until_date=until_date, description=description,
    )  # fmt: skip
    record_event(
        action="partnerships.partnership.created", by=by, subject=partnership,
        after={"name": partnership.name, "partner": partner.name, "since_date": str(since_date)},
    )  # fmt: skip
    return partnership


PARTNERSHIP_EDITABLE_FIELDS = frozenset(
    {"name", "since_date", "until_date", "description", "successor"}
)


@transaction.atomic
def update_partnership(
    *,
    partnership: Partnership,
    by: Any,
    reason: str = "",
    revision: int | None = None,
    **changes: Any,
) -> Partnership:
    """Change a partnership's own fields (its name, period, successor, description)."""
    if not policies.can_edit_partnership(by, partnership):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce partenariat."))
    unknown = set(changes) - PARTNERSHIP_EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("Champs non modifiables : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    check_revision(partnership, revision, by=by)
    reasons = []
    if "name" in changes and not str(changes["name"] or "").strip():
        reasons.append(_("L'intitulé du partenariat est obligatoire."))
    since = changes.get("since_date", partnership.since_date)
    until = changes.get("until_date", partnership.until_date)
    if since is None:
        reasons.append(_("La date de début du partenariat est obligatoire."))
    elif until and until < since:
        reasons.append(_("La fin du partenariat précède son début."))
    successor = changes.get("successor")
    if successor is not None and successor.pk == partnership.pk:
        reasons.append(_("Un partenariat ne peut pas être son propre successeur."))
    if reasons:
        raise DomainError(reasons)
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    before, after = {}, {}
    for field, value in changes.items():
        old = getattr(partnership, field)
        if old != value:
            before[field] = str(old) if old is not None else None
            after[field] = str(value) if value is not None else None
            setattr(partnership, field, value)
    if not after:
        return partnership
    partnership.save()
    record_event(
        action="partnerships.partnership.updated", by=by, subject=partnership, reason=reason,
        before=before, after=after,
    )  # fmt: skip
    return partnership
