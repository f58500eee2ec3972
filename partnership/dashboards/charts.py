"""Chart figures for the dashboards (pure: plain values in, plotly JSON or SVG text out).

Plotly figures are dicts ``{"id", "data", "layout"}`` that static/js/dashboards_charts.js
hands to ``Plotly.newPlot``; the page embeds them in a JSON data block (CSP: no inline
script). Every chart sits beside a table or a sentence that says the same thing.
Colours meet WCAG 1.4.11 non-text contrast on white; lines also differ by dash and marker.
"""

from __future__ import annotations

from collections.abc import Sequence

LA_COLOUR = "#003a70"
NATIONAL_COLOUR = "#505a5f"
NEIGHBOURS_COLOUR = "#8a4b00"
OTHER_LAS_COLOUR = "#8c9196"
FONT = {"family": "system-ui, Arial, sans-serif", "size": 14, "color": "#0b0c0c"}


def _layout(**extra) -> dict:
    layout = {
        "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
        "height": 300,
        "font": FONT,
        "legend": {"orientation": "h", "y": -0.25},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    layout.update(extra)
    return layout


def _england_line(layout: dict, national: float | None, *, axis: str) -> None:
    """England's value as a dashed line across the plot, labelled "England": on the ``axis``
    the values are read from ("y": a level line, labelled at its right end; "x": an upright
    line, labelled at its top). Nothing where England has no value."""
    if national is None:
        return
    across = "x" if axis == "y" else "y"
    layout["shapes"].append(
        {
            "type": "line",
            f"{across}ref": "paper",
            f"{across}0": 0,
            f"{across}1": 1,
            f"{axis}0": national,
            f"{axis}1": national,
            "line": {"color": NATIONAL_COLOUR, "dash": "dash", "width": 2},
        }
    )
    label = {f"{across}ref": "paper", across: 1, axis: national}
    if axis == "y":
        label["xanchor"] = "right"
    layout["annotations"].append(
        label | {"yanchor": "bottom", "text": "England", "showarrow": False}
    )


def trend_chart(
    chart_id: str,
    *,
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[float | None]]],
    unit_label: str,
) -> dict:
    """LA vs national vs statistical neighbours over the years (first series is the LA)."""
    styles = [
        {"color": LA_COLOUR, "width": 3, "dash": "solid"},
        {"color": NATIONAL_COLOUR, "width": 2, "dash": "dash"},
        {"color": NEIGHBOURS_COLOUR, "width": 2, "dash": "dot"},
    ]
    markers = ["circle", "square", "diamond"]
    data = []
    for i, (name, values) in enumerate(series):
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [str(y) for y in years],
                "y": list(values),
                "line": styles[i % len(styles)],
                "marker": {"symbol": markers[i % len(markers)], "size": 8},
                "connectgaps": False,
                "hovertemplate": f"{name} %{{x}}: %{{y}}<extra></extra>",
            }
        )
    return {
        "id": chart_id,
        "data": data,
        "layout": _layout(
            xaxis={"title": {"text": "Year"}, "type": "category"},
            yaxis={"title": {"text": unit_label}, "zeroline": True},
        ),
    }


def gap_chart(
    chart_id: str, *, labels: Sequence[str], la_name: str, la: Sequence, national: Sequence
) -> dict:
    """Group gaps (group minus comparator) for the LA beside the same gaps nationally."""
    return {
        "id": chart_id,
        "data": [
            {
                "type": "bar",
                "name": la_name,
                "x": list(labels),
                "y": list(la),
                "marker": {"color": LA_COLOUR},
                "hovertemplate": f"{la_name}: %{{y}}<extra>%{{x}}</extra>",
            },
            {
                "type": "bar",
                "name": "England",
                "x": list(labels),
                "y": list(national),
                "marker": {
                    "color": "#ffffff",
                    "line": {"color": NATIONAL_COLOUR, "width": 2},
                    "pattern": {"shape": "/", "fgcolor": NATIONAL_COLOUR},
                },
                "hovertemplate": "England: %{y}<extra>%{x}</extra>",
            },
        ],
        "layout": _layout(
            barmode="group",
            yaxis={"title": {"text": "Gap"}, "zeroline": True, "zerolinewidth": 2},
        ),
    }


