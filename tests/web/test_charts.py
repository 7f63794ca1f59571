"""Geometry of the timeline and the copy graph."""

from __future__ import annotations

from storywire.web.charts import copy_graph_chart, timeline_chart


def test_timeline_orders_dots_by_time_and_sets_undated_apart():
    chart = timeline_chart([
        {"outlet": "Wire", "articles": [{"id": "a", "published": "2025-01-01T00:00:00Z", "title": None, "language": "en"},
                                        {"id": "b", "published": "2025-01-03", "title": "B", "language": "en"}]},
        {"outlet": "Echo", "articles": [{"id": "c", "published": "2025-01-02T00:00:00+00:00", "title": "C", "language": "fr"},
                                        {"id": "d", "published": None, "title": "D", "language": None}]},
    ])
    x = {d["id"]: d["x"] for lane in chart["lanes"] for d in lane["dots"]}
    assert x["a"] < x["c"] < x["b"] < x["d"] == chart["undated_x"]
    assert chart["has_undated"] and chart["ticks"][0]["label"] == "2025-01-01 00:00"
    assert chart["lanes"][0]["y"] < chart["lanes"][1]["y"]


def test_copy_graph_puts_originals_left_and_copies_right():
    graph = {"nodes": [{"id": "o", "outlet": "Wire", "is_origin": 1, "published": "2025-01-01"},
                       {"id": "c1", "outlet": "Echo", "published": "2025-01-02"},
                       {"id": "c2", "outlet": "Post", "published": "2025-01-03"}],
             "edges": [{"source": "o", "copy": "c1", "verdict": "copy", "score": 0.9, "directed": True},
                       {"source": "c1", "copy": "c2", "verdict": "partial", "score": 0.5, "directed": True}]}
    chart = copy_graph_chart(graph)
    x = {n["id"]: n["x"] for n in chart["nodes"]}
    assert x["o"] < x["c1"] < x["c2"]
    first = chart["edges"][0]
    assert first["x1"] == x["o"] and first["x2"] < x["c1"]  # the arrow stops at the circle's edge
    assert chart["width"] > x["c2"]


def test_copy_graph_survives_a_cycle():
    graph = {"nodes": [{"id": "a"}, {"id": "b"}],
             "edges": [{"source": "a", "copy": "b", "verdict": "copy", "score": 1, "directed": True},
                       {"source": "b", "copy": "a", "verdict": "copy", "score": 1, "directed": True}]}
    assert len(copy_graph_chart(graph)["nodes"]) == 2
