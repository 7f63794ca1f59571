import json
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storywire.errors import NotFound
from storywire.pipeline import run_analysis
from storywire.workflow.alerts import deliver_webhooks, list_alerts, mark_seen, match_passage
from storywire.workflow.feeds import ATOM_NS, atom_for, json_for
from storywire.workflow.follows import FollowError, follow, list_follows, unfollow
from storywire.workflow.stage import STAGE

ORIGINAL = (
    "Storms closed the northern pass on Tuesday.\n\n"
    "The regional council said the road would stay shut until engineers had inspected every bridge "
    "along the valley, a process expected to last at least ten days.\n\n"
    "Residents were told to stock up on fuel."
)
PASSAGE = ("The regional council said the road would stay shut until engineers had inspected every bridge "
           "along the valley, a process expected to last at least ten days.")
COPY_WITH_EDITS = (
    "Valley News — Travel warning.\n\n"
    "The regional authority said the road will stay shut until engineers have inspected every bridge "
    "along the valley, a process expected to last at least ten days, officials added.\n\n"
    "Schools in the area reopened."
)
UNRELATED = "The council approved a new budget for the library, which will open longer hours in spring."


def analyse(store):
    return run_analysis(store, [STAGE])["workflow"]


def test_followed_passage_alerts_once_on_an_edited_copy(store, helpers):
    helpers.add_article(store, "orig", ORIGINAL, outlet="Northern Post")
    analyse(store)
    fid = follow(store, "passage", PASSAGE, article_id="orig")
    helpers.add_article(store, "other", UNRELATED, outlet="Town Hall")
    helpers.add_article(store, "copy", COPY_WITH_EDITS, outlet="Valley News")
    assert analyse(store)["alerts"] == 1
    alerts = list_alerts(store)
    assert [(a["kind"], a["article_id"], a["follow_id"]) for a in alerts] == [("passage_copy", "copy", fid)]
    excerpt = alerts[0]["data"]["excerpt"]
    assert excerpt.startswith("The regional authority") and "ten days" in excerpt
    changes = {(e["a"], e["b"]) for e in alerts[0]["data"]["edits"]}
    assert ("council", "authority") in changes and ("would", "will") in changes
    # Re-analysing the same articles records nothing twice.
    store.reset_stage("workflow")
    assert analyse(store)["alerts"] == 0
    assert len(list_alerts(store)) == 1


def test_match_passage_locates_the_copy_and_ignores_topic_neighbours():
    m = match_passage(PASSAGE, COPY_WITH_EDITS)
    assert m is not None and 0.6 <= m.share < 1
    assert COPY_WITH_EDITS[m.start : m.end].startswith("authority said the road will stay shut")
    assert COPY_WITH_EDITS[m.start : m.end].endswith("ten days")
    assert match_passage(PASSAGE, UNRELATED) is None
    assert match_passage(PASSAGE, ORIGINAL).share == 1.0


def test_story_outlet_actor_and_figure_follows(store, helpers):
    helpers.add_article(store, "s1a", "Floods hit the delta; 12 people died.", outlet="Delta Daily")
    helpers.add_story(store, "st", ["s1a"], title="Delta floods")
    helpers.add_figure(store, "s1a", "killed", 12, "12 people died")
    helpers.add_actor(store, "mayor", "Lina Ortez", [("s1a", "Lina Ortez")])
    analyse(store)
    f_story = follow(store, "story", "st")
    f_outlet = follow(store, "outlet", "delta daily")
    f_actor = follow(store, "actor", "mayor")
    assert follow(store, "story", "st") == f_story  # following twice is one follow

    helpers.add_article(store, "s1b", "The delta death toll rose to 15, the mayor said.", outlet="River Times")
    helpers.add_story(store, "st", ["s1a", "s1b"])
    helpers.add_figure(store, "s1b", "killed", 15, "toll rose to 15")
    helpers.add_quote(store, "s1b", "mayor", "Lina Ortez", "We need boats")
    helpers.add_article(store, "dd2", "Markets in the capital were calm.", outlet="Delta Daily")
    stats = analyse(store)
    kinds = sorted((a["follow_id"], a["kind"], a["article_id"]) for a in list_alerts(store))
    assert kinds == sorted([
        (f_story, "new_article", "s1b"), (f_story, "figure_changed", "s1b"),
        (f_outlet, "new_article", "dd2"), (f_actor, "quote", "s1b"),
    ])
    assert stats["alerts"] == 4
    figure = next(a for a in list_alerts(store) if a["kind"] == "figure_changed")
    assert figure["data"]["before"] == [12] and figure["data"]["value"] == 15
    assert mark_seen(store) == 4 and list_alerts(store, unseen=True) == []
    counts = {f["id"]: (f["alerts"], f["unseen"]) for f in list_follows(store)}
    assert counts[f_story] == (2, 0)


