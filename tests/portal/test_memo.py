"""The per-process memo (portal.memo) keeps results until the content version moves on. These
tests commit for real: inside a test's transaction nothing is remembered."""

import pytest

from directory import content_version
from portal.memo import DirectoryMemo

pytestmark = pytest.mark.django_db(transaction=True)


def test_values_read_per_item_are_read_together_and_only_once_per_content_version():
    memo = DirectoryMemo()
    asked = []

    def read(keys):
        asked.append(sorted(keys))
        return {key: key * 10 for key in keys}

    assert memo.get_many([1, 2], read) == {1: 10, 2: 20}
    assert memo.get_many([2, 3], read) == {2: 20, 3: 30}
    assert memo.get_many([], read) == {}
    assert asked == [[1, 2], [3]]

    content_version.bump()
    assert memo.get_many([2], read) == {2: 20}
    assert asked[-1] == [2]


def test_a_release_that_changes_a_template_retires_the_fragments_kept_before_it(tmp_path):
    from portal.memo import TEMPLATES, fragment_cache, templates_digest

    (tmp_path / "components").mkdir()
    fragment = tmp_path / "components" / "price_list.html"
    fragment.write_text("<ul class='most-asked'>")
    before = templates_digest(tmp_path)
    templates_digest.cache_clear()
    fragment.write_text("<details class='price-group' open>")

    assert templates_digest(tmp_path) != before
    assert fragment_cache()[1].endswith(f":{templates_digest(TEMPLATES)}"), "part of every fragment's key"
