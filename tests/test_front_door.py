"""The patient's front door (saisei.front, templates/front_*.html) and the tables it reads (saisei.tables.cards),
against the small world of tests/views_world.py, in process."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from saisei.clinic_sources import merge_prices, verdicts_by_therapy
from saisei.front import search_sql
from tests.views_world import InProcessDatasette, build_world
from verify.vocabulary import VERDICTS


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("front") / "world.db")


@pytest.fixture(scope="module")
def site(world):
    site = InProcessDatasette(world)
    yield site
    site.close()


def html(site, path: str) -> str:
    response = site.get(path)
    assert response.status_code == 200, response.text[:1000]
    return response.text


def found(site, **params) -> list[str]:
    """Clinic ids of the result cards, in page order."""
    page = html(site, "/find?" + urllib.parse.urlencode(params))
    return re.findall(r'<h2 lang="ja"><a href="/clinic/([^"?]+)', page)


# -- the cards ---------------------------------------------------------------------------------------------


def test_one_card_per_clinic_with_one_verdict_per_therapy(world):
    db = sqlite_utils.Database(world)
    cards = {row["id"]: row for row in db["clinic_cards"].rows}
    assert set(cards) == {r["id"] for r in db["clinics"].rows}
    luminous = json.loads(cards["c-luminous"]["therapies"])
    # an offering and two directory listings of one therapy: one entry, both kinds of source
    assert luminous == [{"therapy": "adipose_cultured", "verdict": "not_found", "kinds": ["site", "directory"]}]
    assert cards["c-luminous"]["name_latin"] == "Luminous Regenerative Clinic Ginza"
    assert cards["c-luminous"]["prefecture_en"] == "Tokyo" and cards["c-luminous"]["flags"] == 1
    assert {t["verdict"] for t in json.loads(cards["c-minato"]["therapies"])} == {"registered"}


def test_picker_counts_and_the_index(world):
    db = sqlite_utils.Database(world)
    prefectures = {r["prefecture"]: r["clinics"] for r in db["clinic_cards_by_prefecture"].rows}
    assert prefectures == {"東京都": 2, "大阪府": 2, "福岡県": 1}
    therapies = {r["therapy"]: r["clinics"] for r in db["clinic_cards_by_therapy"].rows}
    assert therapies == {"adipose_cultured": 4, "prp_intra_articular": 1, "exosome": 1}
    sql, params = search_sql("幹細胞 東京", "東京都", "adipose_cultured")
    plan = " ".join(r[3] for r in db.execute("explain query plan " + sql, params).fetchall())
    assert "clinic_cards_fts" in plan and "SEARCH c USING" in plan and "SCAN c " not in plan
    # cards are stored in list order: the trigram index is read in rowid order, with no sort, up to one page
    sql, params = search_sql("幹細胞")
    plan = " ".join(r[3] for r in db.execute("explain query plan " + sql, params).fetchall())
    assert "SCAN clinic_cards_fts VIRTUAL TABLE" in plan and "TEMP B-TREE" not in plan, plan
    keys = [r[0] for r in db.execute("select sort_key from clinic_cards order by rowid").fetchall()]
    assert keys == sorted(keys)


#: searches of every shape: short words alone, long alone, both, with and without the pickers, none matching
SEARCHES = [
    ("港区", "", ""), ("膝", "", ""), ("東京 膝", "", ""), ("ひざ関節 港区", "", ""), ("stem 東京", "東京都", ""),
    ("膝", "", "prp_intra_articular"), ("大阪 幹細胞", "東京都", ""), ("幹細胞", "大阪府", "adipose_cultured"),
    ("", "福岡県", ""), ("", "", "exosome"), ("区", "東京都", "adipose_cultured"), ("ab 存在しない", "", ""),
]


@pytest.mark.parametrize("q, prefecture, therapy", SEARCHES)
def test_the_indexed_search_finds_what_reading_every_card_finds(world, q, prefecture, therapy):
    """The grams and trigram indexes, the prefecture's rowid run and the therapy codes change how cards are
    found, not which: the same cards, in the same order, as checking every card's words one by one."""
    from saisei.front import fold

    db = sqlite_utils.Database(world)
    words = fold(q).split()
    expected = [r["id"] for r in db.query("select * from clinic_cards order by rowid")
                if all(w in r["search_text"] for w in words) and (not prefecture or r["prefecture"] == prefecture)
                and (not therapy or therapy in (r["therapy_codes"] or "").split())]
    for grams in (True, False):
        sql, params = search_sql(q, prefecture, therapy, grams=grams)
        assert [r["id"] for r in db.query(sql, params)] == expected, (grams, sql)