def ranked_chart(
    chart_id: str,
    *,
    names: Sequence[str],
    values: Sequence[float],
    highlight: str,
    national: float | None,
    unit_label: str,
) -> dict:
    """Every LA's value, best to worst, with one LA highlighted and labelled."""
    colours = [LA_COLOUR if n == highlight else OTHER_LAS_COLOUR for n in names]
    positions = list(range(1, len(names) + 1))
    layout = _layout(
        showlegend=False,
        bargap=0.1,
        xaxis={"title": {"text": "Local authorities, best first"}, "showticklabels": False},
        yaxis={"title": {"text": unit_label}},
        annotations=[],
        shapes=[],
    )
    if highlight in names:
        i = list(names).index(highlight)
        layout["annotations"].append(
            {
                "x": positions[i],
                "y": values[i],
                "text": f"{highlight} ({i + 1} of {len(names)})",
                "showarrow": True,
                "arrowhead": 2,
                "ax": 0,
                "ay": -40,
                "bgcolor": "#ffffff",
                "bordercolor": LA_COLOUR,
            }
        )
    _england_line(layout, national, axis="y")
    return {
        "id": chart_id,
        "data": [
            {
                "type": "bar",
                "x": positions,
                "y": list(values),
                "text": list(names),
                "marker": {"color": colours},
                "hovertemplate": "%{text}: %{y}<extra>%{x}</extra>",
            }
        ],
        "layout": layout,
    }


def count_chart(chart_id: str, *, labels: Sequence[str], series: dict[str, Sequence[int]]) -> dict:
    """Grouped horizontal bars of counts (e.g. schools by 3Ms category: suggested, decided)."""
    colours = [LA_COLOUR, NEIGHBOURS_COLOUR, NATIONAL_COLOUR]
    most = max((max(c, default=0) for c in series.values()), default=0)
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": list(labels),
            "x": list(counts),
            "marker": {"color": colours[i % len(colours)]},
            "hovertemplate": f"{name}: %{{x}} schools<extra>%{{y}}</extra>",
        }
        for i, (name, counts) in enumerate(series.items())
    ]
    return {
        "id": chart_id,
        "data": data,
        "layout": _layout(
            barmode="group",
            height=80 + 60 * max(len(labels), 1),
            margin={"l": 160, "r": 20, "t": 10, "b": 50},
            xaxis={
                "title": {"text": "Schools"},
                "rangemode": "tozero",
                "tickformat": "d",
                "dtick": 1 if most <= 10 else None,
            },
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


def compare_chart(
    chart_id: str,
    *,
    names: Sequence[str],
    values: Sequence[float | None],
    national: float | None,
    unit_label: str,
) -> dict:
    """Chosen schools side by side on one measure (horizontal bars, in the order chosen),
    with England's figure as a dashed line. A school without a figure has no bar."""
    layout = _layout(
        showlegend=False,
        height=80 + 50 * max(len(names), 1),
        margin={"l": 200, "r": 20, "t": 10, "b": 50},
        xaxis={"title": {"text": unit_label}, "zeroline": True},
        yaxis={"autorange": "reversed", "automargin": True},
        shapes=[],
        annotations=[],
    )
    _england_line(layout, national, axis="x")
    return {
        "id": chart_id,
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": list(names),
                "x": list(values),
                "marker": {"color": LA_COLOUR},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": layout,
    }


def sparkline_points(
    values: Sequence[float | None], *, width: int = 90, height: int = 24, pad: int = 3
) -> list[tuple[float, float]]:
    """SVG coordinates of a three-year sparkline (missing years are left out)."""
    known = [v for v in values if v is not None]
    if not known:
        return []
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = []
    for i, v in enumerate(values):
        if v is None:
            continue
        y = height - pad - (v - low) / span * (height - 2 * pad) if high != low else height / 2
        points.append((round(pad + i * step, 1), round(y, 1)))
    return points


def sparkline_svg_points(values: Sequence[float | None], **size) -> str:
    return " ".join(f"{x},{y}" for x, y in sparkline_points(values, **size))
