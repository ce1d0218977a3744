"""Datasette canned queries for patients and analysts: static SQL, the same for every database ``saisei serve``
serves.

Every build writes every table these read, and ``saisei serve`` refuses a database stamped with an older schema
(:mod:`saisei.schema`), so no query checks which tables exist. The SQL is fixed when this module is imported; the
only parts not written out here are the verdict labels and lists, which come from :mod:`verify.vocabulary` so
a new verdict reaches these queries without editing them. ``saisei serve`` puts :func:`canned_queries` into the
runtime metadata beside the hand-written queries of ``metadata.json`` (the Atom feeds).

The SQL uses the functions the saisei Datasette plugin registers (``plugins/saisei_datasette.py``):
``saisei_fold(text)`` (NFKC, spaces folded, lower case), ``saisei_fts_query(q)`` (the FTS5 query for the terms
of three or more characters, '' when there are none), ``saisei_short_terms(q)`` (the one- and two-character
terms, for the ``instr()`` fallback) and ``saisei_matches(text, q)`` (every term of ``q`` is a substring of
``text``, any length).
"""

from __future__ import annotations

from dataclasses import dataclass

from verify.vocabulary import UNCHECKED, VERDICTS


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    description: str
    sql: str
    hide_sql: bool = True

    def metadata(self) -> dict:
        return {
            "title": self.title,
            "description_html": self.description,
            "sql": self.sql,
            "hide_sql": self.hide_sql,
        }


def verdict_label(column: str) -> str:
    """SQL for the plain-words label of a verdict (the short labels of :mod:`verify.vocabulary`)."""
    whens = " ".join(f"when '{code}' then '{v.short}'" for code, v in VERDICTS.items())
    return f"case {column} {whens} else '{UNCHECKED.short}' end"


def _sql_list(codes) -> str:
    return ", ".join(f"'{code}'" for code in codes)


#: verdicts that mean "advertised without a current plan for it"
WITHOUT_PLAN = [code for code, v in VERDICTS.items() if v.without_plan]
#: one count column per verdict, for verdicts_by_therapy
VERDICT_COUNTS = ", ".join(f"sum(v.verdict = '{code}') as {v.column}" for code, v in VERDICTS.items())


def _search_branches(name: str, columns: str, join: str) -> list[str]:
    """The two ways to search one table, of which the constant test on ``saisei_fts_query(:q)`` keeps one."""
    fts, search = f"{name}_fts", f"{name}_fts_text"
    short_terms_found = "not exists (select 1 from wanted where instr(s.haystack, wanted.term) = 0)"
    return [
        f"""select {columns} from {fts} join {search} s on s.rowid = {fts}.rowid {join}
where saisei_fts_query(:q) != '' and {fts} match saisei_fts_query(:q) and {short_terms_found}""",
        f"""select {columns} from {search} s {join}
where saisei_fts_query(:q) = '' and saisei_short_terms(:q) != '' and {short_terms_found}""",
    ]


_PLAN_COLUMNS = (
    "'plan' as kind, p.id as plan, null as clinic_page, p.facility_printed as name, p.therapy_printed as therapy, "
    "p.prefecture as prefecture, p.plan_class as plan_class, p.status as status"
)
_CLINIC_COLUMNS = (
    "'clinic' as kind, null as plan, c.id as clinic_page, c.name_printed as name, "
    "s.therapies as therapy, c.prefecture as prefecture, null as plan_class, null as status"
)

#: One box for plans and clinics: the trigram index for terms of 3+ characters, ``instr()`` for shorter ones.
#: Each table is searched by two branches (the index, every term long enough, the short ones then checked on the
#: rows it found; or a scan of the normalised copies when every term is short). The short terms are split into
#: rows once (``wanted``), so the per-row test is plain SQL. Plans come before clinics; at most 100 rows: the
#: first 100 found, then sorted, since sorting every match of a broad term (a quarter of all clinics for
#: 脂肪由来幹細胞) would cost more than the search itself, and 100 rows are already "narrow it down".
SEARCH = Query(
    "search",
    "Search plans and clinics / 計画・医療機関を検索",
    "<p>Any part of a clinic or facility name, a therapy or an address, in Japanese or English; full- and "
    "half-width are the same (ＰＲＰ = PRP). Terms of one or two characters (膝, 港区) work here too. "
    "Every word must match; at most 100 rows, plans first: add a word to narrow it down. "
    "医療機関名・治療名・所在地の一部で検索できます（全角・半角は区別しません。1〜2文字の語も可）。</p>",
    """with recursive split(term, rest) as (
  select '', saisei_short_terms(:q) || ' '
  union all
  select substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) from split where rest != ''
), wanted as materialized (select term from split where term != '')
"""
    + "select * from (\n"
    + "\nunion all\n".join(
        _search_branches("plans", _PLAN_COLUMNS, "join plans p on p.rowid = s.rowid")
        + _search_branches("clinics", _CLINIC_COLUMNS, "join clinics c on c.rowid = s.rowid")
    )
    + "\nlimit 100\n) order by kind desc, prefecture, name",
)

