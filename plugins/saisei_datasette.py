"""saisei's Datasette plugin: Japanese-aware search functions, the clinic page, links between pages.

Loaded by ``saisei serve`` with ``--plugins-dir plugins``. The SQL functions make one normalisation
(readers.normalize: NFKC, spaces folded; lower case for comparing) apply to the indexed copies and to what people
type, so ＰＲＰ finds PRP and 脂肪由来 typed in any width finds the same rows.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import escape_fts as datasette_escape_fts
from datasette.utils import to_css_class
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

try:  # markupsafe's C escaper without the Markup escape() wraps its answer in (what escape() runs for a str)
    from markupsafe import _escape_inner as _escape_str
except ImportError:  # pragma: no cover - another markupsafe: escape() itself, a Markup, joins the same
    _escape_str = escape

from readers.normalize import normalize_text
from saisei import front
from saisei.fragments import Fragments
from saisei.views import clinic_context

#: FTS5 trigram needs three characters; shorter terms are matched by substring (saisei_matches)
TRIGRAM = 3
_QUOTED_OR_WORD = re.compile(r'"[^"]*"|\S+')


def fold(text: str | None) -> str:
    """The comparison form: NFKC, spaces folded, Latin lower case."""
    return normalize_text(text).lower() if text else ""


def terms(query: str | None) -> list[str]:
    return [t.strip('"') for t in _QUOTED_OR_WORD.findall(fold(query)) if t.strip('"')]


def fts_query(query: str | None) -> str:
    """FTS5 query for the terms a trigram index can answer, each quoted (so AND/OR/NEAR are plain words)."""
    return " ".join('"{}"'.format(t.replace('"', '""')) for t in terms(query) if len(t) >= TRIGRAM)


def matches(text: str | None, query: str | None) -> int:
    """1 when every term of the query is a substring of the text (after folding both), else 0."""
    haystack = fold(text)
    wanted = terms(query)
    return int(bool(wanted) and all(t in haystack for t in wanted))


def short_terms(query: str | None) -> str:
    """The terms a trigram index cannot answer (one or two characters), space-separated; '' when none.

    The search query checks these with ``instr()`` on the indexed copies, in SQLite itself (no Python call
    per row, so concurrent queries do not queue on the GIL); a row must contain every one of them.
    """
    return " ".join(t for t in terms(query) if len(t) < TRIGRAM)


def escape_fts(query: str | None) -> str:
    """Datasette's ?_search= escaping, after the same normalisation as the indexed copies."""
    return datasette_escape_fts(normalize_text(query or ""))


@hookimpl(trylast=True)
def prepare_connection(conn):
    # trylast: registered after Datasette's own escape_fts, so ?_search= on table pages is normalised too
    conn.create_function("saisei_fold", 1, fold, deterministic=True)
    conn.create_function("saisei_normalize", 1, normalize_text, deterministic=True)
    conn.create_function("saisei_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("saisei_matches", 2, matches, deterministic=True)
    conn.create_function("saisei_short_terms", 1, short_terms, deterministic=True)
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)


def _patient_context(request, datasette, db) -> dict:
    """What every patient page needs besides its own data: language, switch link, analyst link, sample notice."""
    lang = front.language(request.args.get("lang"))
    other = "en" if lang == "ja" else "ja"
    args = [(k, v) for k in request.args if k != "lang" for v in request.args.getlist(k)] + [("lang", other)]
    return {
        "lang": lang,
        "t": front.words(lang),
        "switch_url": request.path + "?" + urlencode(args),
        "lang_suffix": "" if lang == "ja" else "?lang=en",
        "database": db.name,
        "analyst_url": datasette.urls.database(db.name),
        # saisei serve sets {"sample": true} in this plugin's configuration when it serves the bundled demo
        "sample_notice": bool((datasette.plugin_config("saisei_datasette") or {}).get("sample")),
    }


async def clinic_page(request, datasette):
    db = datasette.get_database()
    context = await clinic_context(db, request.url_vars["clinic_id"])
    if context is None:
        raise NotFound("No clinic with that id / その医療機関は見つかりません")
    context.update(_patient_context(request, datasette, db))
    html = await datasette.render_template("clinic.html", context, request=request, view_name="clinic")
    return Response.html(html)


async def home_page(request, datasette):
    """The front door: one search box, two pickers, what the badges mean (saisei.front)."""
    db = datasette.get_database()
    context = _patient_context(request, datasette, db)
    context.update(await front.home_context(db, context["lang"]))
    html = await datasette.render_template("front_home.html", context, request=request, view_name="front_home")
    return Response.html(html)


async def results_page(request, datasette):
    """Result cards for the search box and pickers: one card per clinic, a badge per therapy."""
    db = datasette.get_database()
    context = _patient_context(request, datasette, db)
    args = {name: (request.args.get(name) or "").strip()[:200] for name in ("q", "prefecture", "therapy")}
    context.update(await front.results_context(db, context["lang"], **args))
    html = await datasette.render_template("front_results.html", context, request=request, view_name="front_results")
    return Response.html(html)


def rows_html(columns: list[str], display_rows: list[list]) -> Markup:
    """The ``<tr>`` rows of a query page's table, as Datasette's query.html loop writes them (a cell per column,
    classed by its column, its value escaped unless a plugin made it markup), in one pass of Python.

    templates/query.html calls this instead of looping in Jinja: Datasette's environment renders asynchronously,
    which costs microseconds per cell, and a full analyst search has 800 cells (issue 14)."""
    openings = [f'<td class="col-{escape(to_css_class(column))}">' for column in columns]
    parts = []
    for row in display_rows:
        parts.append("<tr>")
        # markup (links, &nbsp;) is written as it is, as escape() would give it back
        parts.extend([f"{opening}{_escape_str(cell) if type(cell) is str else _cell_html(cell)}</td>"
                      for opening, cell in zip(openings, row, strict=False)])
        parts.append("</tr>\n")
    return Markup("".join(parts))


