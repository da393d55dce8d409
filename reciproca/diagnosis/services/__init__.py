"""Every write on a shared diagnosis: keyword-only, by an explicit actor, in one transaction,
with an audit event on the project's timeline.

Each change follows the same steps: check the actor may edit and the diagnosis is not frozen;
if organisations have signed the current version, withdraw their sign-offs (saying which
change caused it, and by whom) and open the next version; save; record the event; mark the
current version's snapshot to be built. A sign-off builds it, and so do the readers of the
history (`versions.build_pending_snapshots`), so a signed version's snapshot is exactly what
was signed and a write costs what it changes.
"""

from __future__ import annotations

from reciproca.diagnosis.services.alternatives import (
    add_alternative,
    remove_alternative,
    set_reversibility_statement,
    update_alternative,
)
from reciproca.diagnosis.services.assessments import assess_options, remove_assessment
from reciproca.diagnosis.services.base import (
    adjust_cause,
    open_diagnosis,
    refresh_snapshot,
    start_next_version,
)
from reciproca.diagnosis.services.impacts import (
    add_response,
    remove_response,
    set_impact_cell,
    update_response,
)
from reciproca.diagnosis.services.needs import add_need, remove_need, update_need
from reciproca.diagnosis.services.signoffs import (
    IncompleteDiagnosis,
    sign_off_diagnosis,
    withdraw_diagnosis_signoff,
)

__all__ = [
    "IncompleteDiagnosis",
    "add_alternative",
    "add_need",
    "add_response",
    "adjust_cause",
    "assess_options",
    "open_diagnosis",
    "refresh_snapshot",
    "remove_alternative",
    "remove_assessment",
    "remove_need",
    "remove_response",
    "set_impact_cell",
    "set_reversibility_statement",
    "sign_off_diagnosis",
    "start_next_version",
    "update_alternative",
    "update_need",
    "update_response",
    "withdraw_diagnosis_signoff",
]
