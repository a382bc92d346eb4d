"""Folding: what a transcript has no opinion about does not stop a match, and every folded
match maps back to the exact source span."""

from assistant.folding import fold, words


def test_case_quotes_dashes_and_spaces_fold_alike():
    """Curly and straight quotes, dashes and runs of white space fold to one form."""
    a = fold("We’re “not”  done\u2014yet")
    b = fold('we\'re "NOT" done-yet')
    assert a.text == b.text == 'we\'re "not" done-yet'


def test_offsets_map_back_to_the_source():
    """A span found in the folded text is the same words in the source."""
    source = "Chair  Powell said: “Inflation is  transitory.”"
    folded = fold(source)
    start = folded.text.index("inflation is transitory")
    s, e = folded.span(start, start + len("inflation is transitory"))
    assert source[s:e] == "Inflation is  transitory"


def test_a_word_broken_across_a_line_is_joined():
    """A hyphen at a line break between letters is layout, not a word boundary."""
    assert [w.text for w in words("prices remain infla-\n  tionary")] == [
        "prices",
        "remain",
        "inflationary",
    ]
    source = "the infla-\ntion rate"
    w = words(source)[1]
    assert source[w.start : w.end] == "infla-\ntion"


def test_soft_hyphens_vanish():
    assert fold("trans\u00adi\u00adtory").text == "transitory"


def test_words_drop_punctuation_and_keep_apostrophes():
    """Punctuation separates words; an apostrophe inside a word keeps it whole."""
    assert [w.text for w in words("Don’t—ever! Say (it), 'please'.")] == [
        "don't",
        "ever",
        "say",
        "it",
        "please",
    ]


def test_non_latin_words():
    """Words of other scripts are words too."""
    assert [w.text for w in words("Émile ZOLA, ВЕДУЩИЙ")] == ["émile", "zola", "ведущий"]


def test_cjk_characters_are_words():
    """Text written without spaces is matched character by character."""
    assert [w.text for w in words("沈蓓莉：对外交往 ok")] == [
        "沈",
        "蓓",
        "莉",
        "对",
        "外",
        "交",
        "往",
        "ok",
    ]
