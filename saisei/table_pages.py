"""Table pages' cells worked out in one pass: Datasette 0.65.5's ``display_columns_and_rows`` with each
``render_cell`` implementation called directly instead of one pluggy call per cell.

A table page asks every plugin how to show each of its cells (about 750 on the faceted clinics table), and
pluggy's dispatch cost more than the plugin's own answer: with Datasette's per-cell checks it was a quarter of
a fresh faceted page's Python (issue 14). :mod:`saisei.query_pages` does the same for canned queries' pages, whose
view lets it replace the extras wholesale; the table view calls this module-level function from inside its own
extras, so :func:`install` replaces it in ``datasette.views.table`` (Datasette is pinned to 0.65.5, whose function
:func:`_one_pass` copies). A plugin that wraps ``render_cell`` (a hook wrapper) gets Datasette's own function.
tests/test_views.py compares the pages with Datasette's own.
"""

from __future__ import annotations

import markupsafe
from datasette.utils import (
    format_bytes,
    is_url,
    path_from_row_pks,
    tilde_encode,
    truncate_url,
)
from datasette.views import table as datasette_table
from datasette.views.base import ureg
from datasette.views.table import LINK_WITH_LABEL, LINK_WITH_VALUE, Row

from saisei.query_pages import cell_renderers, first_rendering

#: Datasette's own function, which :func:`display_columns_and_rows` falls back on
DATASETTE_DISPLAY = datasette_table.display_columns_and_rows


async def display_columns_and_rows(datasette, database_name, table_name, description, rows, link_column=False,
                                   truncate_cells=0, sortable_columns=None):
    """Datasette's ``display_columns_and_rows``, in one pass unless a plugin wraps ``render_cell``."""
    renderers = cell_renderers()
    if renderers is None:
        return await DATASETTE_DISPLAY(datasette, database_name, table_name, description, rows,
                                       link_column=link_column, truncate_cells=truncate_cells,
                                       sortable_columns=sortable_columns)
    return await _one_pass(renderers, datasette, database_name, table_name, description, rows,
                           link_column=link_column, truncate_cells=truncate_cells, sortable_columns=sortable_columns)


def install() -> None:
    """Table pages' cells in one pass from now on, in this process (every Datasette in it: the cells are the
    same)."""
    datasette_table.display_columns_and_rows = display_columns_and_rows


