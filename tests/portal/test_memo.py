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


def test_the_fragments_are_kept_under_the_release_as_well_as_the_content_version():
    from ops import release
    from portal.memo import fragment_cache

    assert fragment_cache()[1].endswith(f":{release.current()}"), "part of every fragment's key"
