"""Small IATI files for the tests, written as the Standard shows them."""

# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "iati" / "samples"


def activity(
    identifier: str,
    *,
    title: str = "Activité",
    org_ref: str = "XM-DAC-41114",
    org_type: str = "40",
    country: str = "PS",
    admin: str = "",
    point: str = "",
    sectors: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    start: str = "2024-01-01",
    end: str = "2026-12-31",
    budget: str = "",
    extra: str = "",
) -> str:
    location = ""
    if admin or point:
        location = "<location>"
        if admin:
            location += f'<administrative vocabulary="A4" level="1" code="{admin}"/>'
        if point:
            location += f'<point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>{point}</pos></point>'
        location += "</location>"
    return f"""
  <iati-activity default-currency="EUR">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="{org_ref}" type="{org_type}"><narrative>Org {org_ref}</narrative></reporting-org>
    <title><narrative xml:lang="en">{title} (en)</narrative><narrative xml:lang="fr">{title}</narrative></title>
    <participating-org role="4" ref="{org_ref}" type="{org_type}"><narrative>Org</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date iso-date="{start}" type="1"/>
    <activity-date iso-date="{end}" type="3"/>
    <recipient-country code="{country}" percentage="100"/>
    {location}
    {"".join(f'<sector vocabulary="1" code="{s}"/>' for s in sectors)}
    {"".join(f'<tag vocabulary="3" code="{t}"/>' for t in tags)}
    {f'<budget><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/><value currency="USD" value-date="2024-01-01">{budget}</value></budget>' if budget else ""}
    {extra}
  </iati-activity>"""


def iati_file(*activities: str, version: str = "2.03") -> bytes:
    body = "".join(activities)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}" '
        f'generated-datetime="2024-01-01T00:00:00">{body}\n</iati-activities>\n'
    ).encode()
