"""The SVG charts shared by the web pages and the PDF."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import assessments
from app.reports import charts
from tests import personas

SVG = "{http://www.w3.org/2000/svg}"


def scored(name: str):
    return assessments.evaluate(assessments.current(), personas.answers(name)).scored


def test_pyramid_marks_levels_that_hold_and_describes_itself() -> None:
    svg = ET.fromstring(str(charts.pyramid(scored("p2_media_company"))))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Data-needs pyramid: in place up to Move; next to build: Explore and report"
    polygons = svg.findall(f"{SVG}polygon")
    assert len(polygons) == 7
    fills = [p.get("fill") for p in polygons]
    assert fills[:3] == [charts.HOLDS] * 3 and charts.HOLDS not in fills[3:]


def test_user_labels_in_the_timeline_are_escaped_and_the_svg_stays_valid() -> None:
    evil = '</text><script>alert(1)</script>'
    svg_text = str(charts.timeline([(evil, scored("p1_online_shop")), ("Q2", scored("p3_retailer"))]))
    assert "<script>" not in svg_text
    svg = ET.fromstring(svg_text)  # still well-formed XML
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert any(label and label.startswith("</text><script>") for label in labels)


def test_comparison_bars_show_before_and_after() -> None:
    svg = ET.fromstring(str(charts.level_comparison([("Collect", 50, 83), ("Store", None, 87)])))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"50", "83", "?", "87"} <= set(texts)
