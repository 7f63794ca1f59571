from storywire.copies.align import align

from copies_corpus import COPY, INDEPENDENT, ORIGINAL, UNRELATED


def _check_offsets(a, b, al):
    for e in al.edits:
        assert a[e.a_start : e.a_end] == e.a
        assert b[e.b_start : e.b_end] == e.b
    for p in al.passages:
        assert len(a[p.a_start : p.a_end].split()) == len(b[p.b_start : p.b_end].split())


def test_identical_texts_have_no_edits():
    al = align(ORIGINAL, ORIGINAL)
    assert al.edits == []
    assert al.containment_ab == al.containment_ba == 1.0
    assert len(al.passages) == 1


def test_whitespace_case_and_quote_style_are_not_edits():
    b = ORIGINAL.replace("\n\n", "\n").replace('"', "“", 1).replace('," Korvak', ',” Korvak').upper()
    al = align(ORIGINAL, b)
    assert al.edits == []
    assert al.containment_ab == 1.0


def test_copy_edits_with_offsets():
    al = align(ORIGINAL, COPY)
    _check_offsets(ORIGINAL, COPY, al)
    ops = {(e.op, e.a, e.b, e.kind) for e in al.edits}
    assert ("replace", "close", "shut", None) in ops
    assert ("replace", "Korvak", "Korvac", None) in ops
    assert ("insert", "", "and more", None) in ops
    assert ("replace", "closure", "‘closure’", "quote") in ops
    inserted = [e for e in al.edits if e.op == "insert" and "inquiry" in e.b]
    assert inserted and inserted[0].kind is None
    # The insert point in A is right after the word the insertion follows.
    more = next(e for e in al.edits if e.b == "and more")
    assert ORIGINAL[: more.a_start].endswith("2,400 jobs")


def test_edge_boilerplate_is_marked_and_not_counted():
    al = align(ORIGINAL, COPY)
    boiler = sorted(e.b for e in al.edits if e.kind == "boilerplate")
    assert boiler == ["All rights reserved", "Coastal Wire"]
    assert al.containment_ab > 0.95
    # "Coastal Wire" and "All rights reserved" (5 words) are left out of B's count.
    assert al.containment_ba == al.shared_b / (al.words_b - 5)


def test_moved_paragraph_is_a_move_not_delete_and_insert():
    paras = ORIGINAL.split("\n\n")
    moved = "\n\n".join([paras[0], paras[3], paras[1], paras[2], paras[4]])
    al = align(ORIGINAL, moved)
    assert [e.op for e in al.edits] == ["move"]
    assert al.edits[0].a == paras[3].rstrip(".")
    assert al.containment_ab == al.containment_ba == 1.0


def test_independent_and_unrelated_texts_share_little():
    for other in (INDEPENDENT, UNRELATED):
        al = align(ORIGINAL, other)
        assert max(al.containment_ab, al.containment_ba) < 0.15
        _check_offsets(ORIGINAL, other, al)


def test_other_scripts_align_by_word():
    zh_a = "今天上午市政府宣布北部码头将关闭六周以便修复混凝土支柱上的裂缝。"
    zh_b = "今天上午市政府宣布北部码头将关闭八周以便修复混凝土支柱上的裂缝。"
    al = align(zh_a, zh_b)
    assert [(e.op, e.a, e.b) for e in al.edits] == [("replace", "六", "八")]
    ru_a = "Министр обороны заявил в четверг, что переговоры продолжатся на следующей неделе в столице."
    ru_b = "Министр обороны заявил в пятницу, что переговоры продолжатся на следующей неделе в столице."
    assert [(e.op, e.a, e.b) for e in align(ru_a, ru_b).edits] == [("replace", "четверг", "пятницу")]
    ar_a = "قال وزير الخارجية إن المحادثات ستستمر الأسبوع المقبل في العاصمة بحضور الوفود كلها"
    ar_b = "قال وزير الخارجية إن المحادثات ستستمر الشهر المقبل في العاصمة بحضور الوفود كلها"
    assert [(e.op, e.a, e.b) for e in align(ar_a, ar_b).edits] == [("replace", "الأسبوع", "الشهر")]


def test_empty_texts():
    al = align("", ORIGINAL)
    assert al.containment_ab == 0.0 and al.containment_ba == 0.0
    assert align("", "").edits == []
