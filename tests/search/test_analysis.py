"""Text analysis: folding, stemming, compounds, transliteration and what a query log keeps."""

from search.analysis import (
    analyse,
    fold,
    phrase_key,
    split_compound,
    strip_personal_data,
    terms_of_word,
    to_cyrillic,
    to_latin,
)


def test_folding_removes_estonian_diacritics_and_russian_yo():
    assert fold("Päevahoid ÕÜÖŠŽ") == "paevahoid ouosz"
    assert fold("ребёнок") == "ребенок"


def test_a_word_typed_without_diacritics_meets_the_original():
    assert terms_of_word("päevahoid") & terms_of_word("paevahoid")
    assert terms_of_word("võlanõustamine") & terms_of_word("volanoustamine")


def test_inflected_forms_share_a_stem():
    assert terms_of_word("hooldekodusse") & terms_of_word("hooldekodu")
    assert terms_of_word("сиделки", "ru") & terms_of_word("сиделка", "ru")
    assert terms_of_word("carers", "en") & terms_of_word("carer", "en")


def test_stop_words_do_not_become_terms():
    assert analyse("ema ei saa enam", "et") == analyse("ema", "et")
    assert analyse("психолог для семьи", "ru") == analyse("психолог семьи", "ru")


def test_compound_splits_into_known_words_longest_head_first():
    known = {"tugiisiku", "tugi", "teenus", "eri", "hoolekande", "teenused", "kodu"}
    assert split_compound("tugiisikuteenus", known) == ["tugiisiku", "teenus"]
    assert split_compound("erihoolekandeteenused", known) == ["eri", "hoolekande", "teenused"]
    assert split_compound("koduteenus", known) == ["kodu", "teenus"]
    assert split_compound("hooldaja", known) is None


def test_transliteration_goes_both_ways():
    assert to_latin("тугиисик") == "tugiisik"
    assert to_latin("кодукохандамине") == "kodukohandamine"
    assert to_cyrillic("opornoe lico") == "опорное лицо"
    assert to_cyrillic("shchi") == "щи"


def test_phrase_key_ignores_case_diacritics_and_inflection():
    assert phrase_key("Hooldekodu") == phrase_key("hooldekodu")
    assert phrase_key("Päevahoid") == phrase_key("paevahoid")


def test_personal_data_is_stripped_from_logged_queries():
    text = "Mari 38001085718 mari.tamm@example.com +372 5123 4567 koduteenus 2025"
    assert strip_personal_data(text) == "mari koduteenus"
