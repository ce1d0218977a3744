"""Clinic pages: the extractor on every fixture, the clinic_sites spider's crawl bounds, the clinic tables."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from readers.regions import bureau_for_prefecture
from saisei.extraction_scores import fixture_pages
from saisei.tables.clinics import group_pages
from scrapers.parsers.clinic_page import extract_clinic_page
from scrapers.parsers.page_text import decode_page
from scrapers.spiders.clinic_sites import ClinicSitesSpider
from tests.conftest import FIXTURES, bound_spider

CLINIC_FIXTURES = FIXTURES / "clinic_pages"
ROOT = Path(__file__).resolve().parent.parent


def _load():
    return {
        name: (meta, body, extract_clinic_page(body, meta["url"], meta["headers"]))
        for name, meta, body in fixture_pages(CLINIC_FIXTURES)
    }


# parsed once for the module
CASES = _load()
NAMES = sorted(CASES)


def test_the_fixture_set_covers_what_the_issue_asks_for():
    metas = [meta for meta, _, _ in CASES.values()]
    assert len(CASES) >= 25
    declared = [(m["headers"]["Content-Type"], body[:400]) for m, body, _ in CASES.values()]
    shift_jis = [b for _, b in declared if b"Shift_JIS" in b]
    assert len(shift_jis) >= 2
    assert any(b"EUC-JP" in b for _, b in declared)
    assert any(r.get("charset_conflict") for _, _, r in CASES.values())
    statuses = {r["status"] for _, _, r in CASES.values()}
    assert {"ok", "non_html", "js_only"} <= statuses
    assert any(r.get("truncated") for _, _, r in CASES.values())
    english = [m for m in metas if m["expected"]["languages"] and "en" in m["expected"]["languages"]]
    assert len(english) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_page_status_and_clinic(name):
    meta, _, result = CASES[name]
    expected = meta["expected"]
    assert result["status"] == expected["status"]
    assert {k: result["clinic"].get(k) for k in expected["clinic"]} == expected["clinic"]


@pytest.mark.parametrize("name", NAMES)
def test_identifiers_with_their_labels(name):
    meta, _, result = CASES[name]
    found = [{"kind": i["kind"], "canonical": i["canonical"], "label": i["label"]} for i in result["identifiers"]]
    assert found == meta["expected"]["identifiers"]


@pytest.mark.parametrize("name", NAMES)
def test_therapies_offered(name):
    meta, _, result = CASES[name]
    assert sorted({o["therapy"] for o in result["offerings"]}) == meta["expected"]["therapies"]


@pytest.mark.parametrize("name", NAMES)
def test_prices_with_their_therapy(name):
    meta, _, result = CASES[name]
    keys = ("amount_min", "amount_max", "currency", "tax", "unit", "therapy")
    assert [{k: p[k] for k in keys} for p in result["prices"]] == meta["expected"]["prices"]
    for price in result["prices"]:
        assert price["printed"] in price["excerpt"] or price["printed"].strip() in price["excerpt"]


@pytest.mark.parametrize("name", NAMES)
def test_class_approval_disclosures_languages(name):
    meta, _, result = CASES[name]
    expected = meta["expected"]
    assert sorted({c["plan_class"] for c in result["class_statements"]}) == expected["class_statements"]
    assert bool(result["approval_wording"]) == expected["approval_wording"]
    assert sorted(result["ad_disclosures"]["present"]) == expected["ad_disclosures"]
    assert sorted(result["languages"]) == expected["languages"]
    assert set(result["ad_disclosures"]["present"]) | set(result["ad_disclosures"]["missing"]) == {
        "unapproved", "source", "alternatives", "risks", "relief_system"
    }


def test_a_shift_jis_page_behind_a_utf8_header_reads_correctly():
    _, body, result = CASES["minatonishi_prp_charset_conflict"]
    assert result["header_charset"] == "utf-8" and result["meta_charset"] == "cp932"
    assert result["encoding"] == "cp932" and result["charset_conflict"]
    assert result["clinic"]["name_printed"] == "みなと西整形外科"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_the_page_size_cap_drops_what_lies_beyond_it():
    meta, body, result = CASES["oversized_page"]
    assert len(body) > 512 * 1024 and result["truncated"] and result["size"] == len(body)
    assert 2000000 not in [p["amount_min"] for p in result["prices"]]
    small = decode_page(body, meta["headers"]["Content-Type"], cap=1000)
    assert small.truncated and len(small.text) < 1000


def test_non_html_and_javascript_only_pages_are_recorded_as_such():
    assert CASES["minatomidai_price_list"][2]["content_type"] == "application/pdf"
    js_only = CASES["luminous_reservation_js_only"][2]
    assert js_only["status"] == "js_only" and js_only["offerings"] == []


def test_lookalike_numbers_are_reported():
    found = {i["canonical"]: i for i in CASES["lookalike_numbers_sjis"][2]["identifiers"]}
    assert found["PB1240921"]["lookalikes"] == ["O for 0 at position 6"]
    assert found["PB1240921"]["printed"] == "ＰＢ１２４Ｏ９２１"


def test_sample_plan_numbers_decode_to_their_clinics_bureau_except_the_deliberate_one():
    wrong = []
    for name, (_, _, result) in CASES.items():
        prefecture = result["clinic"].get("prefecture")
        for identifier in result["identifiers"]:
            bureau = identifier["fields"].get("bureau")
            if identifier["kind"] == "plan_number" and prefecture and bureau != bureau_for_prefecture(prefecture):
                wrong.append((name, identifier["canonical"]))
    # 灯台通りクリニック (北海道) prints a plan number with the 関東信越 bureau digit, on purpose
    assert wrong == [("todaidori_saisei_sjis", "PB3230904")]


def test_the_extractor_survives_garbage():
    for body in (b"", b"\x00\xff" * 100, b"<html><body><table><tr><td>", "計画番号".encode("utf-16")):
        result = extract_clinic_page(body, "https://x.example/", {"Content-Type": "text/html"})
        assert result["status"] in ("ok", "empty", "js_only")


# The spider


def response_for(name: str, request: Request | None = None) -> Response:
    meta, body, _ = CASES[name]
    request = request or Request(meta["url"])
    cls = Response if meta["headers"]["Content-Type"].startswith("application/pdf") else HtmlResponse
    return cls(url=meta["url"], body=body, headers=meta["headers"], request=request)


def replay_spider(**kwargs) -> ClinicSitesSpider:
    crawler = get_crawler(ClinicSitesSpider, settings_dict={"SAISEI_REPLAY_ARCHIVE": str(ROOT / "data/sample.wacz")})
    spider = ClinicSitesSpider.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def test_a_page_becomes_one_item_and_requests_for_its_own_site_only():
    spider = replay_spider()
    output = list(spider.parse_clinic_page(response_for("minatomidai_home"), site="minatomidai-hiza.example",
                                           depth=0, via="seed"))
    items = [o for o in output if isinstance(o, dict)]
    requests = [o for o in output if isinstance(o, Request)]
    assert len(items) == 1 and items[0]["record"] == "clinic_page" and items[0]["source_url"]
    assert items[0]["fetched_at"] and "links" not in items[0]
    assert {r.url for r in requests} == {
        "https://minatomidai-hiza.example/",
        "https://minatomidai-hiza.example/saisei/",
        "https://minatomidai-hiza.example/yokohama/",
        "https://minatomidai-hiza.example/files/price-list.pdf",
    }  # the English site on another host is not followed
    assert all(r.cb_kwargs["depth"] == 1 for r in requests)


def test_depth_and_page_caps_bound_the_crawl():
    spider = replay_spider(depth=1, max_pages=2)
    output = list(spider.parse_clinic_page(response_for("minatomidai_home"), site="minatomidai-hiza.example",
                                           depth=1, via="seed"))
    assert not [o for o in output if isinstance(o, Request)]
    spider = replay_spider(max_pages=2)
    output = list(spider.parse_clinic_page(response_for("minatomidai_home"), site="minatomidai-hiza.example",
                                           depth=0, via="seed"))
    assert len([o for o in output if isinstance(o, Request)]) == 2
    assert spider.crawler.stats.get_value("saisei/clinics/page_cap_reached") >= 1


def test_robust_reading_is_counted_in_stats_and_js_pages_warned():
    spider = replay_spider()
    list(spider.parse_clinic_page(response_for("oversized_page"), site="x", depth=0, via="seed"))
    list(spider.parse_clinic_page(response_for("minatonishi_home_charset_conflict"), site="y", depth=0, via="seed"))
    list(spider.parse_clinic_page(response_for("luminous_reservation_js_only"), site="z", depth=0, via="seed"))
    list(spider.parse_clinic_page(response_for("minatomidai_price_list"), site="w", depth=0, via="seed"))
    stats = spider.crawler.stats
    assert stats.get_value("saisei/clinics/oversized") == 1
    assert stats.get_value("saisei/clinics/charset_conflict") == 1
    assert stats.get_value("saisei/clinics/pages/non_html") == 1
    assert [p["kind"] for p in spider.problems] == ["js_only"]


def test_seeds_come_from_the_lists_the_option_and_the_argument(tmp_path):
    extra = tmp_path / "more.txt"
    extra.write_text("# mine\nhttps://hoshifuri-seikei.example/\nnot a url\n", encoding="utf-8")
    spider = replay_spider(seeds=str(extra))
    seeds = spider.clinic_seeds()
    assert "https://minatomidai-hiza.example/" in seeds and "https://hoshifuri-seikei.example/" in seeds
    assert len(seeds) == len(set(seeds)) == 11
    # offline, the archive decides: the real directory seeds are not in the sample archive, so skipped
    assert spider.directory_urls() == [
        "https://japan-knee-guide.example/stem-cell-knee-japan/", "https://japan-knee-guide.example/clinics/tokyo/",
        "https://japan-knee-guide.example/clinics/osaka-fukuoka/"]
    assert spider.crawler.stats.get_value("saisei/seeds/not_in_archive") == 3
    crawler = get_crawler(ClinicSitesSpider, settings_dict={
        "SAISEI_REPLAY_ARCHIVE": str(ROOT / "data/sample.wacz"), "SAISEI_CLINIC_SEEDS": str(extra)})
    assert "https://hoshifuri-seikei.example/" in ClinicSitesSpider.from_crawler(crawler).clinic_seeds()


def test_a_live_crawl_skips_the_reserved_example_hosts():
    spider = bound_spider(ClinicSitesSpider)
    assert spider.site_request("https://luminous-ginza.example/", via="seed") is None
    assert spider.crawler.stats.get_value("saisei/clinics/sample_hosts_skipped") == 1
    assert spider.site_request("https://clinic.example.jp/", via="seed") is not None


def test_a_failed_seed_is_an_error_and_a_failed_link_a_warning():
    spider = replay_spider()
    seed = spider.site_request("https://minatomidai-hiza.example/", via="seed")
    followed = spider.site_request("https://minatomidai-hiza.example/access/", via="https://x", depth=1)
    assert seed.errback == spider.errback
    assert followed.errback == spider.errback_clinic_page


# The tables


def _page(url, name=None, phone=None, address=None, depth=0, site=None):
    return {"source_url": url, "fetched_at": "2026-11-20T03:10:00Z", "site": site or url.split("/")[2],
            "depth": depth, "status": "ok",
            "clinic": {"name_printed": name, "name_key": name and name.lower(), "phone": phone, "address": address}}


def test_pages_group_into_clinics_by_name_or_phone_within_a_site():
    pages = [
        _page("https://a.example/", "Aクリニック", "03-1"),
        _page("https://a.example/en/", "A Clinic", "03-1", depth=1),
        _page("https://a.example/branch/", "Aクリニック 横浜院", "045-2", depth=1),
        _page("https://a.example/app/", depth=1),
        _page("https://b.example/", "Aクリニック", "03-1"),  # the same clinic's second site
        _page("https://c.example/", "Aクリニック", "06-9"),  # a namesake elsewhere
    ]
    clinics = group_pages(pages)
    urls = sorted(sorted(p["source_url"] for p in c.pages) for c in clinics)
    assert urls == [
        ["https://a.example/", "https://a.example/app/", "https://a.example/en/", "https://b.example/"],
        ["https://a.example/branch/"],
        ["https://c.example/"],
    ]


def test_a_chains_brand_pages_do_not_join_the_one_branch_crawled_on_its_site():
    """共立美容外科's group columns beside its 立川院 page: the brand is no one branch, so a branch's filed plan must not
    become the brand's verdict; a page that names nothing still joins the site's main clinic."""
    pages = [
        _page("https://k.example/clinic/tachikawa/prp/", "共立美容外科 立川院", depth=2),
        _page("https://k.example/column/prp-effects/", "共立美容外科", depth=2),
        _page("https://k.example/column/prp-areas/", "共立美容外科", depth=2),
        _page("https://k.example/app/", depth=3),
    ]
    urls = sorted(sorted(p["source_url"] for p in c.pages) for c in group_pages(pages))
    assert urls == [["https://k.example/app/", "https://k.example/clinic/tachikawa/prp/"],
                    ["https://k.example/column/prp-areas/", "https://k.example/column/prp-effects/"]]


@pytest.fixture(scope="module")
def clinic_tables(sample_db):
    db = sqlite3.connect(sample_db)
    db.row_factory = sqlite3.Row
    yield db
    db.close()


def test_the_offline_build_fills_the_clinic_tables(clinic_tables):
    counts = {t: clinic_tables.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("clinics", "offerings", "claims", "prices", "directory_listings")}
    assert counts["clinics"] == 14
    assert all(counts.values()), counts
    for table in ("offerings", "claims", "prices"):
        missing = clinic_tables.execute(
            f"select count(*) from {table} where source_url is null or fetched_at is null").fetchone()[0]
        assert missing == 0, table
    assert clinic_tables.execute("select count(*) from claims where capture_record_id is null").fetchone()[0] == 0


def test_one_clinic_from_its_pages_and_the_directories_that_list_it(clinic_tables):
    row = clinic_tables.execute("select * from clinics where name_printed = 'ルミナス再生クリニック銀座'").fetchone()
    sources = json.loads(row["sources"])
    assert "https://luminous-ginza.example/en/" in sources
    assert "https://japan-knee-guide.example/clinics/tokyo/" in sources
    assert row["js_only"] == 1 and row["prefecture"] == "東京都" and row["city"] == "中央区"
    listings = clinic_tables.execute("select clinic_id from directory_listings where clinic_url like "
                                     "'https://luminous-ginza.example/%'").fetchall()
    assert listings and {r["clinic_id"] for r in listings} == {row["id"]}
    branch = clinic_tables.execute("select prefecture from clinics where name_printed like '%横浜院'").fetchone()
    assert branch["prefecture"] == "神奈川県"


def test_claims_keep_their_label_and_the_committee_number_printed_as_registration(clinic_tables):
    rows = clinic_tables.execute(
        "select c.label, c.identifier_kind from claims c join clinics k on k.id = c.clinic_id "
        "where k.name_printed = '灯台通りクリニック' and c.kind = 'identifier' order by c.canonical").fetchall()
    assert [(r["label"], r["identifier_kind"]) for r in rows] == [
        ("登録番号", "committee_number"), ("計画番号", "plan_number")]


def test_clinic_ids_are_stable_across_builds(clinic_tables, tmp_path):
    from tests.conftest import run_saisei

    db = tmp_path / "again.db"
    assert run_saisei("build", "--offline", "--db", str(db)).returncode == 0
    again = sqlite3.connect(db)
    assert {r[0] for r in again.execute("select id from clinics")} == {
        r[0] for r in clinic_tables.execute("select id from clinics")}
    again.close()


@pytest.mark.parametrize(
    ("printed", "domestic"),
    [("03(5555)0101", "03-5555-0101"), ("+81-6-5555-0188", "06-5555-0188"), ("+81 (0)3 5555 0101", "03-5555-0101"),
     ("０３（５５５５）０１０１", "03-5555-0101"), ("0120-555-010", "0120-555-010"), ("12-34", None)],
)
def test_phone_numbers_in_their_domestic_form(printed, domestic):
    from scrapers.parsers.site_identity import domestic_phone as _domestic

    assert _domestic(printed) == domestic


def test_class_statements_in_roman_and_full_width_numerals():
    body = ("<html><head><title>テストクリニック</title></head><body><p>PRP療法は第Ⅲ種です。</p>"
            "<p>幹細胞治療は第２種再生医療等です。</p></body></html>").encode()
    result = extract_clinic_page(body, "https://t.example/", {"Content-Type": "text/html; charset=utf-8"})
    assert [(c["plan_class"], c["printed"]) for c in result["class_statements"]] == [(3, "第Ⅲ種"), (2, "第２種")]


def test_a_price_matrix_keeps_each_cells_therapy_and_unit():
    result = CASES["heldout2_price_columns"][2]
    assert [(p["therapy"], p["unit"], p["amount_min"]) for p in result["prices"]] == [
        ("prp_intra_articular", "knee", 33000), ("adipose_cultured", "knee", 1100000),
        ("prp_intra_articular", "both_knees", 55000), ("adipose_cultured", "both_knees", 1980000)]


def test_the_seeds_option_reaches_the_spider(tmp_path):
    from tests.conftest import run_saisei

    seeds = tmp_path / "seeds.txt"
    seeds.write_text("https://not-archived-clinic.example/\n", encoding="utf-8")
    db = tmp_path / "s.db"
    result = run_saisei("build", "--offline", "--db", str(db), "--seeds", str(seeds))
    assert result.returncode == 0, result.stderr
    stats = sqlite3.connect(db).execute("select stats from crawl_runs where spider = 'clinic_sites'").fetchone()[0]
    # offline, the archive decides: the 3 real directory seeds and this file's seed are not in it
    assert json.loads(stats)["saisei/seeds/not_in_archive"] == 4
    assert run_saisei("build", "--seeds", str(tmp_path / "missing.txt")).returncode == 2


def test_treatment_and_price_pages_are_crawled_before_the_rest():
    from scrapers.spiders.clinic_sites import relevance

    links = ["https://a.example/news/2024/05/", "https://a.example/access/", "https://a.example/price/",
             "https://a.example/%E5%86%8D%E7%94%9F%E5%8C%BB%E7%99%82/"]
    assert set(sorted(links, key=relevance)[:2]) == {"https://a.example/price/",
                                                     "https://a.example/%E5%86%8D%E7%94%9F%E5%8C%BB%E7%99%82/"}
    spider = replay_spider(max_pages=1)
    output = list(spider.parse_clinic_page(response_for("minatomidai_home"), site="minatomidai-hiza.example",
                                           depth=0, via="seed"))
    # one page left under the cap: a treatment or price page, not the branch page or the home page again
    requests = [r.url for r in output if isinstance(r, Request)]
    assert len(requests) == 1 and requests[0] in {
        "https://minatomidai-hiza.example/saisei/", "https://minatomidai-hiza.example/files/price-list.pdf"}


def test_a_list_table_with_one_priced_column_keeps_each_rows_unit():
    body = """<html><head><title>料金</title></head><body><h2>治療メニューと料金（税込）</h2><table>
      <thead><tr><th>治療</th><th>内容</th><th>料金</th></tr></thead>
      <tr><th>エクソソーム 頭皮注入</th><td>頭頂部 1回</td><td>49,800円</td></tr>
      <tr><th>エクソソーム 頭皮注入</th><td>6回コース</td><td>268,800円</td></tr></table></body></html>"""
    result = extract_clinic_page(body.encode(), "https://t.example/price", {"Content-Type": "text/html; charset=utf-8"})
    assert [(p["unit"], p["amount_min"]) for p in result["prices"]] == [("session", 49800), ("course", 268800)]


def test_another_products_row_in_a_prp_fee_list_is_not_a_prp_price():
    body = """<html><head><title>料金</title></head><body><h2>料金（税込）</h2><table>
      <tr><th>PRP皮膚再生療法 目の下 1部位</th><td>88,000円</td></tr>
      <tr><th>顔全体</th><td>198,000円</td></tr>
      <tr><th>フォトフェイシャル（IPL） 顔全体 1回</th><td>22,000円</td></tr></table></body></html>"""
    result = extract_clinic_page(body.encode(), "https://t.example/menu", {"Content-Type": "text/html; charset=utf-8"})
    assert [p["amount_min"] for p in result["prices"]] == [88000, 198000]
    assert 22000 in [a["amount_min"] for a in result["other_amounts"]]


def test_a_nested_tables_rows_keep_their_own_tax_columns():
    from bs4 import BeautifulSoup

    from scrapers.parsers.fee_tables import mark_tax_columns

    soup = BeautifulSoup("""<table><tr><th>治療</th><th>料金(税抜)</th><th>料金(税込)</th></tr>
      <tr><td>PRP</td><td>30,000円</td><td>33,000円</td></tr>
      <tr><td colspan="3"><table><tr><td>検査</td><td>5,000円</td><td>5,500円</td></tr></table></td></tr>
      </table>""", "lxml")
    mark_tax_columns(soup)
    rows = [r.get_text(" ", strip=True) for r in soup.find_all("tr")]
    assert rows[1] == "PRP 30,000円 （税抜） 33,000円 （税込）"
    assert "税" not in rows[-1]  # the inner table has no tax header of its own
