import datetime as dt

import pytest

from digestnlp.check.conflicts import dateline_years, find_conflicts, mentioned
from digestnlp.check.conflicts.quantity import rival_overlap
from digestnlp.text.morph import tokenize

# (claim, evidence, expected [(kind, status, claim text)])
CASES = [
    ("利回り5.10%に上昇", "利回りは3.58%に上昇した。", [("number", "contradicted", "5.10%")]),
    ("利回り5.10%に上昇", "利回りは5.1%に上昇した。", []),
    ("利回り3%に上昇", "利回りは2.7%に上昇した。", []),
    ("利回り4%に上昇", "利回りは3.4%に上昇した。", [("number", "contradicted", "4%")]),
    ("日本が全体の9割を購入", "日本が最も多い38%を購入した。", [("number", "contradicted", "9割")]),
    ("日本が全体の4割を購入", "日本が最も多い38%を購入した。", []),
    ("パウエル、世界新「9秒37」", "パウエルが9秒74の世界新記録を樹立した。", [("number", "contradicted", "9秒37")]),
    ("ボルトが9秒6の壁を破る", "ボルトが9秒58の世界新記録を出した。", []),
    ("ボルトが9秒台で走る", "ボルトが9秒58の世界新記録を出した。", []),
    # A whole number of years may cut a duration as well as round it.
    ("覚醒剤を3年間も隠す", "約2年8ヵ月間にわたり放置された。", []),
    ("覚醒剤を2年間も隠す", "約2年8ヵ月間にわたり放置された。", []),
    ("覚醒剤を4年間も隠す", "約2年8ヵ月間にわたり放置された。", [("number", "contradicted", "4年間")]),
    ("23年ぶりに国交回復", "23年5ヶ月ぶりに国交を回復した。", []),
    ("24年ぶりに国交回復", "23年5ヶ月ぶりに国交を回復した。", [("number", "contradicted", "24年ぶり")]),
    ("24年ぶりに優勝", "23年9ヶ月ぶりに優勝した。", []),
    ("46年ぶりに国交回復", "23年5ヶ月ぶりに国交を回復した。", [("number", "contradicted", "46年ぶり")]),
    ("9万7千人が参加", "97,000人が参加した。", []),
    # A headline rounds the report's figure; it does not add digits the report lacks: an exact
    # figure the report gives only roughly is another figure than the report's.
    ("パイプライン爆発、205人が死亡", "およそ200人が死亡したとみられる。", [("number", "contradicted", "205人")]),
    ("パイプライン爆発、200人が死亡", "およそ200人が死亡したとみられる。", []),
    ("約2万人が避難", "2万2千人が避難した。", []),
    # A bracketed age is the age, not a rival to another person's.
    ("115歳の男性が死去", "トロさん(115)が死亡した。1ヶ月前に116歳の女性が亡くなった。", []),
    ("116歳の男性が死去", "トロさん(115)が死亡した。", [("number", "contradicted", "116歳")]),
    # Ages are never rounded.
    ("120歳の男性が死去", "トロさん(115)が死亡した。", [("number", "contradicted", "120歳")]),
    ("高1男子が死亡", "高校2年生の市川さん(16)が死亡した。", [("number", "contradicted", "高1")]),
    ("高2男子が死亡", "高校2年生の市川さん(16)が死亡した。", []),
    ("投票者305万人を超える", "305万5634人に達した。", []),
    ("死者210人を突破", "死者は200人に達した。", [("number", "contradicted", "210人を突破")]),
    ("死者12人に", "この事故で10人が死亡した。", [("number", "contradicted", "12人")]),
    ("21万トンを輸入", "輸入量が話題になった。", [("number", "unsupported", "21万トン")]),
    # A bare four-digit figure is a year unless the evidence counts the word after it.
    ("石井選手、通算2002安打達成", "石井選手が通算2,000安打を達成した。", [("number", "contradicted", "2002")]),
    ("石井選手、通算2000安打達成", "石井選手が通算2,000安打を達成した。", []),
    ("2009夏の甲子園が開幕", "2009年の大会が8月8日に開幕した。", []),
    ("2008夏の甲子園が開幕", "2009年の大会が8月8日に開幕した。", [("date", "contradicted", "2008")]),
    ("2025年2月19日に会談", "2月19日に会談した。", []),
    ("2025年2月19日に会談", "2025年3月1日に会談した。", [("date", "contradicted", "2025年2月19日")]),
    ("プーチン大統領、停戦案に条件", "3畳のワンルームが人気だ。", [("name", "unsupported", "プーチン")]),
    ("プーチン大統領、停戦案に条件", "プーチン氏は条件を示した。", []),
    ("ゼレンスキー大統領が訪米", "ゼレンスキー氏が米国を訪れた。", []),
    ("ウラジーミル・プーチン大統領が会談", "プーチン大統領は会談した。", []),
    (
        "訃報スティーブ・オバマ氏",
        "スティーブ・ジョブズ氏が死去した。",
        [("name", "contradicted", "スティーブ・オバマ")],
    ),
    ("訃報スティーブ・オバマ", "スティーブ・ジョブズ氏が死去した。", [("name", "unsupported", "スティーブ・オバマ")]),
    ("東京・渋谷で事故", "東京都渋谷区で事故があった。", []),
    # A reading in brackets stands between a name and its slot.
    ("訃報涌井紀夫氏", "近藤崇晴(こんどう・たかはる)氏が死去した。", [("name", "contradicted", "涌井紀夫")]),
    # A region is mentioned by a prefecture in it; a prefecture is not mentioned by its region.
    ("関東でやや強い地震", "茨城県で震度4を観測した。", []),
    ("茨城でやや強い地震", "関東で震度4を観測した。", [("name", "unsupported", "茨城")]),
    # A two-kanji short form of a longer name the evidence writes.
    ("東電元幹部を起訴", "東京電力の元幹部3人を起訴した。", []),
    ("国連が報告書", "国際連合は報告書を公表した。", []),
    ("東電元幹部を起訴", "中部電力の元幹部3人を起訴した。", [("name", "unsupported", "東電")]),
    # One foreign name, two katakana spellings.
    ("テイラー前大統領を移送", "チャールズ・テーラー前大統領が移送された。", []),
    ("ヴェネツィアで高潮", "ベネツィアで高潮が発生した。", []),
    ("東京・武豊で事故", "東京都渋谷区で事故があった。", [("name", "unsupported", "東京・武豊")]),
    ("輸出が増加", "輸出は減少した。", [("polarity", "contradicted", "増加")]),
    ("株価が上昇", "株価は下落した。", [("polarity", "contradicted", "上昇")]),
    ("過去最多を記録", "過去最少を記録した。", [("polarity", "contradicted", "最多")]),
    ("法案を可決", "法案は否決された。", [("polarity", "contradicted", "可決")]),
    # 「していない」 negates the act, not the いる; 「Vことはない」 negates V; a noun said not to
    # exist (「関係もない」) is no statement of it.
    ("職員がほとんど出勤せず", "職員は8日しか出勤していない。", []),
    ("職員が出勤", "職員は一度も出勤していない。", [("negation", "contradicted", "出勤")]),
    ("再延期を伝えることはない", "首相は再延期を伝えた。", [("negation", "contradicted", "伝える")]),
    ("政府、「関係せず」と発表", "政府関係者といかなる関係もないことを確認した。", []),
    ("運転再開の見通しは立たず", "運転再開の見通しは立っていない。", []),
    ("ドラマ「明日ママ」が放送", "ドラマ「明日、ママがいない」を放送した。", []),
    ("観測史上最高の気温", "観測開始以降最も低い気温となった。", [("polarity", "contradicted", "最高")]),
    ("発掘調査終了", "丘の発掘調査が14日始まった。", [("polarity", "contradicted", "終了")]),
    ("知事選に敗北", "知事に新人の嘉田氏が初当選を決めた。", [("polarity", "contradicted", "敗北")]),
    # An opposite the evidence negates agrees with the claim.
    ("女系天皇拒否へ", "女系天皇を認める案を決めた。", [("polarity", "contradicted", "拒否")]),
    ("女系天皇拒否へ", "女系天皇を認めない方針を決めた。", []),
    ("決勝で敗北", "決勝で敗れ、優勝はならなかった。", []),
    ("観測史上最高の気温", "最も低い地点でも観測史上最高を記録した。", []),
    ("輸出が増加", "輸出は3年ぶりに減った。", [("polarity", "contradicted", "増加")]),
    ("輸出が増加", "輸入は減ったが輸出は増加した。", []),
    # Both words in the report: what the claim says it of decides.
    (
        "37年ぶりに環状運転廃止",
        "1972年に路面電車の一部区間が廃止された。37年ぶりに環状運転を復活させた。",
        [("polarity", "contradicted", "廃止")],
    ),
    ("37年ぶりに環状運転復活", "1972年に路面電車の一部区間が廃止された。37年ぶりに環状運転を復活させた。", []),
    ("新監督退任を発表", "堀内監督の退任と、原氏の新監督就任を発表した。", [("polarity", "contradicted", "退任")]),
    # Any word of one direction is the opposite of any of the other, unless the claim says both.
    ("訪問者が急減", "訪問者数がおよそ2.8倍上昇した。", [("polarity", "contradicted", "急減")]),
    ("感染が縮小", "感染者が急増している。", [("polarity", "contradicted", "縮小")]),
    ("ウナギ減少、価格上昇", "ウナギの漁獲量が減っている。", []),
    ("監督退任を発表", "堀内監督の退任と、原氏の新監督就任を発表した。", []),
    ("政府、法案を提出せず", "政府は法案を提出した。", [("negation", "contradicted", "提出")]),
    ("政府、法案を提出", "政府は法案を提出しなかった。", [("negation", "contradicted", "提出")]),
    # An obligation states the act; a report that both states and negates it does not deny it.
    ("首相が大臣を罷免", "首相は大臣を罷免せざるを得ないと述べた。", []),
    ("政府、法案を提出", "政府は法案を提出しなければならない。", []),
    ("首相が大臣を罷免", "首相は大臣を罷免した。罷免しない方針だった。", []),
    # 「連覇ならず」 denies 連覇 came about; 成る in 「1-2となる」 is not its opposite.
    ("4連覇ならず", "決勝で1-2となると、4大会連続の金メダル獲得を逃した。", []),
    ("三菱UFJが新サービス", "三菱UFJ銀行は新サービスを始めた。", []),
    ("第83回センバツ開幕", "第78回選抜高校野球大会が開幕した。", [("number", "contradicted", "第83回")]),
    ("第78回センバツ開幕", "第78回選抜高校野球大会が開幕した。", []),
    ("H5N4型ウイルスを検出", "H5N1型ウイルスが検出された。", [("number", "contradicted", "H5N4")]),
    ("Xbox360に新機能", "Xbox360に年齢制限機能を搭載する。", []),
    ("F-35を導入", "新型の戦闘機を導入する。", [("number", "unsupported", "F-35")]),
    ("2008M-1グランプリ開催", "M-1グランプリ2008が開催された。", []),
    # ... unless the evidence glues another year to the name; a year after Latin letters is no year.
    (
        "横浜トリエンナーレ2004が閉幕",
        "2004年に始まった横浜トリエンナーレ2005が閉幕した。",
        [("number", "contradicted", "トリエンナーレ2004")],
    ),
    ("NASA2020年に月面へ", "NASAは2018年を目指し月面探査を計画する。", [("number", "unsupported", "NASA2020")]),
    ("4児の行方分からず", "午後4時、2児の行方が分からなくなった。", [("number", "contradicted", "4")]),
    ("24人が参加", "4人が参加した。", [("number", "contradicted", "24人")]),
    ("4件の事故", "事故は24件に上った。", [("number", "contradicted", "4件")]),
    ("3選手が代表入り", "代表には13人が選ばれた。", [("number", "unsupported", "3")]),
    ("47才の男を逮捕", "46歳の男を逮捕した。", [("number", "contradicted", "47才")]),
    ("台風14号が発生", "台風第15号が発生した。", [("number", "contradicted", "14号")]),
    ("台風15号が発生", "台風第15号が発生した。", []),
    ("2007年の優勝", "2年連続の優勝となった。", []),
    ("2012年の五輪", "2008年の北京五輪に続き", [("date", "contradicted", "2012年")]),
    ("10月創刊", "10月16日に発売する。", []),
    ("新元号2021年元日から", "2019年1月1日から改める。12月7日に発表した。", [("date", "contradicted", "2021年")]),
    ("2011年の開幕", "7月27日に開幕した。", []),
    ("11月創刊", "10月16日に発売する。", [("date", "contradicted", "11月")]),
    # No year has a 20th month, whatever the evidence says.
    ("20月創刊", "10月16日に発売する。", [("date", "impossible", "20月")]),
    ("20か月ぶりに再開", "約2年ぶりに再開した。", [("number", "unsupported", "20か月ぶり")]),
    # A year a decade or more away is the story's background, not a rival date.
    ("2012年ロンドン五輪が閉幕", "ロンドンでは1908年、1948年に続き3度目の開催となった。", []),
    ("2013年まで延命", "2012年に補修が行われる。", [("date", "contradicted", "2013年")]),
    # A year the report ties to another occasion is no rival either.
    ("2010参院選の期日前投票", "前回2007年の選挙と比べて15%増えた。", []),
    ("2014年の凱旋門賞はトレヴ", "トレヴは昨年2013年に続いて優勝した。", []),
    ("2009年の日本一", "2002年以来7年ぶりの日本一となった。", []),
    # 余 bounds a figure like 以上; 番目 ranks like 位.
    ("80余人が負傷", "80人以上が負傷した。", []),
    ("240余人が負傷", "80人以上が負傷した。", [("number", "contradicted", "240余人")]),
    ("史上5位の高値", "史上2番目に高い価格となった。", [("number", "contradicted", "5位")]),
    ("史上2位の高値", "史上2番目に高い価格となった。", []),
    ("71回目の大会を開催", "第66回大会が開催された。", [("number", "contradicted", "71回目")]),
    # An event's 15th day is not the 15th of the month the evidence also names.
    (
        "五輪15日目、銅メダル",
        "五輪は16日に12日目の競技が行われた。15日の予選では4位だった。",
        [("number", "contradicted", "15日目")],
    ),
    ("五輪12日目、銅メダル", "五輪は16日に12日目の競技が行われた。", []),
    # A headline totals figures the report lists side by side, never a part and its subset.
    ("7人死亡3人軽傷", "男性7人が死亡、男性2人と女性1人が軽傷を負った。", []),
    ("ヘリ墜落17名死亡", "兵士12名とヘリ操縦士5名が死亡し、5名が行方不明。", []),
    ("14人死ぬ", "15人が死亡した。10人がけが、そのうちの4人は重傷だという。", [("number", "contradicted", "14人")]),
    ("7人の遺体", "乳幼児2人を含め3人暮らしで、乳幼児2人を残して外出した。", [("number", "contradicted", "7人")]),
    ("3人死亡", "1人が死亡した。2人が重傷。", [("number", "contradicted", "3人")]),
    # A magnitude is a figure, whatever the evidence calls it; an era year is a year.
    ("千島列島でM7.8の地震", "千島列島でマグニチュード7.8の地震があった。", []),
    ("千島列島でM7.9の地震", "千島列島でマグニチュード7.8の地震があった。", [("number", "contradicted", "M7.9")]),
    ("平成26年4月の市議補選", "2014年4月27日に市議補選が行われた。", []),
    ("平成25年4月の市議補選", "2014年4月27日に市議補選が行われた。", [("date", "contradicted", "平成25年4月")]),
    # A year-less 「7月」 bears out the month of 「平成20年7月」, not its year.
    (
        "「平成20年7月豪雨」と命名",
        "豪雨を「平成18年7月豪雨」と命名した。7月15日から続いた。",
        [("date", "contradicted", "平成20年7月")],
    ),
    ("「平成18年7月豪雨」と命名", "豪雨を「平成18年7月豪雨」と命名した。7月15日から続いた。", []),
    ("2008年7月に開催", "7月15日に開催された。", []),
    # A part with the claim's own predicate is not a share of it; scale steps never add up.
    ("女性3人が死亡", "この事故で1人が死亡、2人が重傷を負った。", [("number", "contradicted", "3人")]),
    ("5人けが", "3人が重傷、2人が軽傷を負った。", []),
    ("震度10強を観測", "長岡市で震度5強、小千谷市で震度5弱を観測した。", [("number", "contradicted", "10強")]),
    ("静岡県で震度12弱", "静岡県で震度6弱の地震があった。", [("number", "contradicted", "12弱")]),
    ("静岡県で震度6強", "静岡県で震度6弱の地震があった。", [("number", "contradicted", "6強")]),
    ("静岡県で震度6弱", "静岡県で震度6弱の地震があった。", []),
    # 午後8時 is 20時; 「18の自治体」 counts 自治体.
    ("午後8時頃上陸", "20時頃に上陸した。", []),
    ("午後9時頃上陸", "20時頃に上陸した。", [("number", "contradicted", "9時")]),
    ("18自治体を提訴", "18の自治体に対して訴えを起こした。訴えられたのは5自治体。", []),
    # A number glued to a katakana name is part of the name; before a counter it counts.
    ("「ダビング20」解禁へ", "「ダビング10」が解禁される。", [("number", "contradicted", "ダビング20")]),
    ("「ダビング10」解禁へ", "「ダビング10(テン)」が解禁される。", []),
    ("サッカー4チームが統合", "4チームが統合する。", []),
    ("サイクロン03Bが発生", "サイクロン03Bが発生した。", []),
    ("M-1グランプリ2007開催", "M-1グランプリ2007が開催された。", []),
    ("ドイツが世界一", "ドイツが優勝した。", []),
    ("100m9秒76の世界新", "100メートルで9秒76を記録した。", []),
    ("Windows7を発売", "Windows 7が発売された。", []),
    ("J1昇格を断念", "J12チームが参加", [("number", "contradicted", "J1")]),
    # A bare number counts the word after it: 4連覇 is not compared with 206連勝.
    ("4連覇ならず", "206連勝を果たしていた。", [("number", "unsupported", "4")]),
    ("4連覇ならず", "2連覇を果たしていた。", [("number", "contradicted", "4")]),
    # A headline rounds to two or more significant digits; one digit is a different figure.
    ("1等5億6000万円", "1等の当せん金は5億6313万2913円。", []),
    ("約9,500万ドルで落札", "9,521万6,000ドルで落札された。", []),
    ("1500人が参加", "1,523人が参加した。", []),
    ("1000人が参加", "1,200人が参加した。", [("number", "contradicted", "1000人")]),
    ("5億7000万円", "当せん金は5億6313万2913円。", [("number", "contradicted", "5億7000万円")]),
    ("阪神株38%取得", "阪神株の38.1%を取得した。", []),
    ("1万人が登録", "登録者は1万379人に達した。", []),
    ("4万枚に印刷ミス", "3万9,500枚に印刷ミスがあった。", []),
    ("第100回大会", "第99回大会が開幕した。", [("number", "contradicted", "第100回")]),
    ("36分で連絡", "最短35分で結ぶ。", [("number", "contradicted", "36分")]),
    # The minutes of a time of day are no duration.
    ("最短36分で連絡", "午前6時35分に一番列車が発車した。", [("number", "unsupported", "36分")]),
    ("6時35分に発車", "午前6時35分に一番列車が発車した。", []),
    ("6時40分に発車", "午前6時35分に一番列車が発車した。", [("number", "contradicted", "40分")]),
    # The evidence's figure is the claim's other one: this one is unsupported, not contradicted.
    ("台風17号接近、18号は南へ", "台風17号は八丈島に接近する。", [("number", "unsupported", "18号")]),
    ("81歳女性死亡、23歳の女逮捕", "81歳の女性が死亡した。", [("number", "unsupported", "23歳")]),
    ("2010年参院選、7月11日投開票", "参院選は2012年7月11日に投開票。", [("date", "contradicted", "2010年")]),
    # A year tied to another occasion neither bears out nor contradicts the claim's year.
    (
        "2013年度の競馬が開幕",
        "2014年度の開催が始まった。昨年2013年度の売上は好調。",
        [("date", "contradicted", "2013年")],
    ),
    ("2006年の冬季五輪が閉幕", "トリノ大会が閉幕した。次回の冬季五輪は、2010年に開催の予定。", []),
    ("7月6日から放送", "今年7月5日より放送する。", [("date", "contradicted", "7月6日")]),
    # A month bears out only the month of a claim's full date; a dated rival contradicts the day.
    ("3月24日に住民投票", "3月6日告示、3月12日投票。3月末に報告をまとめる。", [("date", "contradicted", "3月24日")]),
    ("3月20日に再開", "温泉は3月に再開する。", []),
    # A day of the month is the day of the evidence's full dates too; a number of days is no day.
    (
        "聖火リレー、29日に長野市で",
        "聖火リレーが、4月26日午前8時に長野市で行われた。",
        [("number", "contradicted", "29日")],
    ),
    ("聖火リレー、26日に長野市で", "聖火リレーが、4月26日午前8時に長野市で行われた。", []),
    (
        "聖火リレー、２９日に長野市で",
        "聖火リレーが、4月26日午前8時に長野市で行われた。",
        [("number", "contradicted", "２９日")],
    ),
    ("復旧は14日昼頃に", "完了が当初の8月12日から13日の昼頃にずれる。", [("number", "contradicted", "14日")]),
    ("復旧は13日昼頃に", "完了が当初の8月12日から13日の昼頃にずれる。", []),
    (
        "2日連続で電車が止まる",
        "30日午前6時半頃、電車が止まった。29日にも止まっていた。",
        [("number", "unsupported", "2日")],
    ),
    ("ダイヤ改正3日後から代走", "20日から代走している。", [("number", "unsupported", "3日")]),
    ("宇宙滞在137日で帰還", "3月15日に打ち上げ、7月31日に帰還した。", [("number", "unsupported", "137日")]),
    ("総選挙、2月54日に延期", "総選挙が2月18日に延期された。", [("date", "impossible", "54日")]),
    # The evidence's bound points one way.
    ("列車衝突、47人死亡", "少なくとも49人が死亡した。", [("number", "contradicted", "47人")]),
    ("列車衝突、50人死亡", "少なくとも49人が死亡した。", []),
    ("310人が参加", "参加者は300人近くに上った。", [("number", "contradicted", "310人")]),
    ("280人が参加", "参加者は300人近くに上った。", []),
    # A decimal written in the evidence is the same figure, however its unit was read there.
    ("マグニチュード7.0の地震", "マグニチュード(M)7.0の地震が発生した。", []),
    (
        "マグニチュード7.5の地震",
        "マグニチュード(M)7.0の地震が発生した。",
        [("number", "unsupported", "マグニチュード7.5")],
    ),
    # Another name in the claim name's slot (the word after it) contradicts it.
    ("ウガンダ沖で地震", "サハリン沖で地震が発生した。", [("name", "contradicted", "ウガンダ")]),
    ("富良野市で草競馬大会", "長野県佐久市で草競馬大会が開かれた。", [("name", "contradicted", "富良野")]),
    ("荒川区と足立区を結ぶ新線", "足立区の新線が開業した。", [("name", "unsupported", "荒川")]),
    (
        "フィギュアスケート織田選手に処分",
        "織田信成選手に出場停止の処分。",
        [("name", "unsupported", "フィギュアスケート織田")],
    ),
    # A name glued from words the evidence writes apart is mentioned when every word is.
    ("マイクロソフトフランス法人のサイト", "マイクロソフトのフランス法人のサイト。", []),
    ("ロンドンオリンピックが開幕", "オリンピックロンドン大会は開幕した。", []),
    ("小室哲哉プロデューサーを逮捕", "音楽プロデューサーの小室哲哉容疑者を逮捕した。", []),
    # ... or words the evidence writes, a one-character morpheme joined to its neighbour (山口俊).
    ("読売ジャイアンツ山口俊投手が達成", "読売ジャイアンツの山口俊投手が達成した。", []),
    ("サッカースペインが優勝", "サッカーW杯でスペインが優勝した。", []),
    (
        "読売ジャイアンツ田中俊投手が達成",
        "読売ジャイアンツの山口俊投手が達成した。",
        [("name", "contradicted", "ジャイアンツ田中俊")],
    ),
    ("サッカーポルトガルが優勝", "サッカーW杯でスペインが優勝した。", [("name", "unsupported", "サッカーポルトガル")]),
    # A fraction is compared as one figure (it had been 3分 and a bare 2).
    ("与党が3分の2を確保", "与党は議席の3分の2を確保した。", []),
    ("与党が3分の2を確保", "与党は議席の3分の1を確保した。", [("number", "contradicted", "3分の2")]),
    ("ロンドンオリンピックが開幕", "東京オリンピックが開幕した。", [("name", "unsupported", "ロンドンオリンピック")]),
    # A reading in brackets inside a name is not part of it.
    ("作曲家・佐村河内守氏の楽曲", "作曲家として知られた佐村河内(さむらごうち)守氏(50)の楽曲は", []),
    (
        "作曲家・新垣隆氏の楽曲",
        "作曲家として知られた佐村河内(さむらごうち)守氏(50)の楽曲は",
        [("name", "contradicted", "新垣隆")],
    ),
]


