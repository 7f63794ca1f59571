from storywire.copies.index import BANDS, BandIndex, text_keys

from copies_corpus import COPY, INDEPENDENT, ORIGINAL, PARTIAL, UNRELATED

# Invented news-like texts in three scripts, and a light edit of each.
TEXTS = {
    "ar": "أعلن وزير الصحة يوم الأحد أن المستشفى الجديد في المدينة الساحلية سيفتح أبوابه في الربيع المقبل بعد تأخير دام عامين بسبب نقص التمويل وأضاف أن المبنى سيضم ثلاثمئة سرير وقسما للطوارئ يعمل طوال الليل",
    "zh": "交通部门周日表示，连接两座城市的新铁路将于明年春天通车，比原计划推迟两年。官员说，新线路每天可运送三万名乘客，并将把旅行时间缩短一半。",
    "ru": "Городские власти в воскресенье объявили, что новый мост через реку откроют весной следующего года, на два года позже плана. По словам чиновников, мост выдержит сорок тысяч машин в день и сократит дорогу до центра вдвое.",
}
EDITED = {
    "ar": TEXTS["ar"].replace("الأحد", "السبت"),
    "zh": TEXTS["zh"].replace("周日", "周六"),
    "ru": TEXTS["ru"].replace("воскресенье", "субботу"),
}


def test_keys_are_deterministic_one_per_band():
    keys = text_keys(ORIGINAL)
    assert len(keys) == BANDS
    assert keys == text_keys(ORIGINAL)
    assert all(0 <= k < 2**63 for k in keys)
    assert text_keys("") == [] and text_keys("  ...  ") == []


def test_copies_are_candidates_and_unrelated_texts_are_not():
    index = BandIndex()
    for name, text in {"original": ORIGINAL, "unrelated": UNRELATED, "independent": INDEPENDENT}.items():
        index.add(name, text_keys(text))
    assert "original" in index.query(text_keys(COPY))
    assert "unrelated" not in index.query(text_keys(COPY))
    assert "original" in index.query(text_keys(PARTIAL))


def test_texts_in_other_scripts_are_not_all_candidates_of_each_other():
    index = BandIndex()
    for lang, text in TEXTS.items():
        index.add(lang, text_keys(text))
    for lang, text in EDITED.items():
        assert set(index.query(text_keys(text))) == {lang}
