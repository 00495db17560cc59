"""Digest-page variants written for the tests: each exercises one tolerance of the parser."""

CARD_NO_DATE = """サンプルダイジェスト:新製品の発表

📘 この記事で分かる事!

💡 A社が新製品を発表した。

💡 価格は前モデルより安い。

それでは、最初の章に入ります。

新製品の概要

A社は何を発表しましたか?

新型スマートフォン

A社、新型スマホを発表 価格は5万円から

✅ A社は新型スマートフォンを発表した。

✅ 価格は5万円からとなる。

さらに読む ⇒出典/画像元: https://example.jp/news/1

手頃な価格になりましたね。

A社は東京で記者会見を開き、新型スマートフォンを発表しました。
"""

SIX_BULLETS_NO_URL = """見出しだけのページ

📘 この記事のポイント

💡 一つ目。

記事の章

何が起きた?

六つの要点

市場の動き:日経新聞

公開日:2024年3月1日

✅ 一。
✅ 二。
✅ 三。
✅ 四。
✅ 五。
✅ 六。

株価は上昇しました。
"""

NO_LEARN = """学習セクションのないページ

政府の方針

政府は何を決めた?

予算の増額

政府、予算を増額

公開日:2024/05/01

政府、予算を増額

✅ 政府は予算を増額した。

✅ 増額幅は1兆円。

さらに読む ⇒読売新聞オンライン:ニュース出典/画像元: https://example.jp/yomiuri/2

大きな決定ですね。
"""

PLAIN = """東京は晴れ。大阪は雨でした。
明日は全国的に晴れる見込みです。"""

HTML = """<!doctype html><html><head><title>t</title><style>p{}</style><script>var x=1;</script></head>
<body><nav>Logo Menu</nav>
<h1>HTMLのダイジェスト</h1>
<p>📘 この記事で分かる事!</p>
<ul><li>💡 HTMLでも読める。</li><li>💡 カードも読める。</li></ul>
<h2>最初の章</h2>
<p>何が分かる?</p>
<p>全部</p>
<div class="card"><p>HTML版の見出し:テスト新聞</p><p>公開日:2025/01/02</p>
<p>✅ 一つ目の要点。</p><p>✅ 二つ目の要点。</p>
<p>さらに読む ⇒<a href="https://example.jp/html/3">出典/画像元</a></p></div>
<p>本文の段落です。</p>
<footer>© site</footer></body></html>"""
