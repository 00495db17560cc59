"""Japan's regions and the prefectures and large cities in them.

A headline names the region (「関東で地震」, 「九州の大雨」) where the report names the prefecture or
city (「茨城県で震度4」, 「大分県を中心に」); the region is then mentioned, not missing. Only the
regions' members are listed, so a prefecture in a headline still needs the report to name it.
"""

from __future__ import annotations

_PREFECTURES_BY_REGION: dict[str, tuple[str, ...]] = {
    "北海道": ("北海道", "札幌"),
    "東北": ("青森", "岩手", "宮城", "秋田", "山形", "福島", "仙台"),
    "関東": ("東京", "神奈川", "埼玉", "千葉", "茨城", "栃木", "群馬", "横浜", "川崎", "さいたま", "相模原"),
    "北陸": ("新潟", "富山", "石川", "福井", "金沢"),
    "甲信": ("山梨", "長野"),
    "東海": ("愛知", "岐阜", "静岡", "三重", "名古屋", "浜松"),
    "近畿": ("大阪", "京都", "兵庫", "奈良", "滋賀", "和歌山", "神戸", "堺"),
    "中国地方": ("鳥取", "島根", "岡山", "広島", "山口"),
    "四国": ("徳島", "香川", "愛媛", "高知", "松山"),
    "九州": ("福岡", "佐賀", "長崎", "熊本", "大分", "宮崎", "鹿児島", "北九州"),
    "沖縄": ("沖縄", "那覇"),
}
_ALIASES = {"関西": "近畿", "甲信越": ("甲信", "北陸"), "中部": ("北陸", "甲信", "東海"), "首都圏": "関東"}


def _members(region: str) -> tuple[str, ...]:
    alias = _ALIASES.get(region)
    if alias is None:
        return _PREFECTURES_BY_REGION.get(region, ())
    parts = (alias,) if isinstance(alias, str) else alias
    return tuple(m for part in parts for m in _PREFECTURES_BY_REGION[part])


def region_mentioned(name: str, text: str) -> bool:
    """``name`` is a region of Japan and ``text`` names a prefecture or large city in it: 「関東」 is
    mentioned by 「埼玉県」.

    「中国」 alone is China; only 「中国地方」 is the region (「九州地方」 is 「九州」). 「日本」 is no
    region here: any Japanese place would mention it, and an unrelated Japanese report would then
    bear out every 「日本」 (on the training cards it eased the name conflicts of 31 most-similar and
    61 random leads for 3 consistent cards).
    """
    region = name[:-2] if name.endswith("地方") and name != "中国地方" else name
    return any(m in text for m in _members(region))
