"""The plan list read as a stream: :func:`scrapers.parsers.plan_table.parse_plan_table` without the page's
whole tree or every plan in memory at once.

A 20,000-row list builds an lxml tree of about 100 MB and 20,000 plan dicts of about 50 MB, together the
peak of a whole build (issue 14). Here the page is parsed incrementally (``lxml.etree.iterparse``), each
``<tr>`` is read with the very same :func:`~scrapers.parsers.plan_table.parse_row` and dropped, and the plans
are spooled to a temporary file: the page is still judged as a whole (a page whose rows mostly cannot be read
is refused with no plan at all) before the first plan is handed on. Same rows, fields, numbers and refusals
as ``parse_plan_table`` (``tests/test_plan_stream.py`` compares them on every fixture).
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from scrapers.parsers.plan_table import MAX_UNPARSED_SHARE, PlanTableError, UnparsedRow, cell_text, parse_row


@dataclass
class StreamedTable:
    """What :class:`~scrapers.parsers.plan_table.PlanTable` holds, with the plans on disk until iterated."""

    spool: io.TextIOBase
    count: int = 0
    unparsed: list[UnparsedRow] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    @property
    def plans(self) -> Iterator[dict]:
        """The plans in page order, read back one at a time (again from the start on every use)."""
        self.spool.seek(0)
        for line in self.spool:
            yield json.loads(line)

    def close(self) -> None:
        self.spool.close()


def _header_texts(row) -> list[str]:
    return [" ".join(cell_text(th).split()) for th in row.iterchildren("th")]


def stream_plan_table(body: bytes, base_url: str, encoding: str | None = None) -> StreamedTable:
    """Every plan row of the page (``//table//tr[td]``, in page order); raises
    :class:`~scrapers.parsers.plan_table.PlanTableError` exactly when ``parse_plan_table`` would."""
    # the spool outlives this call: the caller iterates the plans, then closes it (StreamedTable.close)
    table = StreamedTable(spool=tempfile.TemporaryFile("w+", encoding="utf-8"))  # noqa: SIM115
    tables = 0  # <table> elements open around the current position
    pending_headers: list[str] | None = None  # the first header row of the tables seen before the first plan row
    headers_fixed = False
    rows = 0
    # events for tables and rows only: a Python step per cell would double the parse time
    events = etree.iterparse(io.BytesIO(body), events=("start", "end"), tag=("table", "tr"), html=True,
                             recover=True, encoding=encoding, huge_tree=True)
    try:
        for event, element in events:
            if element.tag == "table":
                tables += 1 if event == "start" else -1
                continue
            if event != "end" or not tables:
                continue
            cells = list(element.iterchildren("td"))
            if not cells:
                if pending_headers is None and element.find("th") is not None:
                    pending_headers = _header_texts(element)
            else:
                if not headers_fixed:
                    table.headers, headers_fixed = pending_headers or [], True
                rows += 1
                parsed = parse_row(cells, element, table.headers, base_url)
                if isinstance(parsed, str):
                    text = " | ".join(" ".join(cell_text(c).split()) for c in cells)
                    table.unparsed.append(UnparsedRow(rows, parsed, text[:300]))
                else:
                    parsed["row_number"] = rows
                    table.spool.write(json.dumps(parsed, ensure_ascii=False) + "\n")
                    table.count += 1
            _drop(element)
    except etree.XMLSyntaxError:
        pass  # an empty or unreadable document: no rows, refused below
    if not rows:
        table.close()
        raise PlanTableError("plan_table_missing", f"no plan table (no <tr> with <td> cells) on {base_url}")
    if not table.count or len(table.unparsed) > MAX_UNPARSED_SHARE * rows:
        table.close()
        raise PlanTableError(
            "plan_table_changed",
            f"plan table on {base_url} changed structure: {len(table.unparsed)} of {rows} rows "
            f"unreadable (first: {table.unparsed[0].reason if table.unparsed else 'none'}); headers {table.headers}",
        )
    return table


def _drop(row) -> None:
    """Free a row that has been read, and the rows before it, keeping the parser's place in the tree."""
    row.clear(keep_tail=True)
    parent = row.getparent()
    if parent is not None:
        while row.getprevious() is not None:
            del parent[0]