_AREA_TEXT = (
    "ifnull(c.prefecture, '') || ' ' || ifnull(g.prefecture_en, '') || ' ' || ifnull(c.city, '') || ' ' || "
    "ifnull(c.address, '')"
)
_THERAPY_TEXT = "o.therapy || ' ' || ifnull(o.therapy_printed, '') || ' ' || ifnull(t.ja, '') || ' ' || ifnull(t.en, '')"
_CONDITION_TEXT = "ifnull(o.condition, '') || ' ' || ifnull(k.ja, '') || ' ' || ifnull(k.en, '')"

FIND_CLINIC = Query(
    "find_clinic",
    "Find a clinic / クリニックを探す",
    "<p>Area (prefecture, city or ward, in Japanese or English), therapy (e.g. 脂肪, PRP, stem cells) and "
    "condition (e.g. 膝, knee): leave any empty. Each row is one therapy a clinic advertises, with what the "
    "registry check found; open the clinic page for the plans, prices and sources behind it. "
    "地域・治療・疾患で探せます（空欄は条件なし）。「registered」は計画が提出されていることを示すだけで、"
    "治療の有効性を示すものではありません。</p>",
    f"""select c.id as clinic_page, c.name_printed as clinic, c.prefecture, c.city, t.ja as therapy_ja, t.en as therapy_en, \
k.ja as condition_ja, k.en as condition_en, {verdict_label("v.verdict")} as registry, v.verdict, \
substr(v.checked_at, 1, 10) as checked
from offerings o
join clinics c on c.id = o.clinic_id
left join prefectures g on g.prefecture = c.prefecture
left join therapies t on t.code = o.therapy
left join conditions k on k.code = o.condition
left join verifications v on v.offering_id = o.id
where (saisei_fold(:area) = '' or saisei_matches({_AREA_TEXT}, :area))
  and (saisei_fold(:therapy) = '' or o.therapy = :therapy or saisei_matches({_THERAPY_TEXT}, :therapy))
  and (saisei_fold(:condition) = '' or o.condition = :condition or saisei_matches({_CONDITION_TEXT}, :condition))
order by c.prefecture, c.name, o.therapy
limit 500""",
)


def _count_query(name: str, title: str, description: str, sql: str) -> Query:
    """An analyst's query: a table of counts with its SQL shown, to copy and adapt."""
    return Query(name, title, f"<p>{description}</p>", sql, hide_sql=False)


_SPLIT = ", sum(p.status = 'current') as current, sum(p.status = 'ended') as ended"
_THERAPY_LABEL = ", t.ja as therapy_ja, t.en as therapy_en"

