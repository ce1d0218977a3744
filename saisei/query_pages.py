"""The HTML pages of canned queries (the analyst search first): Datasette's own query page, its cells written in
one pass.

Datasette 0.65's query page asks every plugin how to show each cell through pluggy, one hook call per cell: about
2 µs each with nothing to say, 800 cells on a full analyst search, and with its own default rendering 3.5 of the
8.5 ms of a fresh page in-process (issue 14; ``saisei_rows_html`` in the plugin already writes the rows in one Python call for
the same reason). :class:`CannedQueryView` is Datasette's own view (the table view, which hands canned queries to
the query view): Datasette runs the query, checks permissions and renders ``query.html`` as always; only the
template's extras are worked out here, with each ``render_cell`` implementation called directly, in pluggy's order,
and Datasette's own rendering for the cells none of them claims. A plugin that wraps ``render_cell``
(a hook wrapper) gets Datasette's own loop. The plugin routes canned queries' HTML pages here
(``register_routes``); their JSON and CSV stay Datasette's. tests/test_query_pages.py compares the pages with
Datasette's own.
"""

from __future__ import annotations

import hashlib
import operator
import re
from functools import lru_cache
from urllib.parse import urlencode

import markupsafe
from datasette import tracer
from datasette.plugins import pm
from datasette.utils import (
    InvalidSql,
    await_me_maybe,
    derive_named_parameters,
    format_bytes,
    is_url,
    path_with_added_args,
    path_with_format,
    path_with_removed_args,
    tilde_decode,
    truncate_url,
    validate_sql_select,
)
from datasette.utils.asgi import NotFound
from datasette.views.database import QueryView
from datasette.views.table import TableView

NBSP = markupsafe.Markup("&nbsp;")
#: what a value Datasette shows as a link starts with (datasette.utils.is_url)
URL_STARTS = ("http://", "https://")
#: renderings await_me_maybe gives back as they are (neither callable nor awaitable)
PLAIN = frozenset({str, markupsafe.Markup})


def cell_renderers() -> list | None:
    """The ``render_cell`` implementations in the order pluggy calls them (last registered first), each as its
    function and a getter of its arguments; None when one of them wraps the others, which only pluggy can run."""
    implementations = pm.hook.render_cell.get_hookimpls()
    if any(impl.hookwrapper or getattr(impl, "wrapper", False) for impl in implementations):
        return None
    return [(impl.function, _arguments_getter(impl.argnames)) for impl in reversed(implementations)]


def _arguments_getter(names: tuple[str, ...]):
    """A function of the hook's arguments (a dict) to the tuple this implementation takes."""
    if not names:
        return lambda arguments: ()
    if len(names) == 1:
        only = operator.itemgetter(names[0])
        return lambda arguments: (only(arguments),)
    return operator.itemgetter(*names)


def default_cell(value, column: str, request, truncate_cells: int):
    """What Datasette's query page shows for a cell no plugin renders (views/database.py, 0.65)."""
    if value in ("", None):
        return NBSP
    if is_url(str(value).strip()):
        url = markupsafe.escape(value.strip())
        return markupsafe.Markup(f'<a href="{url}">{markupsafe.escape(truncate_url(value.strip(), truncate_cells))}</a>')
    if isinstance(value, bytes):
        blob_url = path_with_format(request=request, format="blob", extra_qs={
            "_blob_column": column, "_blob_hash": hashlib.sha256(value).hexdigest()})
        formatted = format_bytes(len(value))
        return markupsafe.Markup(
            '<a class="blob-download" href="{}"{}>&lt;Binary:&nbsp;{:,}&nbsp;byte{}&gt;</a>'.format(
                blob_url, f' title="{formatted}"' if "bytes" not in formatted else "", len(value),
                "" if len(value) == 1 else "s"))
    text = str(value)
    if truncate_cells and len(text) > truncate_cells:
        text = text[:truncate_cells] + "\u2026"
    return text


async def first_rendering(renderers, arguments: dict):
    """The first plugin's rendering of one cell that is not None (awaited if it is awaitable), in pluggy's order;
    None when no plugin claims the cell."""
    for function, getter in renderers:
        candidate = function(*getter(arguments))
        if candidate is not None:
            candidate = await await_me_maybe(candidate)
            if candidate is not None:
                return candidate
    return None


async def display_rows(datasette, request, database: str, columns: list[str], rows, renderers) -> list[list]:
    """The cells of a query page: the first plugin's rendering that is not None, else Datasette's."""
    truncate_cells = datasette.setting("truncate_cells_html")
    shown = []
    for row in rows:
        arguments = {"row": row, "table": None, "database": database, "datasette": datasette}
        cells = []
        for column, value in zip(columns, row, strict=False):
            arguments["value"], arguments["column"] = value, column
            # first_rendering, inline: a coroutine per cell cost ~0.5 µs of a page's 800 cells; a rendering that is
            # a str or markup is what await_me_maybe would give back
            rendered = None
            for function, getter in renderers:
                rendered = function(*getter(arguments))
                if rendered is not None:
                    if type(rendered) not in PLAIN:
                        rendered = await await_me_maybe(rendered)
                        if rendered is None:
                            continue
                    break
            if rendered is not None:
                cells.append(rendered)
            elif type(value) is str and value and not value.lstrip().startswith(URL_STARTS) and (
                    not truncate_cells or len(value) <= truncate_cells):
                cells.append(value)  # plain text, as default_cell would give it back, without its checks
            else:
                cells.append(default_cell(value, column, request, truncate_cells))
        shown.append(cells)
    return shown