async def _one_pass(
    renderers,
    datasette,
    database_name,
    table_name,
    description,
    rows,
    link_column=False,
    truncate_cells=0,
    sortable_columns=None,
):
    """Datasette 0.65.5's ``display_columns_and_rows``, its plugins' cells asked without pluggy (a copy: only the
    lines under 'First let the plugins have a go' and the ``arguments`` they read differ)."""
    sortable_columns = sortable_columns or set()
    db = datasette.databases[database_name]
    table_metadata = datasette.table_metadata(database_name, table_name)
    column_descriptions = table_metadata.get("columns") or {}
    column_details = {
        col.name: col for col in await db.table_column_details(table_name)
    }
    pks = await db.primary_keys(table_name)
    pks_for_display = pks
    if not pks_for_display:
        pks_for_display = ["rowid"]

    columns = []
    for r in description:
        if r[0] == "rowid" and "rowid" not in column_details:
            type_ = "integer"
            notnull = 0
        else:
            type_ = column_details[r[0]].type
            notnull = column_details[r[0]].notnull
        columns.append(
            {
                "name": r[0],
                "sortable": r[0] in sortable_columns,
                "is_pk": r[0] in pks_for_display,
                "type": type_,
                "notnull": notnull,
                "description": column_descriptions.get(r[0]),
            }
        )

    column_to_foreign_key_table = {
        fk["column"]: fk["other_table"]
        for fk in await db.foreign_keys_for_table(table_name)
    }

    cell_rows = []
    base_url = datasette.setting("base_url")
    for row in rows:
        arguments = {"row": row, "table": table_name, "database": database_name, "datasette": datasette}
        cells = []
        # Unless we are a view, the first column is a link - either to the rowid
        # or to the simple or compound primary key
        if link_column:
            is_special_link_column = len(pks) != 1
            pk_path = path_from_row_pks(row, pks, not pks, False)
            cells.append(
                {
                    "column": pks[0] if len(pks) == 1 else "Link",
                    "value_type": "pk",
                    "is_special_link_column": is_special_link_column,
                    "raw": pk_path,
                    "value": markupsafe.Markup(
                        f'<a href="{datasette.urls.table(database_name, table_name)}/{path_from_row_pks(row, pks, not pks)}">{str(markupsafe.escape(pk_path))}</a>'
                    ),
                }
            )

        for value, column_dict in zip(row, columns, strict=False):
            column = column_dict["name"]
            if link_column and len(pks) == 1 and column == pks[0]:
                # If there's a simple primary key, don't repeat the value as it's
                # already shown in the link column.
                continue

            # First let the plugins have a go: each implementation called directly, in pluggy's order
            arguments["value"], arguments["column"] = value, column
            plugin_display_value = await first_rendering(renderers, arguments)
            if plugin_display_value:
                display_value = plugin_display_value
            elif isinstance(value, bytes):
                formatted = format_bytes(len(value))
                display_value = markupsafe.Markup(
                    '<a class="blob-download" href="{}"{}>&lt;Binary:&nbsp;{:,}&nbsp;byte{}&gt;</a>'.format(
                        datasette.urls.row_blob(
                            database_name,
                            table_name,
                            path_from_row_pks(row, pks, not pks),
                            column,
                        ),
                        (
                            f' title="{formatted}"'
                            if "bytes" not in formatted
                            else ""
                        ),
                        len(value),
                        "" if len(value) == 1 else "s",
                    )
                )
            elif isinstance(value, dict):
                # It's an expanded foreign key - display link to other row
                label = value["label"]
                value = value["value"]
                # The table we link to depends on the column
                other_table = column_to_foreign_key_table[column]
                link_template = LINK_WITH_LABEL if (label != value) else LINK_WITH_VALUE
                display_value = markupsafe.Markup(
                    link_template.format(
                        database=database_name,
                        base_url=base_url,
                        table=tilde_encode(other_table),
                        link_id=tilde_encode(str(value)),
                        id=str(markupsafe.escape(value)),
                        label=str(markupsafe.escape(label)) or "-",
                    )
                )
            elif value in ("", None):
                display_value = markupsafe.Markup("&nbsp;")
            elif is_url(str(value).strip()):
                display_value = markupsafe.Markup(
                    '<a href="{url}">{truncated_url}</a>'.format(
                        url=markupsafe.escape(value.strip()),
                        truncated_url=markupsafe.escape(
                            truncate_url(value.strip(), truncate_cells)
                        ),
                    )
                )
            elif column in table_metadata.get("units", {}) and value != "":
                # Interpret units using pint
                value = value * ureg(table_metadata["units"][column])
                # Pint uses floating point which sometimes introduces errors in the compact
                # representation, which we have to round off to avoid ugliness. In the vast
                # majority of cases this rounding will be inconsequential. I hope.
                value = round(value.to_compact(), 6)
                display_value = markupsafe.Markup(f"{value:~P}".replace(" ", "&nbsp;"))
            else:
                display_value = str(value)
                if truncate_cells and len(display_value) > truncate_cells:
                    display_value = display_value[:truncate_cells] + "\u2026"

            cells.append(
                {
                    "column": column,
                    "value": display_value,
                    "raw": value,
                    "value_type": (
                        "none" if value is None else str(type(value).__name__)
                    ),
                }
            )
        cell_rows.append(Row(cells))

    if link_column:
        # Add the link column header.
        # If it's a simple primary key, we have to remove and re-add that column name at
        # the beginning of the header row.
        first_column = None
        if len(pks) == 1:
            columns = [col for col in columns if col["name"] != pks[0]]
            first_column = {
                "name": pks[0],
                "sortable": len(pks) == 1,
                "is_pk": True,
                "type": column_details[pks[0]].type,
                "notnull": column_details[pks[0]].notnull,
            }
        else:
            first_column = {
                "name": "Link",
                "sortable": False,
                "is_pk": False,
                "type": "",
                "notnull": 0,
            }
        columns = [first_column] + columns
    return columns, cell_rows
