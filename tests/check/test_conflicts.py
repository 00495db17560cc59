import pytest

from digestnlp.check.conflicts import find_conflicts

# (claim, evidence, expected [(kind, status, claim text)])
CASES = [
    ("利回り5.10%に上昇", "利回りは3.58%に上昇した。", [("number", "contradicted", "5.10%")]),
    ("利回り5.10%に上昇", "利回りは5.1%に上昇した。", []),
    ("9万7千人が参加", "97,000人が参加した。", []),
    ("死者12人に", "この事故で10人が死亡した。", [("number", "contradicted", "12人")]),
    ("21万トンを輸入", "輸入量が話題になった。", [("number", "unsupported", "21万トン")]),
    ("2025年2月19日に会談", "2月19日に会談した。", []),
    ("2025年2月19日に会談", "2025年3月1日に会談した。", [("date", "contradicted", "2025年2月19日")]),
    ("プーチン大統領、停戦案に条件", "3畳のワンルームが人気だ。", [("name", "unsupported", "プーチン")]),
    ("プーチン大統領、停戦案に条件", "プーチン氏は条件を示した。", []),
    ("ゼレンスキー大統領が訪米", "ゼレンスキー氏が米国を訪れた。", []),
    ("ウラジーミル・プーチン大統領が会談", "プーチン大統領は会談した。", []),
    ("訃報スティーブ・オバマ氏", "スティーブ・ジョブズ氏が死去した。", [("name", "unsupported", "スティーブ・オバマ")]),
    ("東京・渋谷で事故", "東京都渋谷区で事故があった。", []),
    ("東京・武豊で事故", "東京都渋谷区で事故があった。", [("name", "unsupported", "東京・武豊")]),
    ("輸出が増加", "輸出は減少した。", [("polarity", "contradicted", "増加")]),
    ("株価が上昇", "株価は下落した。", [("polarity", "contradicted", "上昇")]),
    ("過去最多を記録", "過去最少を記録した。", [("polarity", "contradicted", "最多")]),
    ("法案を可決", "法案は否決された。", [("polarity", "contradicted", "可決")]),
    ("政府、法案を提出せず", "政府は法案を提出した。", [("negation", "contradicted", "提出")]),
    ("政府、法案を提出", "政府は法案を提出しなかった。", [("negation", "contradicted", "提出")]),
    ("三菱UFJが新サービス", "三菱UFJ銀行は新サービスを始めた。", []),
    ("第83回センバツ開幕", "第78回選抜高校野球大会が開幕した。", [("number", "contradicted", "第83回")]),
    ("第78回センバツ開幕", "第78回選抜高校野球大会が開幕した。", []),
    ("H5N4型ウイルスを検出", "H5N1型ウイルスが検出された。", [("number", "contradicted", "H5N4")]),
    ("Xbox360に新機能", "Xbox360に年齢制限機能を搭載する。", []),
    ("F-35を導入", "新型の戦闘機を導入する。", [("number", "unsupported", "F-35")]),
    ("2008M-1グランプリ開催", "M-1グランプリ2008が開催された。", []),
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
    ("20月創刊", "10月16日に発売する。", [("number", "unsupported", "20月")]),
    ("ドイツが世界一", "ドイツが優勝した。", []),
    ("100m9秒76の世界新", "100メートルで9秒76を記録した。", []),
    ("Windows7を発売", "Windows 7が発売された。", []),
    ("J1昇格を断念", "J12チームが参加", [("number", "contradicted", "J1")]),
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
