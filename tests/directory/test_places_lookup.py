"""Finding the municipality from any place name: word starts first, then typos; Cyrillic by
transliteration; never a bare substring inside another name; namesakes kept apart."""

import pytest

from directory import places_lookup
from directory.models import Settlement
from tests.places_fixtures import places, places_world  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("places")]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Кохтла-Ярве", "kohtla jarve"),
        ("Kohtla-Järve", "kohtla jarve"),
        ("Кивиыли", "kivioli"),
        ("Йыхви", "johvi"),
        ("Йохви", "johvi"),
        ("Силламяэ", "sillamae"),
        ("Кейла", "keila"),
        ("Вяйке-Маарья", "vaike maarja"),
        ("Пюсси", "pussi"),
        ("Нарва-Йыэсуу", "narva joesuu"),
        ("Aa küla", "aa"),
        ("волость Йыхви", "johvi"),
        ("Jõhvi Parish", "johvi"),
    ],
)
def test_names_in_any_script_and_with_kind_words_meet_in_one_spelling(typed, key):
    assert places_lookup.keys_of(typed)[0] == key


CASES = [
    ("Ahtme", "kohtla-jarve-linn", "Ahtme linnaosa"),
    ("Ахтме", "kohtla-jarve-linn", "Ahtme linnaosa"),
    ("Kiviõli", "luganuse-vald", "Kiviõli linn"),
    ("Кивиыли", "luganuse-vald", "Kiviõli linn"),
    ("Lasnamäe", "tallinn", "Lasnamäe linnaosa"),
    ("Ласнамяэ", "tallinn", "Lasnamäe linnaosa"),
    ("Sinimäe", "narva-joesuu-linn", "Sinimäe alevik"),
    ("Синимяэ", "narva-joesuu-linn", "Sinimäe alevik"),
    ("Püssi", "luganuse-vald", "Püssi linn"),
    ("Haabneeme", "viimsi-vald", "Haabneeme alevik"),
    ("Йохви", "johvi-vald", "Jõhvi vald"),
    ("Йыхви", "johvi-vald", "Jõhvi vald"),
    ("Johvi", "johvi-vald", "Jõhvi vald"),
    ("Таллин", "tallinn", "Tallinn"),
    ("Dirslätt", "laane-nigula-vald", "Aulepa küla / Dirslätt"),
]


@pytest.mark.parametrize(("typed", "code", "name"), CASES)
def test_a_place_name_resolves_to_its_municipality(typed, code, name):
    resolution = places_lookup.resolve(typed)
    assert resolution.municipality is not None, [m.name for m in resolution.matches]
    assert resolution.municipality.code == code
    assert resolution.matches[0].name == name


def test_villages_that_share_a_name_are_all_offered_with_municipality_and_county():
    resolution = places_lookup.resolve("Vanamõisa")
    assert resolution.municipality is None
    villages = [m for m in resolution.matches if m.name == "Vanamõisa küla"]
    assert len(villages) == 12
    assert len({m.settlement.code for m in villages}) == 12
    assert len({m.municipality.code for m in villages}) == 12
    assert all(m.county.name_et.endswith("maakond") for m in villages)


def test_a_village_does_not_hide_the_town_that_begins_with_its_name():
    resolution = places_lookup.resolve("Kohtla")
    assert resolution.municipality is None
    names = [m.name for m in resolution.matches]
    assert names[:2] == ["Kohtla küla", "Kohtla-Järve linn"]


def test_matching_is_on_word_starts_never_a_bare_substring():
    assert "Jõelähtme vald" not in [m.name for m in places_lookup.find("Ahtme")]
    assert "Jõelähtme vald" not in [m.name for m in places_lookup.find("lähtme")]
    assert "Jõelähtme vald" not in [m.name for m in places_lookup.find("htme")]
    # A later word of a name starts with it: Kohtla-Järve, and the district Järve.
    names = [m.name for m in places_lookup.find("Järve")]
    assert "Järve linnaosa" in names and "Kohtla-Järve linn" in names


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Haabnema", "viimsi-vald"), ("Ahtmw", "kohtla-jarve-linn"), ("Kohtla-Jörve", "kohtla-jarve-linn")],
)
def test_a_typo_still_finds_the_place(typed, code):
    resolution = places_lookup.resolve(typed)
    assert resolution.municipality.code == code
    assert resolution.matches[0].tier == places_lookup.TYPO


def test_a_town_is_offered_once_not_also_as_its_own_settlement():
    assert [m.name for m in places_lookup.find("Narva")] == ["Narva linn", "Narva-Jõesuu linn"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("hooldekodu Ahtmes", "kohtla-jarve-linn"),
        ("koduteenus Kiviõlis", "luganuse-vald"),
        ("уход на дому Кивиыли", "luganuse-vald"),
        ("sotsiaaltransport Lasnamäel", "tallinn"),
        ("Haabneeme hooldekodu", "viimsi-vald"),
        ("koduteenus Vanamõisa", None),  # twelve villages: no one municipality
        ("laste hoid", None),
        ("koduteenus järve", None),  # Järve is a district of Kohtla-Järve, and villages, and a word
        ("hooldekodu nõmmel", None),
    ],
)
def test_a_search_query_naming_a_place_names_its_municipality(query, code):
    found = places_lookup.municipality_named_in(query)
    assert (found.code if found else None) == code


def test_the_index_follows_a_renamed_settlement():
    ahtme = Settlement.objects.get(name="Ahtme linnaosa")
    assert places_lookup.resolve("Ahtme").municipality.code == "kohtla-jarve-linn"
    ahtme.name = "Uus-Ahtme linnaosa"
    ahtme.save()
    assert [m.name for m in places_lookup.find("Uus-Ahtme")] == ["Uus-Ahtme linnaosa"]


@pytest.mark.parametrize(
    "estonian, russian",
    [
        ("Narva", "Нарва"),
        ("Jõhvi", "Йыхви"),
        ("Kohtla-Järve", "Кохтла-Ярве"),
        ("Sillamäe", "Силламяэ"),
        ("Kiviõli", "Кивиыли"),
        ("Viljandi", "Вильянди"),
        ("Pärnu", "Пярну"),
        ("Keila", "Кейла"),
        ("Saue", "Сауэ"),
        ("Viimsi", "Виймси"),
    ],
)
def test_estonian_names_are_written_in_cyrillic_as_russian_writes_them(estonian, russian):
    assert places_lookup.cyrillic(estonian) == russian
    assert places_lookup.normalise(russian) == places_lookup.normalise(estonian), "and read back"


def test_a_front_vowel_after_a_consonant_softens_it_and_starts_a_word_as_a_vowel_letter():
    assert [places_lookup.cyrillic(n) for n in ("Ülenurme", "Äksi", "Türi", "Otepää")] == [
        "Юленурме",
        "Экси",
        "Тюри",
        "Отепяэ",
    ]


def test_most_municipalities_russian_names_are_what_the_transliteration_gives():
    """The official Russian names of the 79 municipalities check the rules."""
    import csv

    from directory.catalogue import CATALOGUE_DIR

    rows = list(csv.DictReader((CATALOGUE_DIR / "municipalities.csv").open(encoding="utf-8")))
    same = [
        r
        for r in rows
        if places_lookup.cyrillic(r["name_et"].removesuffix(" vald").removesuffix(" linn"))
        == r["name_ru"].removeprefix("волость ").removeprefix("город ")
    ]
    assert len(same) >= len(rows) - 5
