"""Geometry of the story page's two pictures, drawn as inline SVG by the templates.

* the timeline: one lane per outlet, one dot per article at its publication time;
* the copy graph: articles as nodes in columns by copy depth (originals left),
  arrows from source to copy.

Only numbers and ids are computed here; the templates escape every label.
"""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timezone
from typing import Any

LANE_HEIGHT = 28
LABEL_WIDTH = 170
PLOT_LEFT = LABEL_WIDTH + 16
PLOT_WIDTH = 640
MARGIN = 12
TICKS = 5


def _when(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        value = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def timeline_chart(lanes: list[dict[str, Any]]) -> dict[str, Any]:
    """Dots per outlet lane; undated articles go in a column at the right end."""
    times = [t for lane in lanes for a in lane["articles"] if (t := _when(a["published"]))]
    start, end = (min(times), max(times)) if times else (None, None)
    span = (end - start).total_seconds() if times else 0
    undated_x = PLOT_LEFT + PLOT_WIDTH + 40
    out_lanes = []
    for i, lane in enumerate(lanes):
        y = MARGIN + i * LANE_HEIGHT + LANE_HEIGHT // 2
        dots = []
        for a in lane["articles"]:
            t = _when(a["published"])
            if t is None:
                x = undated_x
            elif span == 0:
                x = PLOT_LEFT + PLOT_WIDTH // 2
            else:
                x = PLOT_LEFT + round((t - start).total_seconds() / span * PLOT_WIDTH)
            dots.append({"x": x, "y": y, "id": a["id"], "title": a["title"] or a["id"],
                         "published": a["published"] or "undated", "language": a["language"]})
        out_lanes.append({"outlet": lane["outlet"], "y": y, "dots": dots})
    height = MARGIN * 2 + len(lanes) * LANE_HEIGHT + 20
    ticks = []
    if times:
        for k in range(TICKS if span else 1):
            frac = k / (TICKS - 1) if span else 0.5
            moment = start + (end - start) * frac
            ticks.append({"x": PLOT_LEFT + round(frac * PLOT_WIDTH),
                          "label": moment.strftime("%Y-%m-%d %H:%M" if span < 3 * 86400 else "%Y-%m-%d")})
    return {"width": undated_x + 40, "height": height, "axis_y": height - 22, "lanes": out_lanes,
            "line_from": LABEL_WIDTH, "line_to": PLOT_LEFT + PLOT_WIDTH + 10,
            "ticks": ticks, "undated_x": undated_x,
            "has_undated": any(d["x"] == undated_x for lane in out_lanes for d in lane["dots"])}


COLUMN_WIDTH = 220
ROW_HEIGHT = 56
NODE_RADIUS = 9


def copy_graph_chart(graph: dict[str, Any]) -> dict[str, Any]:
    """Nodes in columns by distance from an original; edges as lines with arrows."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    children: dict[str, list[str]] = defaultdict(list)
    has_source = set()
    for e in graph["edges"]:
        children[e["source"]].append(e["copy"])
        has_source.add(e["copy"])
    roots = sorted((i for i in nodes if i not in has_source or nodes[i].get("is_origin")),
                   key=lambda i: (not nodes[i].get("is_origin"), nodes[i].get("published") or "", i))
    depth: dict[str, int] = {}
    queue = deque((r, 0) for r in roots)
    while queue:
        node, d = queue.popleft()
        if node in depth:
            continue
        depth[node] = d
        queue.extend((c, d + 1) for c in sorted(children[node]))
    for i in sorted(nodes):  # nodes only reachable through a cycle
        depth.setdefault(i, 0)
    columns: dict[int, list[str]] = defaultdict(list)
    for i in sorted(nodes, key=lambda i: (nodes[i].get("published") or "", i)):
        columns[depth[i]].append(i)
    pos = {}
    for d, ids in columns.items():
        for row, i in enumerate(ids):
            pos[i] = (MARGIN + 60 + d * COLUMN_WIDTH, MARGIN + 20 + row * ROW_HEIGHT)
    out_nodes = [{"id": i, "x": pos[i][0], "y": pos[i][1], "outlet": nodes[i].get("outlet") or i,
                  "title": nodes[i].get("title") or i, "origin": bool(nodes[i].get("is_origin")),
                  "language": nodes[i].get("language")} for i in nodes]
    out_edges = []
    for e in graph["edges"]:
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["copy"]]
        # Stop the line at the target circle's edge so the arrowhead stays visible.
        dx, dy = x2 - x1, y2 - y1
        length = max((dx * dx + dy * dy) ** 0.5, 1)
        out_edges.append({**e, "x1": x1, "y1": y1, "x2": round(x2 - dx / length * (NODE_RADIUS + 3)),
                          "y2": round(y2 - dy / length * (NODE_RADIUS + 3))})
    rows = max((len(v) for v in columns.values()), default=0)
    return {"width": MARGIN * 2 + 120 + max(columns, default=0) * COLUMN_WIDTH + 100,
            "height": MARGIN * 2 + 40 + rows * ROW_HEIGHT, "nodes": out_nodes, "edges": out_edges,
            "radius": NODE_RADIUS}
