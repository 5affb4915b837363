"""SVG charts drawn on the server, shared by the result page and the PDF.

Plain SVG strings (no JavaScript, no external fonts or images) so that the
same markup renders in a browser and in WeasyPrint. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from assessments.scoring import LevelScore, LevelState, Scored

HOLDS = "#1d6b57"
GAP = "#b45309"
ABOVE = "#cfd6dd"
INK = "#1b2430"
MUTED = "#5b6573"


def _svg(width: int, height: int | float, css_class: str, prefix: str, title: str, desc: str,
         parts: list[str]) -> Markup:
    """Wrap chart parts in an accessible <svg>: role img, a title and a description, all escaped."""
    return Markup(  # noqa: S704 - the parts escape every interpolated text; title and desc are escaped here
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{prefix}-title {prefix}-desc" class="chart {css_class}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">'
        f'<title id="{prefix}-title">{escape(title)}</title><desc id="{prefix}-desc">{escape(desc)}</desc>'
        + "".join(parts) + "</svg>"
    )


def pyramid(scored: Scored, *, width: int = 420) -> Markup:
    """The pyramid, bottom level widest; levels that hold are filled, the first gap is marked."""
    levels = scored.levels
    band, gap = 38, 4
    height = len(levels) * (band + gap) + 8
    centre = width / 2
    top_half, bottom_half = 88.0, width / 2 - 4
    parts = []
    for i, ls in enumerate(levels):
        row = len(levels) - 1 - i  # row 0 is the top of the drawing
        y0 = 4 + row * (band + gap)
        y1 = y0 + band
        step = (bottom_half - top_half) / len(levels)
        half_top = top_half + step * row
        half_bottom = half_top + step
        if ls.reached:
            fill, text_fill = HOLDS, "#ffffff"
        elif i == scored.stage:
            fill, text_fill = "#fde7c8", INK
        else:
            fill, text_fill = ABOVE, INK
        stroke = f' stroke="{GAP}" stroke-width="2.5"' if i == scored.stage and not ls.reached else ""
        points = (f"{centre - half_bottom:.1f},{y1} {centre + half_bottom:.1f},{y1} "
                  f"{centre + half_top:.1f},{y0} {centre - half_top:.1f},{y0}")
        score = _short_state(ls) if ls.score is None else str(ls.score)
        parts.append(f'<polygon points="{points}" fill="{fill}"{stroke}/>')
        parts.append(
            f'<text x="{centre}" y="{y0 + band / 2 + 5}" text-anchor="middle" font-size="15" '
            f'font-weight="600" fill="{text_fill}">{escape(ls.level.title)} \u00b7 {score}</text>'
        )
    title = (f"Data-needs pyramid: in place up to {scored.stage_level.title}" if scored.stage_level
             else "Data-needs pyramid: no level in place yet")
    if scored.next_level is not None:
        title += f"; next to build: {scored.next_level.level.title}"
    desc = "; ".join(
        f"{ls.level.title}: {ls.state.label}" + ("" if ls.score is None else f", {ls.score}/100") for ls in levels)
    return _svg(width, height, "pyramid", "pyr", title, desc, parts)


def _short_state(ls: LevelScore) -> str:
    """What a level without a score shows in a chart: implied, none yet (its questions ruled out by a
    known answer), or not known (never 0)."""
    if ls.state is LevelState.IMPLIED:
        return "implied"
    return "none yet" if ls.state is LevelState.MISSING else "not known"


def level_scores(scored: Scored, *, width: int = 440) -> Markup:
    """Horizontal bars, one per level, with the threshold drawn as a dashed line. The top level comes first,
    as in the pyramid beside it and the level table: both charts read in the same order."""
    threshold = scored.questionnaire.threshold
    # Type sizes chosen so that at a phone's width (the chart scaled to about 330 px) text is still 11 px or more;
    # the right margin leaves room for "not known" at that size.
    label_w, right_pad, bar_h, gap = 182, 92, 26, 10
    plot_w = width - label_w - right_pad
    height = len(scored.levels) * (bar_h + gap) + 30
    parts = []
    top_down = list(reversed(list(enumerate(scored.levels))))
    for row, (i, ls) in enumerate(top_down):
        y = 6 + row * (bar_h + gap)
        value = ls.score or 0
        colour = HOLDS if ls.reached else (GAP if i == scored.stage else "#8a96a3")
        parts.append(f'<text x="{label_w - 10}" y="{y + 18}" text-anchor="end" font-size="16" '
                     f'fill="{INK}">{escape(ls.level.title)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#eef1f4" rx="3"/>')
        if value:
            # A level at 0 still gets a sliver, so that "nothing yet" reads as a score, not a missing bar.
            parts.append(f'<rect x="{label_w}" y="{y}" width="{max(plot_w * value / 100, 3):.1f}" height="{bar_h}" '
                         f'fill="{colour}" rx="3"/>')
        if ls.score is not None and ls.low is not None and ls.high is not None and ls.low != ls.high:
            # The range the unknown answers leave open, as a thin line through the bar.
            x0, x1 = label_w + plot_w * ls.low / 100, label_w + plot_w * ls.high / 100
            parts.append(f'<line x1="{x0:.1f}" y1="{y + bar_h / 2}" x2="{x1:.1f}" y2="{y + bar_h / 2}" '
                         f'stroke="{INK}" stroke-width="2" stroke-opacity="0.55"/>')
        shown = _short_state(ls) if ls.score is None else str(ls.score)
        size = 16 if ls.score is not None else 15
        parts.append(f'<text x="{label_w + plot_w + 8}" y="{y + 18}" font-size="{size}" fill="{INK}">'
                     f'{shown}</text>')
    tx = label_w + plot_w * threshold / 100
    bottom = len(scored.levels) * (bar_h + gap)
    parts.append(f'<line x1="{tx:.1f}" y1="2" x2="{tx:.1f}" y2="{bottom}" stroke="{INK}" '
                 'stroke-dasharray="4 3" stroke-width="1.2"/>')
    parts.append(f'<text x="{tx:.1f}" y="{bottom + 17}" text-anchor="middle" font-size="15" '
                 f'fill="{MUTED}">threshold {threshold}</text>')
    desc = "; ".join(f"{ls.level.title}: {ls.state.label if ls.score is None else ls.score}" + (
        f" (between {ls.low} and {ls.high})" if ls.score is not None and ls.low != ls.high else "")
        for _, ls in top_down)
    return _svg(width, height, "bars", "bars", f"Score of each level out of 100 (threshold {threshold})", desc,
                parts)


LEVEL_COLOURS = ["#1d6b57", "#2f7fb5", "#7a5cb8", "#b45309", "#0891b2", "#be185d", "#4b5563"]
#: The levels from labelling up (where machine learning starts) are drawn dashed,
#: so that lines stay apart for readers who do not tell the colours apart.
DASHED_FROM = 4


def timeline(points: list[tuple[str, Scored]], *, width: int = 720) -> Markup:
    """Stage (bars) and each level's score (lines) across assessments, oldest on the left."""
    if not points:
        return Markup("")
    levels = points[0][1].levels
    left, right, top, plot_h = 44, 170, 12, 190
    height = top + plot_h + 46
    plot_w = width - left - right
    inset = 40  # keep the first and last points (and their stage bars) off the edges
    step = (plot_w - 2 * inset) / max(len(points) - 1, 1)
    xs = [left + inset + (i * step if len(points) > 1 else (plot_w - 2 * inset) / 2) for i in range(len(points))]

    def y(score: float) -> float:
        return top + plot_h * (1 - score / 100)

    parts = []
    for value in (0, 25, 50, 75, 100):
        parts.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" y2="{y(value):.1f}" '
                     f'stroke="#e3e7eb"/><text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="{MUTED}">{value}</text>')
    n_levels = len(levels)
    for x, (_, scored) in zip(xs, points, strict=True):
        bar_h = plot_h * scored.stage / n_levels
        parts.append(f'<rect x="{x - 9:.1f}" y="{top + plot_h - bar_h:.1f}" width="18" height="{bar_h:.1f}" '
                     f'fill="#d9efe7"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h - bar_h - 4:.1f}" text-anchor="middle" font-size="11" '
                     f'font-weight="700" fill="{HOLDS}">{scored.stage}</text>')
    for index, level in enumerate(levels):
        colour = LEVEL_COLOURS[index % len(LEVEL_COLOURS)]
        dash = ' stroke-dasharray="5 3"' if index >= DASHED_FROM else ""
        coords = [(x, scored.levels[index].score) for x, (_, scored) in zip(xs, points, strict=True)
                  if index < len(scored.levels) and scored.levels[index].score is not None]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y(s):.1f}" for x, s in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, s in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y(s):.1f}" r="3" fill="{colour}"/>')
        ly = top + 10 + index * 18
        parts.append(f'<line x1="{width - right + 12}" y1="{ly - 7.5}" x2="{width - right + 28}" y2="{ly - 7.5}" '
                     f'stroke="{colour}" stroke-width="3"{dash}/>'
                     f'<text x="{width - right + 32}" y="{ly - 4}" font-size="12" fill="{INK}">'
                     f'{escape(level.level.title)}</text>')
    parts.append(f'<rect x="{width - right + 14}" y="{top + 10 + n_levels * 18 - 12}" width="12" height="10" '
                 f'fill="#d9efe7"/><text x="{width - right + 32}" y="{top + 10 + n_levels * 18 - 3}" '
                 f'font-size="12" fill="{INK}">Stage (0\u2013{n_levels})</text>')
    for x, (label, _) in zip(xs, points, strict=True):
        short = label if len(label) <= 22 else label[:21] + "\u2026"
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="11" '
                     f'fill="{INK}">{escape(short)}</text>')
    desc = "; ".join(f"{label}: stage {s.stage}" for label, s in points)
    return _svg(width, height, "timeline", "tl", "Stage and level scores over time", desc, parts)


