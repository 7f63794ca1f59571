from storywire.text import fold, sentences, shingles, words


def test_words_every_script():
    assert words("Привет, мир") == ["привет", "мир"]
    assert words("مرحبا بالعالم") == ["مرحبا", "بالعالم"]
    assert words("北京abc") == ["北", "京", "abc"]
    assert words("L’homme") == ["l'homme"]


def test_shingles_distinguish_non_latin_texts():
    a = shingles("Москва заявила о новых переговорах с Киевом на следующей неделе", 3)
    b = shingles("Пекин объявил о рекордном урожае риса в южных провинциях страны", 3)
    assert a and b and not (a & b)
    assert shingles("中国国家主席访问法国", 3) != shingles("日本首相会见美国总统", 3)


def test_sentences_respect_abbreviations_and_quotes():
    text = 'He said: "Stop it." Then U.S. Gen. Smith left.\n\nNew paragraph? Yes! 他说。好。'
    assert sentences(text) == ['He said: "Stop it."', "Then U.S. Gen. Smith left.", "New paragraph?", "Yes!", "他说。", "好。"]


def test_fold_strips_diacritics():
    assert fold("Fayçal Ministère") == "faycal ministere"
