"""The radar chart is plain SVG: one polygon per option, inside the drawing, labelled for
screen readers, never told apart by colour alone."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from reciproca.diagnosis.charts import WIDTH, RadarAxis, RadarSeries, radar_svg

SVG = "{http://www.w3.org/2000/svg}"

AXES = [
    RadarAxis("climate", "Lutte contre le changement climatique"),
    RadarAxis(
        "biodiversity", "Préservation de la biodiversité, protection des milieux et des ressources"
    ),
    RadarAxis("cohesion", "Cohésion sociale et solidarité"),
    RadarAxis("fulfilment", "Épanouissement de tous les êtres humains"),
    RadarAxis("production", "Production et consommation responsables"),
]


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def series_polygons(root: ElementTree.Element) -> list[ElementTree.Element]:
    """Each drawn option: a polygon when fully scored, a path of segments otherwise."""
    return [
        p
        for p in root.iter()
        if p.tag in (f"{SVG}polygon", f"{SVG}path")
        and "radar-series" in (p.get("class") or "").split()
    ]


def points(polygon: ElementTree.Element) -> list[tuple[float, float]]:
    if polygon.tag == f"{SVG}path":
        pairs = re.findall(r"[ML](-?[\d.]+),(-?[\d.]+)", polygon.get("d", ""))
        return list(dict.fromkeys((float(x), float(y)) for x, y in pairs))
    return [tuple(map(float, pair.split(","))) for pair in polygon.get("points", "").split()]  # type: ignore[misc]


def test_one_polygon_per_option_with_legend_title_and_description():
    svg = radar_svg(
        [
            RadarSeries("Proposition", [3, 2, 4, 3.5, 2]),
            RadarSeries("Ne rien faire", [0, 1, None, 1, 0]),
            RadarSeries("Camions-citernes", [1, 1, 2, 2, 1]),
        ],
        AXES,
        title="Grille de développement durable",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Grille de développement durable"
    assert desc is not None and "Ne rien faire — " in (desc.text or "")
    assert "Cohésion sociale et solidarité : non noté" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    polygons = series_polygons(root)
    assert len(polygons) == 3
    # "Ne rien faire" has an unscored criterion: it is left out, not drawn as zero.
    assert [p.tag for p in polygons] == [f"{SVG}polygon", f"{SVG}path", f"{SVG}polygon"]
    assert [len(points(p)) for p in (polygons[0], polygons[2])] == [len(AXES), len(AXES)]
    # Told apart by the line pattern as well as the colour.
    assert len({p.get("stroke-dasharray") for p in polygons}) == 3
    legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "radar-legend-item"]
    assert ["".join(g.itertext()) for g in legend] == [
        "Proposition",
        "Ne rien faire (1 critère non noté)",
        "Camions-citernes",
    ]
    # Every axis is labelled (a long name is wrapped, its full text kept as a tooltip).
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "radar-axis-label"]
    assert [t.find(f"{SVG}title").text for t in labels] == [a.label for a in AXES]  # type: ignore[union-attr]


def test_an_unscored_criterion_is_not_drawn_and_a_full_score_is_on_the_edge():
    root = parse(radar_svg([RadarSeries("P", [4, None, 0, 4, 4])], AXES))
    (drawn,) = series_polygons(root)
    assert drawn.tag == f"{SVG}path" and drawn.get("fill") == "none"
    vertices = points(drawn)
    assert len(vertices) == 4  # axis 1 (unscored) has no vertex, axis 2 (scored 0) has one
    # The criterion scored 0 sits at the centre, the full score on the edge, straight up.
    assert (400.0, 290.0) in vertices and (400.0, 110.0) in vertices
    # No segment reaches the unscored axis: the lines join neighbouring scored criteria only.
    assert drawn.get("d", "").count("M") == 3


def test_with_no_score_at_all_the_chart_has_an_empty_state():
    root = parse(radar_svg([RadarSeries("Proposition", [None] * 5)], AXES))
    assert series_polygons(root) == []
    empty = [t for t in root.iter(f"{SVG}text") if t.get("class") == "radar-empty"]
    assert empty and "encore noté" in "".join(empty[0].itertext())
    assert "Proposition (pas encore notée)" in "".join(root.itertext())
    # The criteria are still named, so the reader sees what is to be scored.
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "radar-axis-label"]
    assert len(labels) == len(AXES)


def test_labels_are_large_enough_and_dark():
    root = parse(radar_svg([RadarSeries("P", [1, 2, 3, 4, 0])], AXES))
    for text in root.iter(f"{SVG}text"):
        if text.get("class") == "radar-axis-label":
            assert float(text.get("font-size", 0)) >= 14
            assert text.get("fill") == "#1f1f1f"


def test_text_is_escaped_and_the_drawing_stays_left_to_right_for_arabic():
    root = parse(
        radar_svg(
            [RadarSeries("<script>", [1, 2, 3, 4, 0])],
            [RadarAxis("a", "مكافحة تغير المناخ & co"), *AXES[1:]],
        )
    )
    assert root.get("direction") == "ltr"
    assert "مكافحة تغير المناخ & co" in "".join(root.itertext())
    assert not list(root.iter("script"))


def test_no_axis_gives_a_message_not_a_broken_chart():
    root = parse(radar_svg([RadarSeries("Proposition", [])], []))
    assert "Aucun critère à représenter." in "".join(root.itertext())
    assert series_polygons(root) == []


@given(
    values=st.lists(
        st.lists(
            st.one_of(st.none(), st.floats(min_value=-10, max_value=10)), min_size=5, max_size=5
        ),
        min_size=1,
        max_size=7,
    )
)
def test_every_point_lies_within_the_drawing(values):
    svg = radar_svg([RadarSeries(f"Option {n}", v) for n, v in enumerate(values)], AXES)
    root = parse(svg)
    height = float(root.get("viewBox", "0 0 0 0").split()[3])
    polygons = series_polygons(root)
    assert len(polygons) == sum(any(v is not None for v in vs) for vs in values)
    for polygon in polygons:
        for x, y in points(polygon):
            assert 0 <= x <= WIDTH and 0 <= y <= height
    # Axis labels fit in the drawing too (their middle ± half their estimated width).
    for text in root.iter(f"{SVG}text"):
        if text.get("class") == "radar-axis-label":
            x = float(text.get("x", 0))
            longest = max(len(t.text or "") for t in text.iter(f"{SVG}tspan"))
            assert x - longest * 4.2 >= 0 and x + longest * 4.2 <= WIDTH


def test_ids_are_unique_per_chart():
    first = radar_svg([RadarSeries("A", [1, 2, 3, 4, 0])], AXES, title="Un")
    second = radar_svg([RadarSeries("B", [1, 2, 3, 4, 0])], AXES, title="Deux")
    ids = lambda svg: set(re.findall(r'id="([^"]+)"', svg))  # noqa: E731
    assert not ids(first) & ids(second)