@dataclass(frozen=True)
class _Named:
    id: str
    title: str


@dataclass(frozen=True)
class _LevelPoint:
    level: _Named
    score: int | None


@dataclass(frozen=True)
class _Point:
    stage: int
    levels: tuple[_LevelPoint, ...]


def timeline_of(points: list[tuple[str, Mapping[str, Any]]], *, width: int = 720) -> Markup:
    """The timeline from recorded summaries (app/services/outcomes.summarise): nothing is scored."""
    return timeline([(name, _Point(summary.get("stage") or 0, tuple(  # type: ignore[misc]
        _LevelPoint(_Named(lv["id"], lv["title"]), lv["score"]) for lv in summary.get("levels", []))))
        for name, summary in points], width=width)


def level_comparison(levels: list[tuple[str, int | None, int | None]], *, width: int = 560) -> Markup:
    """Before and after bars for each level (given bottom level first), drawn top level first like the
    pyramid."""
    levels = list(reversed(levels))
    label_w, right_pad, bar_h, pair_gap = 160, 50, 11, 12
    plot_w = width - label_w - right_pad
    height = len(levels) * (2 * bar_h + pair_gap) + 34
    parts = []
    for i, (title, before, after) in enumerate(levels):
        y0 = 6 + i * (2 * bar_h + pair_gap)
        parts.append(f'<text x="{label_w - 10}" y="{y0 + bar_h + 4}" text-anchor="end" font-size="13" '
                     f'fill="{INK}">{escape(title)}</text>')
        for j, (value, colour) in enumerate(((before, "#9aa5b1"), (after, HOLDS))):
            y = y0 + j * bar_h
            parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h - 1}" fill="#eef1f4"/>')
            if value:
                parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w * value / 100:.1f}" height="{bar_h - 1}" '
                             f'fill="{colour}"/>')
            parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + bar_h - 2}" font-size="11" fill="{INK}">'
                         f'{"?" if value is None else value}</text>')
    ly = len(levels) * (2 * bar_h + pair_gap) + 16
    parts.append(f'<rect x="{label_w}" y="{ly - 9}" width="12" height="10" fill="#9aa5b1"/>'
                 f'<text x="{label_w + 18}" y="{ly}" font-size="12" fill="{INK}">before</text>'
                 f'<rect x="{label_w + 80}" y="{ly - 9}" width="12" height="10" fill="{HOLDS}"/>'
                 f'<text x="{label_w + 98}" y="{ly}" font-size="12" fill="{INK}">after</text>')
    desc = "; ".join(f"{t}: {b} to {a}" for t, b, a in levels)
    return _svg(width, height, "comparison", "cmp", "Level scores before and after", desc, parts)
