import pytest

from digestnlp.text.places import region_mentioned


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("関東", "東京都と埼玉県のキャンパスで休校", True),
        ("関東", "大阪府で休校", False),
        ("九州", "大分県を中心に揺れた", True),
        ("九州地方", "熊本市で観測", True),
        ("関西", "ワールド(神戸市)は休部を発表した", True),
        ("東北", "宮城県沖で地震", True),
        ("中国地方", "広島県で大雨", True),
        # 「中国」 alone is China, not the region of 広島.
        ("中国", "広島県で大雨", False),
        # Japan is no region: any prefecture would bear it out.
        ("日本", "東京都で", False),
        # A prefecture needs the report to name it; its region is not enough.
        ("茨城", "関東で地震", False),
    ],
)
def test_region_mentioned(name: str, text: str, expected: bool) -> None:
    assert region_mentioned(name, text) is expected
