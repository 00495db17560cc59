import datetime as dt
from pathlib import Path

from digestnlp import parse_article
from digestnlp.check.cards import check_cards
from digestnlp.check.consistency import ConsistencyChecker

PAGE = """見出し

📘 この記事で分かる事!

💡 大会の方式が決まった。

2006夏の甲子園の組み合わせ決定:朝日新聞

公開日:{published}

2006夏の甲子園の組み合わせ決定:朝日新聞

✅ 大会の組み合わせ抽選の方式が決定した。

さらに読む ⇒出典/画像元: https://x.jp/1
"""


def test_a_cards_publication_date_dates_its_headline(tiny_nli_dir: Path) -> None:
    checker = ConsistencyChecker(str(tiny_nli_dir))
    late, same = (parse_article(PAGE.format(published=p)).cards[0] for p in ("2008/04/15", "2006/04/15"))
    assert late.published == dt.date(2008, 4, 15)
    off, on = check_cards([late, same], checker=checker)
    assert [(c.kind, c.status, c.claim_text) for c in off.conflicts] == [("date", "unsupported", "2006")]
    assert "公開日 2008-04-15" in [c.evidence_text for c in off.conflicts]
    assert not [c for c in on.conflicts if c.kind == "date"]
