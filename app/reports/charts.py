"""SVG charts drawn on the server, shared by the result page and the PDF.

Plain SVG strings (no JavaScript, no external fonts or images) so that the
same markup renders in a browser and in WeasyPrint. Every text is escaped.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from assessments.scoring import Scored

HOLDS = "#1d6b57"
GAP = "#b45309"
ABOVE = "#cfd6dd"
INK = "#1b2430"
MUTED = "#5b6573"


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
        score = "?" if ls.score is None else str(ls.score)
        parts.append(f'<polygon points="{points}" fill="{fill}"{stroke}/>')
        parts.append(
            f'<text x="{centre}" y="{y0 + band / 2 + 5}" text-anchor="middle" font-size="14" '
            f'font-weight="600" fill="{text_fill}">{escape(ls.level.title)} \u00b7 {score}</text>'
        )
    stage = scored.stage_level.title if scored.stage_level else "no level yet"
    desc = "; ".join(
        f"{ls.level.title} {'?' if ls.score is None else ls.score}/100 "
        f"{'holds' if ls.reached else 'does not hold'}" for ls in levels)
    return Markup(  # noqa: S704 - every interpolated text above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="pyr-title pyr-desc" class="chart pyramid" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">'
        f'<title id="pyr-title">Data-needs pyramid: the organisation holds up to {escape(stage)}</title>'
        f'<desc id="pyr-desc">{escape(desc)}</desc>'
        + "".join(parts) + "</svg>"
    )


def level_scores(scored: Scored, *, width: int = 440) -> Markup:
    """Horizontal bars, one per level, with the threshold drawn as a dashed line."""
    threshold = scored.questionnaire.threshold
    label_w, right_pad, bar_h, gap = 172, 44, 26, 10
    plot_w = width - label_w - right_pad
    height = len(scored.levels) * (bar_h + gap) + 30
    parts = []
    for i, ls in enumerate(scored.levels):
        y = 6 + i * (bar_h + gap)
        value = ls.score or 0
        colour = HOLDS if ls.reached else (GAP if i == scored.stage else "#8a96a3")
        parts.append(f'<text x="{label_w - 10}" y="{y + 18}" text-anchor="end" font-size="15" '
                     f'fill="{INK}">{escape(ls.level.title)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#eef1f4" rx="3"/>')
        if value:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w * value / 100:.1f}" height="{bar_h}" '
                         f'fill="{colour}" rx="3"/>')
        shown = "?" if ls.score is None else str(ls.score)
        parts.append(f'<text x="{label_w + plot_w + 8}" y="{y + 18}" font-size="15" fill="{INK}">'
                     f'{shown}</text>')
    tx = label_w + plot_w * threshold / 100
    bottom = len(scored.levels) * (bar_h + gap)
    parts.append(f'<line x1="{tx:.1f}" y1="2" x2="{tx:.1f}" y2="{bottom}" stroke="{INK}" '
                 'stroke-dasharray="4 3" stroke-width="1.2"/>')
    parts.append(f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="14" '
                 f'fill="{MUTED}">threshold {threshold}</text>')
    desc = "; ".join(f"{ls.level.title}: {'unknown' if ls.score is None else ls.score}" for ls in scored.levels)
    return Markup(  # noqa: S704 - every interpolated text above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="bars-title bars-desc" class="chart bars" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">'
        f'<title id="bars-title">Score of each level out of 100 (threshold {threshold})</title>'
        f'<desc id="bars-desc">{escape(desc)}</desc>'
        + "".join(parts) + "</svg>"
    )