def _cell_html(cell) -> str:
    """A cell that is not a plain str, as Jinja's autoescape writes it: markup as it is, anything else escaped."""
    return cell.__html__() if isinstance(cell, Markup) else escape(cell)


#: what Datasette's _table.html writes around a table page's rows and cells (its indentation)
_ROW_OPEN, _CELL_GAP, _ROW_CLOSE = "\n            <tr>\n                ", "\n                ", "\n            </tr>\n        "


def table_rows_html(display_rows: list) -> Markup:
    """The rows of a table page as Datasette 0.65's ``_table.html`` loop writes them, whitespace included, in one
    pass of Python (templates/_table.html; see :func:`rows_html`). A cell's opening tag depends only on its column
    and the kind of its value, so each is written once per page."""
    openings: dict[tuple, str] = {}
    parts = []
    for row in display_rows:
        parts.append(_ROW_OPEN)
        for cell in row:
            kind = (cell["column"], cell["value_type"])
            opening = openings.get(kind)
            if opening is None:
                opening = openings[kind] = (f'{_CELL_GAP}    <td class="col-{escape(to_css_class(kind[0]))} '
                                            f'type-{escape(kind[1])}">')
            value = cell["value"]
            parts.append(f'{opening}{value.__html__() if isinstance(value, Markup) else escape(value)}</td>{_CELL_GAP}')
        parts.append(_ROW_CLOSE)
    return Markup("".join(parts))


@hookimpl
def startup(datasette):
    """Read the build's catalog once for this process (saisei.catalog), not again on every request; table pages'
    cells in one pass (saisei.table_pages)."""
    from saisei import table_pages
    from saisei.catalog import read_catalog_once

    table_pages.install()

    async def read():
        await read_catalog_once(datasette)

    return read


@hookimpl
def prepare_jinja2_environment(env):
    env.globals["saisei_rows_html"] = rows_html
    env.globals["saisei_table_rows_html"] = table_rows_html
    env.globals["saisei_fragment"] = Fragments(env).render


@hookimpl
def register_routes():
    # "/" replaces Datasette's list of databases: analysts reach the database page from the header link
    # the canned queries' HTML pages: Datasette's own query page, its cells written in one pass (saisei.query_pages)
    from saisei.queries import canned_queries
    from saisei.query_pages import canned_query_page, canned_query_route

    return [
        (r"^/$", home_page),
        (r"^/find$", results_page),
        (r"^/clinic/(?P<clinic_id>[^/]+)$", clinic_page),
        (canned_query_route(canned_queries()), canned_query_page),
    ]


def _link(url: str, text) -> Markup:
    # an f-string over escape() gives what Markup('<a href="{}">{}</a>').format() gives, at a fifth of its cost:
    # Datasette calls render_cell for every cell of a page (800 on a full analyst search)
    return Markup(f'<a href="{escape(url)}">{escape(text)}</a>')


def _clinic_link(datasette, clinic_id, text) -> Markup:
    return _link(datasette.urls.path(f"/clinic/{clinic_id}"), text)


@lru_cache(maxsize=64)
def _plans_url(datasette, database: str) -> str:
    """The plans table's URL, worked out once per database rather than for every plan cell."""
    return datasette.urls.table(database, "plans")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Every mention of a clinic links to its clinic page; ``plan`` columns link to the plan's row.

    ``clinic_page`` (canned queries, map view) and ``clinic_id`` (offerings, verifications, prices, flags) hold a
    clinic id; in ``clinics`` itself the printed name is the link, since Datasette renders the id column itself.
    """
    if value in (None, ""):
        return None
    if column == "clinic_page":
        return _clinic_link(datasette, value, Markup("clinic page / 詳細"))
    if column == "clinic_id":
        return _clinic_link(datasette, value, value)
    if table == "clinics" and column == "name_printed":
        try:
            return _clinic_link(datasette, row["id"], value)
        except (IndexError, KeyError):  # the id column left out with ?_col=
            return None
    if column == "plan":
        return _link(f"{_plans_url(datasette, database)}/{value}", value)
    return None


@hookimpl
def asgi_wrapper(datasette):
    """The build's ETag and Cache-Control on pages, 304 for a page already held, rendered pages kept in memory
    (saisei.caching; ``page_cache_mb`` in this plugin's configuration, 0 for none); security headers on every
    response of a public instance (``saisei serve --public``; saisei.public)."""
    from saisei.caching import PAGE_CACHE_MB, PageCache, build_tag, caching_app
    from saisei.public import is_public, security_headers_app

    def wrap(app):
        files = [db for db in datasette.databases.values() if not db.is_memory and db.path]
        if files and not any(db.is_mutable for db in files):  # a file that can change has no build to name
            megabytes = (datasette.plugin_config("saisei_datasette") or {}).get("page_cache_mb", PAGE_CACHE_MB)
            cache = PageCache(int(megabytes * 1_000_000)) if megabytes else None
            app = caching_app(app, build_tag([db.path for db in files]), int(datasette.setting("default_cache_ttl")),
                              cache)
        return security_headers_app(app) if is_public(datasette) else app

    return wrap
