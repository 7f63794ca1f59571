"""The cycle collector paused around one batch of a stage."""

from __future__ import annotations


def test_young_collections_pause_the_collector_and_free_cycles_made_meanwhile():
    import gc
    import weakref

    from storywire.engine import young_collections

    class Node:
        pass

    was = gc.isenabled()
    gc.enable()
    try:
        with young_collections():
            assert not gc.isenabled()
            node = Node()
            node.self = node  # a cycle: only the collector frees it
            alive = weakref.ref(node)
            del node
        assert gc.isenabled() and alive() is None
        gc.disable()
        with young_collections():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable() if was else gc.disable()
