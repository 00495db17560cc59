import pytest

from digestnlp.report.inputs import InputItem
from digestnlp.report.runner import _groups


@pytest.mark.parametrize(
    ("n", "size", "workers", "sizes"),
    [
        (40, 16, 1, [14, 14, 12]),
        (40, 16, 2, [10, 10, 10, 10]),
        (260, 16, 2, [15] * 17 + [5]),
        (3, 16, 4, [1, 1, 1]),
        (16, 16, 1, [16]),
        (0, 16, 2, []),
    ],
)
def test_groups_are_even_and_a_multiple_of_the_workers(n: int, size: int, workers: int, sizes: list[int]) -> None:
    items = [InputItem(str(k), "本文") for k in range(n)]
    groups = list(_groups(items, size, workers))
    assert [len(g) for g in groups] == sizes
    assert [it.id for g in groups for it in g] == [it.id for it in items]  # every item once, in order