@pytest.mark.parametrize(("claim", "evidence", "expected"), CASES)
def test_conflicts(claim: str, evidence: str, expected: list[tuple[str, str, str]]) -> None:
    got = [(c.kind, c.status, c.claim_text) for c in find_conflicts(claim, evidence)]
    assert got == expected


def test_spans_and_messages() -> None:
    claim = "利回り5.10%に上昇"
    (c,) = find_conflicts(claim, "利回りは3.58%に上昇した。")
    assert claim[c.claim_start : c.claim_end] == "5.10%"
    assert c.evidence_text == "3.58%"
    assert "5.10%" in c.message and "3.58%" in c.message
    (rough,) = find_conflicts("205人が死亡", "およそ200人が死亡した。")
    assert rough.message == "the claim says 205人 but the evidence says only およそ200人"


@pytest.mark.parametrize(
    ("claim", "evidence", "rivals"),
    [
        ("火災で死者3人", "火災があり、死者は2人となった。店でも4人が軽いけがをした。", ["2人", "4人"]),
        ("E955系試験電車が走行", "JR東日本はE954系の試験電車を公開した。", ["E954"]),
        ("2010年大会は中止", "2008年大会と2009年大会は開かれた。", ["2008年", "2009年"]),
        ("利回り5.10%に", "利回り5.10%に上昇した。", []),
        ("205人が死亡", "事故で、およそ200人が死亡した。", ["およそ200人"]),
    ],
)
def test_a_contradiction_points_at_the_rival_figures(claim: str, evidence: str, rivals: list[str]) -> None:
    spans = [span for c in find_conflicts(claim, evidence) if c.status == "contradicted" for span in c.evidence_spans]
    assert [evidence[start:end] for start, end in spans] == rivals
    unsupported = find_conflicts("死者3人", "火災があった。")
    assert [c.status for c in unsupported] == ["unsupported"] and unsupported[0].evidence_spans == ()