def test_short_words_are_found_by_an_index_in_list_order(world):
    from saisei.tables.cards import gram_token, short_grams

    assert short_grams("東京 a") == " ".join(sorted(gram_token(g) for g in ("東", "京", " ", "a", "東京", "京 ", " a")))
    db = sqlite_utils.Database(world)
    for q in ("港区", "港区 ひざ関節"):
        sql, params = search_sql(q, "東京都")
        plan = " ".join(r[3] for r in db.execute("explain query plan " + sql, params).fetchall())
        assert "clinic_cards_grams_fts" in plan and "SCAN c " not in plan and "TEMP B-TREE" not in plan, plan


def test_every_card_table_can_be_counted_as_datasette_does_when_it_starts(world):
    db = sqlite_utils.Database(world)
    cards = db.execute("select count(*) from clinic_cards").fetchone()[0]
    assert db.execute("select count(*) from [clinic_cards_grams_fts]").fetchone()[0] == cards


@given(st.text(alphabet="東京港区ひざ関節 aAｱ𠮷\n", max_size=40))
def test_short_grams_are_every_character_and_pair(text):
    from saisei.tables.cards import gram_token, short_grams

    grams = set(text) | {text[i:i + 2] for i in range(len(text) - 1)}
    assert short_grams(text) == " ".join(sorted(gram_token(g) for g in grams))


def test_cards_read_a_chunk_of_clinics_at_a_time_are_the_cards_read_one_by_one(world, monkeypatch):
    from saisei.tables import cards

    db = sqlite_utils.Database(world)
    assert db["clinics"].count > 3 and db["offerings"].count > 3
    monkeypatch.setattr(cards, "CHUNK", 1)
    one_by_one = cards.card_rows(db)
    monkeypatch.setattr(cards, "CHUNK", 3)
    assert cards.card_rows(db) == one_by_one
    assert [c["id"] for c in one_by_one] == [r["id"] for r in db.query("select id from clinic_cards order by rowid")]


def test_verdicts_by_therapy_prefers_the_clinics_own_site_and_keeps_disagreement():
    rows = [
        {"id": "v1", "therapy": "prp", "verdict": "not_found", "listing_id": "l1", "offering_id": None},
        {"id": "v2", "therapy": "prp", "verdict": "registered", "offering_id": "o1"},
        {"id": "v3", "therapy": "asc", "verdict": "not_found", "listing_id": "l2", "offering_id": None},
    ]
    entries = {e["therapy"]: e for e in verdicts_by_therapy(rows, unchecked=["exo"])}
    assert entries["prp"]["verdict"] == "registered" and entries["prp"]["kinds"] == ["site", "directory"]
    assert entries["prp"]["other_verdicts"] == ["not_found"]
    assert entries["asc"]["kinds"] == ["directory"] and entries["exo"]["verdict"] is None


def test_prices_fold_across_language_versions_but_not_across_tax_or_unit():
    base = {"therapy": "asc", "currency": "JPY", "amount_min": 1760000, "amount_max": 1760000, "tax": "included",
            "unit": "knee"}
    prices = [
        {**base, "source_url": "https://a.example/", "usd_approx": 11800, "fetched_at": "2026-11-01"},
        {**base, "source_url": "https://a.example/ja/", "fetched_at": "2026-11-03"},
        {**base, "source_url": "https://a.example/zh/", "fetched_at": "2026-11-02"},
        {**base, "tax": "excluded", "source_url": "https://a.example/ja/"},
        {**base, "unit": "both_knees", "source_url": "https://a.example/ja/"},
    ]
    merged = merge_prices(prices)
    assert len(merged) == 3
    assert merged[0]["sources"] == ["https://a.example/", "https://a.example/ja/", "https://a.example/zh/"]
    assert merged[0]["usd_approx"] == 11800 and merged[0]["fetched_at"] == "2026-11-03"


# -- the pages ---------------------------------------------------------------------------------------------


