"""Varied texts for tokenizer parity: Japanese news and captions, English, mixed, emoji, full width, edge cases."""

import json
import random

from tests.conftest import SHARED


def varied_texts(n: int = 1200, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    news = [
        json.loads(line)
        for line in (SHARED / "data/jawikinews-headline/wikinews_ja_headline_detok.jsonl").open(encoding="utf-8")
    ]
    captions = [
        json.loads(line)["sentence1"] for line in (SHARED / "data/jglue-jsts/valid-v1.3.json").open(encoding="utf-8")
    ]
    english = [
        "The quick brown fox jumps over the lazy dog.",
        "How much protein should I eat per day?",
        "NATO leaders met in Brussels on Tuesday.",
        "Prices rose 5.10% year over year.",
        "e-mail me at test@example.com",
        "C'est la vie, n'est-ce pas?",
        "Straße und Größe",
        "¿Dónde está la biblioteca?",
    ]
    extras = [
        "",
        " ",
        "a",
        "😀",
        "👍🏽👍🏽",
        "🇯🇵と🇺🇸",
        "ｆｕｌｌ　ｗｉｄｔｈ　ＡＢＣ１２３",
        "ｶﾀｶﾅﾊﾝｶｸ",
        "㍻㌔㍍",
        "①②③",
        "ℌℑ",
        "tab\tseparated\ttext",
        "line\nbreaks\r\nhere",
        "  leading and trailing  ",
        "a\u200db\u200bc",
        "\u3000全角スペース",
        "〜～ー−‐",
        "「かぎ括弧」『二重』",
        "5.10%と3.58%",
        "三菱UFJ銀行",
        "https://globe.asahi.com/article/15630313",
    ]
    # Characters outside the vocabulary (new emoji, hieroglyphs, Cherokee, rare kanji).
    extras += ["𠮷野家", "🫠🫠", "🫠 溶ける", "abc𓀀𓀁def", "ᏣᎳᎩ", "ࠀࠁ テスト"]
    texts = list(extras) + english
    for art in rng.sample(news, 400):
        texts.append(art["headline"])
        texts.append(art["article"][: rng.randint(20, 300)])
    texts += rng.sample(captions, 250)
    while len(texts) < n:
        a, b = rng.choice(captions), rng.choice(english)
        texts.append(f"{a} {b}" if rng.random() < 0.5 else f"{b}{rng.choice(extras)}{a}")
    return texts
