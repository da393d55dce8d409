"""The pooling part of the demo: the real IATI activities of the samples that lie in the
partner territories, a fictitious list of other French authorities' projects, and one
coordination decision — all through the pooling services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reciproca.pooling import csv_import
from reciproca.pooling import services as pooling_services
from reciproca.pooling.models import Activity, Coordination
from reciproca.projects.models import Project

DATA = Path(__file__).resolve().parent / "data"


def build_demo_pooling(*, by: Any) -> None:
    pooling_services.import_iati(paths=[DATA / "iati-partner-territories.xml"], by=by)
    csv_import.import_csv_file(path=DATA / "autres-collectivites.csv", by=by)
    sevan = Project.objects.filter(title__startswith="Tourisme rural durable").first()
    grenoble = Activity.objects.filter(identifier="DEMO-GRE-AM-1").first()
    if sevan is not None and grenoble is not None:
        pooling_services.record_coordination(
            project=sevan,
            activity=grenoble,
            outcome=Coordination.Outcome.CONTACTED,
            note="Échange avec le service international de la Ville : calendrier des "
            "formations de guides à caler ensemble.",
            by=by,
        )