def test_home_page_is_a_search_box_with_pickers_and_no_sql(site):
    page = html(site, "/")
    assert page.count('<input type="search"') == 1 and 'name="q"' in page
    assert '<select id="prefecture" name="prefecture">' in page and '<option value="東京都">東京都 (2)</option>' in page
    assert '<option value="exosome">エクソソーム (1)</option>' in page
    assert "治療が効く・安全であることの証明ではありません" in page
    for badge_ja, _ in (v.badge for v in VERDICTS.values()):
        assert badge_ja in page  # the key to every badge
    assert 'href="/world"' in page  # the analysts' door, one click away
    for sql_word in ("Run SQL", "Edit SQL", "<textarea", "clinic_cards"):
        assert sql_word not in page
    assert not re.search(r"(?i)\bselect\b[^{]*\bfrom\b", page)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "湊見台"}, ["c-minato", "c-evil"]),  # a Japanese name (c-evil's hostile name borrows it)
        ({"q": "ひざ関節"}, ["c-minato"]),
        ({"q": "luminous ginza"}, ["c-luminous"]),  # a romanised name (from a directory listing)
        ({"q": "ＬＵＭＩＮＯＵＳ"}, ["c-luminous"]),  # any width, any case
        ({"q": "aoba tenjin"}, ["c-aoba"]),  # the words of the site's romanised host name
        ({"prefecture": "大阪府"}, ["c-hoshi", "c-evil"]),
        ({"q": "Osaka"}, ["c-hoshi", "c-evil"]),  # a prefecture in English
        ({"q": "港区"}, ["c-minato"]),  # two characters: below the trigram index
        ({"q": "stem cells", "prefecture": "東京都"}, ["c-minato", "c-luminous"]),
        ({"therapy": "exosome"}, ["c-aoba"]),
        ({"q": "膝", "therapy": "prp_intra_articular"}, ["c-minato"]),
        ({"q": "存在しないクリニック"}, []),
    ],
)
def test_search_finds_clinics(site, params, expected):
    assert sorted(found(site, **params)) == sorted(expected)


def test_cards_carry_a_coloured_worded_badge_per_therapy(site):
    page = html(site, "/find?q=")
    cards = {cid: body for cid, body in re.findall(r'<a href="/clinic/([^"?]+)">.*?</a></h2>(.*?)</li>\s*(?=<li class="card"|</ul>\s*</div>)', page, re.S)}
    expected = {"c-minato": ("ok", "計画あり"), "c-luminous": ("bad", "計画なし"),
                "c-hoshi": ("warn", "別の治療の計画のみ"), "c-aoba": ("warn", "法の対象外")}
    for cid, (tone, text) in expected.items():
        assert f'<span class="badge {tone}">' in cards[cid] and text in cards[cid], cid
    assert "計画の提出は効果の証明ではありません" in cards["c-minato"]  # the caveat beside a green badge
    assert "確認したい点 1件" in cards["c-luminous"]
    assert "registered_other_therapy" not in page and "not_found" not in page  # words, never codes


def test_english_switch(site):
    page = html(site, "/find?q=" + urllib.parse.quote("湊見台") + "&lang=en")
    assert "Plan on file" in page and "Adipose-derived stem cells (cultured)" in page
    assert "A filed plan is not evidence that a treatment works" in page
    assert 'href="/clinic/c-minato?lang=en"' in page
    assert 'class="switch" href="/find?q=%E6%B9%8A%E8%A6%8B%E5%8F%B0&amp;lang=ja"' in page
    assert '<option value="東京都">Tokyo (2)</option>' in page


def test_typed_text_stays_text(site):
    page = html(site, "/find?q=" + urllib.parse.quote('"><script>alert(1)</script> OR 1=1 --'))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_plan_ended_badge(tmp_path):
    """Every verdict has its badge colour; plan_ended is not in the small world, so one card is made here."""
    from saisei.front import badge

    assert badge("plan_ended", "ja") == {"tone": "warn", "mark": "!", "text": "計画終了", "code": "plan_ended"}
    assert badge("plan_ended", "en")["text"] == "Plan ended"
    assert badge(None, "en")["text"] == "Not checked yet" and badge(None, "en")["tone"] == "none"


def test_result_cards_are_the_cards_datasettes_own_environment_writes(site):
    """The cards are rendered synchronously (saisei.fragments, _front_cards.html) rather than included one by one
    in Datasette's asynchronous page: the text is the same, byte for byte, in both languages."""
    datasette = site.datasette
    seen = {}
    original = datasette.render_template

    async def capturing(templates, context=None, request=None, view_name=None):
        seen.update(context)
        return await original(templates, context, request=request, view_name=view_name)

    loop = '{% for card in cards %}{% include "_front_card.html" %}{% endfor %}'
    for lang in ("ja", "en"):
        datasette.render_template = capturing
        try:
            ours = html(site, "/find?lang=" + lang)  # every clinic
        finally:
            datasette.render_template = original
        assert len(seen["cards"]) >= 2
        included = site.loop.run_until_complete(
            datasette.jinja_env.from_string(loop).render_async(urls=datasette.urls, **seen))
        assert '<li class="card">' in included and included in ours