def test_follow_merged_story_follows_the_merge(store, helpers):
    helpers.add_article(store, "x1", "First report of the fire at the port warehouse.")
    helpers.add_story(store, "old", ["x1"])
    analyse(store)
    fid = follow(store, "story", "old")
    with store.transaction() as c:
        c.execute("UPDATE stories SET status = 'merged', merged_into = 'new' WHERE id = 'old'")
    helpers.add_article(store, "x2", "Second report of the fire at the port warehouse.")
    helpers.add_story(store, "new", ["x1", "x2"])
    analyse(store)
    assert [a["article_id"] for a in list_alerts(store, follow_id=fid)] == ["x2"]


def test_follow_errors_have_hints(store):
    with pytest.raises(FollowError):
        follow(store, "planet", "Mars")
    with pytest.raises(FollowError) as err:
        follow(store, "passage", "too short")
    assert err.value.hint
    with pytest.raises(NotFound):
        follow(store, "story", "nope")
    with pytest.raises(FollowError):
        follow(store, "outlet", "X", webhook="javascript:alert(1)")
    fid = follow(store, "outlet", "X")
    unfollow(store, fid)
    assert list_follows(store) == []


def test_atom_and_json_escape_hostile_text(store, helpers):
    hostile = '<script>alert("x")</script> & \x00 ]]> bad'
    helpers.add_article(store, "h1", "Body text about the harbour strike and its causes.", outlet=hostile,
                        title=hostile, url="javascript:alert(1)")
    fid = follow(store, "outlet", hostile)
    analyse(store)
    doc = atom_for(store, fid, base_url="http://127.0.0.1:8000")
    root = ET.fromstring(doc.encode("utf-8"))  # well-formed XML
    entries = root.findall(f"{{{ATOM_NS}}}entry")
    assert len(entries) == 1
    title = entries[0].find(f"{{{ATOM_NS}}}title").text
    assert '<script>alert("x")</script>' in title and "\x00" not in title
    assert entries[0].find(f"{{{ATOM_NS}}}link") is None  # javascript: URLs are never linked
    assert "<script>" not in doc
    data = json_for(store, fid)
    assert data["follow"]["kind"] == "outlet" and data["alerts"][0]["article_id"] == "h1"
    json.dumps(data)


class _Hook(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_gets_each_alert_once_and_failures_retry(store, helpers):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/hook"
        follow(store, "outlet", "Wire", webhook=url)
        _Hook.received, _Hook.status = [], 500
        helpers.add_article(store, "w1", "Wire copy about the grain harvest and prices.", outlet="Wire")
        assert analyse(store)["failed"] == 1
        _Hook.status = 200
        assert deliver_webhooks(store) == {"delivered": 1, "failed": 0}
        assert deliver_webhooks(store) == {"delivered": 0, "failed": 0}
        assert [b["article_id"] for b in _Hook.received] == ["w1", "w1"]
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_webhook_does_not_stop_the_stage(store, helpers):
    follow(store, "outlet", "Wire", webhook="http://127.0.0.1:9/none")
    helpers.add_article(store, "w1", "Wire copy about the grain harvest and prices.", outlet="Wire")
    stats = analyse(store)
    assert stats["alerts"] == 1 and stats["failed"] == 1
    assert store.pending("workflow") == []
    for _ in range(10):
        deliver_webhooks(store, timeout=0.5)
    assert store.query("SELECT attempts FROM alerts")[0][0] == 5  # then it stops trying