@pytest.mark.parametrize(
    ("text", "evidence", "expected"),
    [
        ("4", "4人が参加", True),
        ("4", "24人が参加", False),
        ("4", "0.4%", False),
        ("4", "4.5%", True),
        ("10月", "10月16日に発売", True),
        ("7.0", "マグニチュード(M)7.0の地震", True),
        ("東京", "東京都で開催", True),
    ],
)
def test_mentioned(text: str, evidence: str, expected: bool) -> None:
    assert mentioned(text, evidence) is expected


@pytest.mark.parametrize(
    ("claim", "evidence", "published", "expected"),
    [
        # a year the evidence never gives is checked against the date it was published
        ("2006夏の甲子園の組み合わせ決定", "大会の組み合わせ抽選の方式を決定した。", dt.date(2008, 4, 15), ["2006"]),
        ("2008夏の甲子園の組み合わせ決定", "大会の組み合わせ抽選の方式を決定した。", dt.date(2008, 4, 15), []),
        ("2006夏の甲子園の組み合わせ決定", "大会の組み合わせ抽選の方式を決定した。", None, []),
        ("2006夏の甲子園の組み合わせ決定", "2006年の大会の方式を決定した。", dt.date(2008, 4, 15), []),
        # a month the evidence gives without a year leaves the year to the publication date
        ("タバコ値上げ、2007年7月から", "7月1日より値上げを行う。", dt.date(2006, 5, 11), ["2007年7月"]),
        ("タバコ値上げ、2006年7月から", "7月1日より値上げを行う。", dt.date(2006, 5, 11), []),
        # a year glued to a name the evidence writes is checked as a year, the name as written
        ("2010W杯でスペインが優勝", "W杯南アフリカ大会でスペインが優勝した。", dt.date(2010, 7, 12), []),
        ("2009W杯でスペインが優勝", "W杯南アフリカ大会でスペインが優勝した。", dt.date(2010, 7, 12), ["2009"]),
        ("横浜トリエンナーレ2005、閉幕", "横浜トリエンナーレが閉幕した。", dt.date(2005, 12, 18), []),
        ("横浜トリエンナーレ2004、閉幕", "横浜トリエンナーレが閉幕した。", dt.date(2005, 12, 18), ["2004"]),
        # a four-digit count the evidence writes with a comma is no year
        ("日本製紙株2株を2000株と誤発注", "2株を2,000株と誤って発注した。", dt.date(2006, 1, 5), []),
    ],
)
def test_a_year_off_the_publication_date(
    claim: str, evidence: str, published: dt.date | None, expected: list[str]
) -> None:
    got = find_conflicts(claim, evidence, published=published)
    off = [c for c in got if c.kind == "date"]
    assert [c.claim_text for c in off] == expected
    assert not [c for c in got if c.kind == "number"]
    for c in off:
        assert c.status == "unsupported" and published is not None
        assert c.evidence_text == f"公開日 {published.isoformat()}" and str(published.year) in c.message


