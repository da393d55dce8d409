"""Data: apply the "adjust" decisions a diagnosis had not caught up with yet.

Before issue 6 an "adjust" decision reopened the diagnosis lazily (on its next write, counted
by `adjustments_seen`). It now reopens it when recorded; this brings the older rows level:
the sign-offs it was decided on are withdrawn with the decision as their cause, and the next
version is opened, as `diagnosis.pipeline.on_decision` does.
"""

from django.db import migrations


def reopen(apps, schema_editor):
    Diagnosis = apps.get_model("diagnosis", "Diagnosis")
    DiagnosisVersion = apps.get_model("diagnosis", "DiagnosisVersion")
    DiagnosisSignOff = apps.get_model("diagnosis", "DiagnosisSignOff")
    Decision = apps.get_model("projects", "Decision")
    for diagnosis in Diagnosis.objects.all():
        adjustments = Decision.objects.filter(
            project_id=diagnosis.project_id, outcome="ADJUST"
        ).order_by("-decided_at", "-id")
        if adjustments.count() <= diagnosis.adjustments_seen:
            continue
        decision = adjustments.first()
        cause = {
            "code": "decision_adjust",
            "date": decision.decided_at.isoformat(),
            "deliberation_reference": decision.deliberation_reference,
        }
        text = "la décision « ajuster »"
        current = DiagnosisVersion.objects.filter(
            diagnosis=diagnosis, number=diagnosis.version
        ).first()
        diagnosis.version += 1
        diagnosis.save(update_fields=["version"])
        DiagnosisVersion.objects.create(
            diagnosis=diagnosis,
            number=diagnosis.version,
            started_by_id=decision.decided_by_id,
            reason=text[:1].upper() + text[1:],
            cause=cause,
            snapshot=dict(current.snapshot, version=diagnosis.version) if current else {},
        )
        DiagnosisSignOff.objects.filter(diagnosis=diagnosis, withdrawn_at__isnull=True).update(
            withdrawn_at=decision.decided_at,
            withdrawn_reason=text,
            withdrawn_cause=cause,
            withdrawn_by_id=decision.decided_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("diagnosis", "0002_withdrawal_cause"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(reopen, migrations.RunPython.noop),
        migrations.RemoveField(model_name="diagnosis", name="adjustments_seen"),
    ]