ANALYST_QUERIES = (
    _count_query(
        "plans_by_class",
        "Plans by risk class / リスク区分別の計画数",
        "Class 2 (第二種) and class 3 (第三種) treatment plans on the e-再生医療 lists.",
        f"select p.plan_class, count(*) as plans{_SPLIT} from plans p group by p.plan_class order by p.plan_class",
    ),
    _count_query(
        "plans_by_bureau",
        "Plans by regional health bureau / 地方厚生局別の計画数",
        "The bureau that receives each filing, derived from the prefecture.",
        f"""select p.bureau, b.name_ja, b.name_en, count(*) as plans,
  sum(p.plan_class = 2) as class_2, sum(p.plan_class = 3) as class_3{_SPLIT}
from plans p left join bureaus b on b.bureau = p.bureau
group by p.bureau order by plans desc""",
    ),
    _count_query(
        "plans_by_prefecture",
        "Plans by prefecture / 都道府県別の計画数",
        "All 47 prefectures, including those with no plan.",
        """select g.code, g.prefecture, g.prefecture_en, count(p.id) as plans,
  coalesce(sum(p.plan_class = 2), 0) as class_2, coalesce(sum(p.plan_class = 3), 0) as class_3, \
(select count(*) from clinics c where c.prefecture = g.prefecture) as clinics
from prefectures g left join plans p on p.prefecture = g.prefecture
group by g.code order by plans desc, g.code""",
    ),
    _count_query(
        "plans_by_cell_source",
        "Plans by cell source / 細胞の種類別の計画数",
        "Each plan's therapy name classified by saisei (readers/taxonomy.py): adipose cultured or not, "
        "SVF, bone marrow, PRP inside or outside a joint, … A name the rules do not recognise counts as "
        "'other'.",
        """select k.cell_source, t.ja, t.en, count(*) as plans,
  sum(p.plan_class = 2) as class_2, sum(p.plan_class = 3) as class_3
from plan_categories k join plans p on p.id = k.plan_id left join therapies t on t.code = k.cell_source
group by k.cell_source order by plans desc""",
    ),
    _count_query(
        "plans_by_condition",
        "Plans by condition / 対象疾患別の計画数",
        "The condition named in each plan's therapy name (knee osteoarthritis, skin, hair, …).",
        """select k.condition, c.ja, c.en, count(*) as plans,
  sum(p.plan_class = 2) as class_2, sum(p.plan_class = 3) as class_3
from plan_categories k join plans p on p.id = k.plan_id left join conditions c on c.code = k.condition
group by k.condition order by plans desc""",
    ),
    _count_query(
        "plans_appeared_or_ended",
        "Plans that appeared or ended between crawls / 新たに掲載・掲載終了した計画",
        "A plan 'appeared' when a crawl first listed it (plans seen in the very first build are the "
        "baseline, not news); it 'ended' when a complete crawl of its list no longer showed it.",
        """select * from (
  select 'appeared' as event, substr(p.first_seen, 1, 10) as date, p.id as plan, p.facility_printed as facility,
    p.therapy_printed as therapy, p.prefecture, p.plan_class
  from plans p where p.first_seen > (select min(first_seen) from plans)
  union all
  select 'ended', substr(p.ended_at, 1, 10), p.id, p.facility_printed, p.therapy_printed, p.prefecture, p.plan_class
  from plans p where p.ended_at is not null
) order by date desc, event, facility""",
    ),
    _count_query(
        "changes_between_crawls",
        "Every change between crawls / クロール間の変更",
        "Field by field, from the table changes: records added or removed, and values that changed. "
        "Filter with kind = plan, clinic, verification, ….",
        """select substr(changed_at, 1, 10) as date, record_kind, record_id, label, field, old_value, new_value
from changes where (:kind = '' or record_kind = :kind)
order by changed_at desc, id desc limit 1000""",
    ),
    _count_query(
        "advertised_without_plan",
        "Clinics advertising a therapy without a plan / 計画なしで治療を広告しているクリニック",
        f"Verdicts {_sql_list(WITHOUT_PLAN)}. A clinic's page can be out of date, and a plan can sit under "
        "another name: each row is a question to check, not a finding.",
        f"""select c.id as clinic_page, c.name_printed as clinic, c.prefecture, v.therapy{_THERAPY_LABEL},
  {verdict_label("v.verdict")} as registry, v.verdict, v.reason_en, v.reason_ja, substr(v.checked_at, 1, 10) as checked
from verifications v join clinics c on c.id = v.clinic_id left join therapies t on t.code = v.therapy
where v.verdict in ({_sql_list(WITHOUT_PLAN)})
order by v.verdict, c.prefecture, c.name_printed""",
    ),
    _count_query(
        "verdicts_by_therapy",
        "Verdicts by therapy / 治療別の判定",
        "How the clinics' advertised therapies fared against the registry.",
        f"""select v.therapy{_THERAPY_LABEL}, count(*) as offerings,
  {VERDICT_COUNTS}
from verifications v left join therapies t on t.code = v.therapy group by v.therapy order by offerings desc""",
    ),
    _count_query(
        "price_distribution",
        "Price distribution by therapy / 治療別の価格分布",
        "Advertised prices (lower bound of each range), by therapy, currency and unit: quartiles from "
        "SQLite's ntile(4). Prices are as the clinics print them; tax and what is included vary.",
        f"""with ranked as (
  select p.therapy, p.currency, p.unit as unit, p.amount_min as amount,
    ntile(4) over (partition by p.therapy, p.currency, p.unit order by p.amount_min) as quartile
  from prices p where p.amount_min is not null
)
select r.therapy{_THERAPY_LABEL}, r.currency, r.unit, count(*) as prices, min(r.amount) as lowest,
  max(case when r.quartile = 1 then r.amount end) as q1, max(case when r.quartile = 2 then r.amount end) as median,
  max(case when r.quartile = 3 then r.amount end) as q3, max(r.amount) as highest
from ranked r left join therapies t on t.code = r.therapy
group by r.therapy, r.currency, r.unit order by r.therapy, r.currency, r.unit""",
    ),
    _count_query(
        "price_histogram",
        "Price histogram / 価格のヒストグラム",
        "Yen prices in steps of 100,000 (10万円), for one therapy code or all (empty).",
        """select cast(p.amount_min / 100000 as int) * 100000 as from_yen,
  cast(p.amount_min / 100000 as int) * 100000 + 99999 as to_yen, count(*) as prices,
  printf('%.*c', min(count(*), 60), '#') as bar
from prices p where p.currency = 'JPY' and p.amount_min is not null and (:therapy = '' or p.therapy = :therapy)
group by 1 order by 1""",
    ),
    _count_query(
        "flags_by_kind",
        "Clinic flags by kind / フラグの種類別件数",
        "Approval wording, missing advertising disclosures, inconsistent numbers, enforcement actions.",
        "select flag, count(*) as flags, count(distinct clinic_id) as clinics from clinic_flags "
        "group by flag order by flags desc",
    ),
)

#: every canned query, in the order Datasette lists them
QUERIES = (SEARCH, FIND_CLINIC, *ANALYST_QUERIES)


def register_functions(conn) -> None:
    """The SQL functions of the saisei Datasette plugin, on a plain sqlite3 connection (checks, benchmarks)."""
    import importlib.util

    from saisei.paths import PLUGINS_DIR

    spec = importlib.util.spec_from_file_location("saisei_datasette", PLUGINS_DIR / "saisei_datasette.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.prepare_connection(conn)


def canned_queries() -> dict[str, dict]:
    """name -> Datasette canned-query metadata, for every canned query."""
    return {q.name: q.metadata() for q in QUERIES}