@pytest.mark.parametrize(
    ("claim", "evidence", "left"),
    [
        # the year the report was published in, which the evidence never writes, is cut with its particle
        (
            "北半球の多くの国で2006年の夏時間が終了",
            "29日、北半球の多くの国で夏時間が終了した。",
            "北半球の多くの国で夏時間が終了",
        ),
        ("西武ドーム、2006年は命名権を売却せず", "命名権を売却しないと発表した。", "西武ドーム、命名権を売却せず"),
        ("2006夏の帰省ラッシュはじまる", "帰省ラッシュが始まった。", "夏の帰省ラッシュはじまる"),
        ("平成18年度の予算が成立", "予算が成立した。", "予算が成立"),
        # the month after it stays; so does the mark that set it off, unless at an end of the claim
        ("タバコ値上げ、2006年7月から", "7月1日より値上げを行う。", "タバコ値上げ、7月から"),
        ("2006年・第56回紅白歌合戦の出場歌手決まる", "出場歌手が決まった。", "第56回紅白歌合戦の出場歌手決まる"),
        ("香川県知事選-2006年", "知事選挙が行われた。", "香川県知事選"),
        # written in the evidence, or another year: kept
        ("2006年の夏時間が終了", "2006年の夏時間が終了した。", "2006年の夏時間が終了"),
        ("2007年の夏時間が終了", "夏時間が終了した。", "2007年の夏時間が終了"),
    ],
)
def test_dateline_years_leave_the_claim_readable(claim: str, evidence: str, left: str) -> None:
    spans = dateline_years(claim, evidence, dt.date(2006, 5, 11))
    rest = "".join(ch for i, ch in enumerate(claim) if not any(a <= i < b for a, b in spans))
    assert rest == left
    assert dateline_years(claim, evidence, None) == []


_FIRE = "市内の住宅で火災があり、死者は2人となった。近くの店でも4人が軽いけがをした。"


@pytest.mark.parametrize(
    ("claim", "evidence", "expected"),
    [
        ("火災で死者3人", _FIRE, 1.0),  # the sentence that gives 2人 is about the fire's dead
        ("火災で死者2人", _FIRE, 0.0),  # nothing contradicted
        ("住宅で火災、1人がけが", "市内の住宅で火災があった。別の町では昨年、3人が亡くなった。", 0.0),
        ("通り魔事件で7人死亡", "秋葉原の通り魔事件で、17人が死傷した。警察によると犯人は3人を刺した。", 2 / 3),
        ("E955系試験電車が走行", "JR東日本はE954系の試験電車を公開した。", 0.75),
    ],
)
def test_rival_overlap(claim: str, evidence: str, expected: float) -> None:
    claim_tokens, evidence_tokens = tokenize(claim), tokenize(evidence)
    conflicts = find_conflicts(claim, evidence, claim_tokens, evidence_tokens)
    assert rival_overlap(claim_tokens, evidence, evidence_tokens, conflicts) == pytest.approx(expected)
