"""Word lists the text pipeline, the conflict rules and the training recipe share: units, the
qualifiers that hedge or bound a figure, era names, and words of opposite meaning."""

from __future__ import annotations

# Units, longest first; each maps to the normalised unit.
UNITS: dict[str, str] = {
    "パーセント": "%",
    "%": "%",
    "割": "%",  # 「4割」 is about 40% (scaled in ``extract_quantities``)
    "ポイント": "pt",
    "ドル": "ドル",
    "米ドル": "ドル",
    "ユーロ": "ユーロ",
    "円": "円",
    "元": "元",
    "ウォン": "ウォン",
    "ポンド": "ポンド",
    "人": "人",
    "名": "人",
    "件": "件",
    "回": "回",
    "か国": "か国",
    "カ国": "か国",
    "ヶ国": "か国",
    "国": "か国",
    "社": "社",
    "台": "台",
    "頭": "頭",
    "本": "本",
    "個": "個",
    "点": "点",
    "票": "票",
    "議席": "議席",
    "歳": "歳",
    "才": "歳",
    "位": "位",
    "番目": "位",  # 「史上2番目」 is 「史上2位」
    "倍": "倍",
    "トン": "トン",
    "t": "トン",
    "キロメートル": "km",
    "km": "km",
    "キロ": "キロ",
    "kg": "kg",
    "グラム": "g",
    "g": "g",
    "メートル": "m",
    "m": "m",
    "センチ": "cm",
    "cm": "cm",
    "ミリ": "mm",
    "mm": "mm",
    # 「9度目」 and 「6回目」 count the same thing; a bare 「度」 is more often a temperature.
    "度目": "回",
    "回目": "回",
    # 「15日目」 is the fifteenth day of an event, not the 15th of a month. (「20人目の死者」 and
    # 「死者は20人」 say the same, so 人目 and 年目 stay counts.)
    "日目": "日",
    "度": "度",
    "℃": "度",
    "°C": "度",
    "年間": "年",
    "年": "年",
    "か月": "か月",
    "カ月": "か月",
    "ヶ月": "か月",
    "ヵ月": "か月",
    "月": "月",
    "週間": "週",
    "日間": "日",
    "日": "日",
    "時間": "時間",
    "時": "時",
    "分": "分",
    "秒": "秒",
    "階": "階",
    "戸": "戸",
    "棟": "棟",
    "隻": "隻",
    "機": "機",
    "試合": "試合",
    "勝": "勝",
    "敗": "敗",
    "打点": "打点",
    "本塁打": "本塁打",
    "号": "号",
    "畳": "畳",
    "坪": "坪",
    "リットル": "L",
    "L": "L",
    "ha": "ha",
    "ヘクタール": "ha",
    "平方キロ": "km2",
    "兆": "",
    "億": "",
    "万": "",
}

PREFIX_QUALIFIERS = ("第", "約", "およそ", "最大", "最低", "最高", "少なくとも", "計", "合計", "前年比", "過去最高の")
# 「305万人を超える」 and 「100万台突破」 bound a figure like 超.
SUFFIX_QUALIFIERS = (
    "以上",
    "以下",
    "未満",
    "を超え",
    "超え",
    "超",
    "を突破",
    "突破",
    "余り",
    "あまり",
    "強",
    "弱",
    "前後",
    "程度",
    "近く",
)
# Qualifiers that bound a figure rather than round it (約, 前後 round it).
LOWER_BOUNDS = frozenset({"以上", "超", "を超え", "超え", "を突破", "突破", "余", "余り", "あまり", "強", "少なくとも"})
BOUNDS = LOWER_BOUNDS | {"以下", "未満", "弱", "近く"}
# Qualifiers that round a figure instead.
APPROXIMATIONS = frozenset({"約", "およそ", "前後", "程度"})

# Japanese era years: 「平成26年」 is 2014, 「令和元年」 2019 (the year before an era's first).
ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}

# Word pairs whose members contradict each other in news text.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("増加", "減少"),
    ("増え", "減っ"),
    ("増え", "減り"),
    ("上昇", "下落"),
    ("上昇", "低下"),
    ("最多", "最少"),
    ("最高", "最低"),
    ("最大", "最小"),
    ("勝利", "敗北"),
    ("勝っ", "負け"),
    ("可決", "否決"),
    ("成功", "失敗"),
    ("開始", "終了"),
    ("承認", "拒否"),
    ("賛成", "反対"),
    ("上回", "下回"),
    ("黒字", "赤字"),
    ("合意", "決裂"),
    ("再開", "停止"),
    ("逮捕", "釈放"),
    ("当選", "落選"),
    ("値上げ", "値下げ"),
    ("拡大", "縮小"),
    ("増税", "減税"),
    ("好調", "不調"),
    ("有罪", "無罪"),
    ("就任", "退任"),
    ("解禁", "禁止"),
    ("容認", "拒否"),
    ("支持", "反対"),
    ("高騰", "暴落"),
    ("急増", "急減"),
    ("増額", "減額"),
    ("入国", "出国"),
    ("流入", "流出"),
    ("輸入", "輸出"),
    ("安全", "危険"),
    ("復活", "廃止"),
)
# The same opposition written another way in the evidence (a headline's 「最高」 against the
# report's 「最も低い」). Only for finding conflicts: the alterations the model trains and is
# evaluated on use ANTONYMS alone.
OPPOSITE_PHRASES: tuple[tuple[str, str], ...] = (
    ("最高", "最も低"),
    ("最低", "最も高"),
    ("最多", "最も少な"),
    ("最少", "最も多"),
    ("最大", "最も小さ"),
    ("最小", "最も大き"),
    ("増加", "減っ"),
    ("増加", "減り"),
    ("減少", "増え"),
    ("終了", "始ま"),
    ("終了", "始め"),
    ("開始", "終え"),
    ("就任", "辞任"),
    ("就任", "勇退"),
    ("退任", "任命"),
    ("拒否", "認め"),
    ("敗北", "優勝"),
    ("敗北", "当選"),
    ("敗北", "勝っ"),
    ("勝利", "敗れ"),
    ("勝っ", "敗れ"),
    ("拡大", "減ら"),
    ("縮小", "増や"),
)
# Words of one direction: any of one side is the opposite of any of the other (「急減」 against
# 「上昇」, 「縮小」 against 「急増」), as the pairs above are. Winning and losing are left to the
# pairs: 「Aに負け」 is 「Aが勝利」.
DIRECTIONS: tuple[tuple[str, ...], ...] = (
    ("増加", "増え", "上昇", "急増", "増額", "拡大"),
    ("減少", "減っ", "減り", "下落", "低下", "急減", "減額", "縮小"),
)
# Each pair read both ways: what a claim's word may be turned into, or contradicted by.
ANTONYMS_BOTH_WAYS: tuple[tuple[str, str], ...] = (*ANTONYMS, *((b, a) for a, b in ANTONYMS))
# Every word a claim's polarity word can be contradicted by: the pairs both ways, their other
# spellings, and every word of one direction against every word of the other.
POLARITY_PAIRS = tuple(
    dict.fromkeys(
        (
            *ANTONYMS_BOTH_WAYS,
            *OPPOSITE_PHRASES,
            *((a, b) for a in DIRECTIONS[0] for b in DIRECTIONS[1]),
            *((b, a) for a in DIRECTIONS[0] for b in DIRECTIONS[1]),
        )
    )
)