@lru_cache(maxsize=64)
def quoted_sql(sql: str) -> str:
    """``sql=`` and the query, URL-encoded once per query (a canned query's SQL is the same on every request, and
    encoding the analyst search's 2,000 characters took 0.1 ms a page)."""
    return urlencode({"sql": sql})


class OnePassQueryView(QueryView):
    """Datasette's query view, whose HTML extras (the cells, the SQL's links) are worked out in one pass."""

    async def data(self, request, sql, editable=True, canned_query=None, metadata=None, _size=None,
                   named_parameters=None, write=False):
        answer = await super().data(request, sql, editable=editable, canned_query=canned_query, metadata=metadata,
                                    _size=_size, named_parameters=named_parameters, write=write)
        renderers = cell_renderers()
        if write or renderers is None or not isinstance(answer, tuple) or len(answer) != 4:
            return answer
        data, _, templates, status = answer
        database = data["database"]
        params = data["query"]["params"]
        named_parameters = named_parameters or await derive_named_parameters(self.ds.get_database(database), sql)
        named_parameter_values = {name: params.get(name) or "" for name in named_parameters
                                  if not name.startswith("_")}

        async def extra_template():
            return {
                "display_rows": await display_rows(self.ds, request, database, data["columns"], data["rows"],
                                                   renderers),
                "custom_sql": True,
                "named_parameter_values": named_parameter_values,
                "editable": editable,
                "canned_query": canned_query,
                "edit_sql_url": self._edit_sql_url(sql, database, data["allow_execute_sql"],
                                                   named_parameter_values),
                "metadata": metadata,
                "settings": self.ds.settings_dict(),
                "request": request,
                **self._show_hide(request, metadata, params),
            }

        return data, extra_template, templates, status

    def _edit_sql_url(self, sql: str, database: str, allow_execute_sql: bool, values: dict) -> str | None:
        """The 'Edit SQL' link: only for a plain SELECT an actor may run, without magic parameters."""
        try:
            validate_sql_select(sql)
        except InvalidSql:
            return None
        if not allow_execute_sql or ":_" in sql:
            return None
        if "sql" in values:  # a parameter called sql replaces the query in the link, as in Datasette's
            return self.ds.urls.database(database) + "?" + urlencode({"sql": sql, **values})
        query = quoted_sql(sql)
        return self.ds.urls.database(database) + "?" + (f"{query}&{urlencode(values)}" if values else query)

    def _show_hide(self, request, metadata: dict, params: dict) -> dict:
        """The show/hide SQL link, as Datasette words it for a query that hides its SQL or shows it."""
        hidden = ""
        if metadata.get("hide_sql"):
            if bool(params.get("_show_sql")):
                link, text = path_with_removed_args(request, {"_show_sql"}), "hide"
                hidden = '<input type="hidden" name="_show_sql" value="1">'
            else:
                link, text = path_with_added_args(request, {"_show_sql": 1}), "show"
        elif bool(params.get("_hide_sql")):
            link, text = path_with_removed_args(request, {"_hide_sql"}), "show"
            hidden = '<input type="hidden" name="_hide_sql" value="1">'
        else:
            link, text = path_with_added_args(request, {"_hide_sql": 1}), "hide"
        return {"show_hide_link": self.ds.urls.path(link), "show_hide_text": text,
                "show_hide_hidden": markupsafe.Markup(hidden), "hide_sql": text == "show"}


class CannedQueryView(TableView):
    """Datasette's table view, handing canned queries to :class:`OnePassQueryView` as it hands them to its own."""

    async def data(self, request, default_labels=False, _next=None, _size=None):
        try:
            database = self.ds.get_database(route=tilde_decode(request.url_vars["database"])).name
        except KeyError as error:
            raise NotFound("Database not found") from error
        name = tilde_decode(request.url_vars["table"])
        canned_query = await self.ds.get_canned_query(database, name, request.actor)
        if not canned_query:
            return await super().data(request, default_labels, _next, _size)
        with tracer.trace_child_tasks():
            return await OnePassQueryView(self.ds).data(
                request, canned_query["sql"], metadata=canned_query, editable=False, canned_query=name,
                named_parameters=canned_query.get("params"), write=bool(canned_query.get("write")))


def canned_query_route(names) -> str:
    """The path of a canned query's HTML page, for these query names (JSON and CSV are not matched)."""
    return r"^/(?P<database>[^/.]+)/(?P<table>" + "|".join(re.escape(n) for n in sorted(names)) + ")$"


async def canned_query_page(request, datasette):
    """A canned query's HTML page (a plugin route), by :class:`CannedQueryView`."""
    request.url_vars["format"] = None
    return await CannedQueryView(datasette).dispatch_request(request)
