"""Fee tables read as tables: their rows and columns (a <table>'s filled grid, or rows drawn with <div>s), and the
marks a column's header puts on its cells before the page is read as text: tax columns (税抜 / 税込), unit columns
(1回 / 3回コース, 片膝 / 両膝) and the parts of a total (technical fee, management fee beside "Total Amount").

A table is read row by row as a line of text; what a column means is only in its header, so it is written onto each
cell here, where the grid is still known.
"""

from __future__ import annotations

import re

from readers.prices import find_prices
from scrapers.parsers.page_text import grid_row, inline_text, next_row

TAX_OUT_HEAD = re.compile(r"税抜|税別|本体価格|不含[税稅]|未[税稅]|(?:부가세|세금) 별도|tax excl|excl(?:uding|\.)? tax|before tax",
                           re.I)
TAX_IN_HEAD = re.compile(r"税込|(?<!不)含[税稅]|(?:부가세|세금) 포함|tax incl|incl(?:uding|\.)? tax", re.I)


def mark_tax_columns(soup, grids: list | None = None) -> None:
    """A fee table with a 税抜 column and a 税込 column (「料金(税抜)」「料金(税込)」) prints each price twice; each cell
    is marked with its column's tax so the pair reads as one price, the way 「50,000円（税抜）／55,000円（税込）」 does.
    Columns are read from the filled grid, so a therapy's name spanning several rows does not shift them."""
    for grid in fee_tables(soup) if grids is None else grids:
        columns: dict[int, str] = {}
        marked: set[int] = set()
        for cells in grid:
            if not columns:
                texts = [inline_text(c) for c in cells]
                out = [i for i, t in enumerate(texts) if TAX_OUT_HEAD.search(t) and not re.search(r"\d", t)]
                into = [i for i, t in enumerate(texts) if TAX_IN_HEAD.search(t) and not re.search(r"\d", t)]
                if len(out) == 1 and len(into) == 1:
                    columns = {out[0]: "（税抜）", into[0]: "（税込）"}
                continue
            for index, mark in columns.items():
                cell = cells[index] if index < len(cells) else None
                if cell is None or id(cell) in marked:
                    continue  # a price spanning several rows is marked once
                if re.search(r"\d", cell.get_text()) and "税" not in cell.get_text():
                    cell.append(mark)
                    marked.add(id(cell))


#: a column header that is only a unit (「1回」「3回コース」「片膝」「両膝」): the column's prices are per that unit
_UNIT_HEAD = re.compile(r"^[\s(（]*(?:[0-9０-９一二三四五六七八九十]+\s*回(?:コース|セット|分|券)?|[0-9０-９]+回目以降|初回|"
                        r"片膝|両膝|片ひざ|両ひざ|片側|両側|1関節|一関節|コース|per session|one knee|both knees)"
                        r"(?:\s*[(（][^)）]{0,8}[)）])?[\s)）]*$", re.I)


UNIT_MARK = re.compile(r"〔[^〕]{1,16}〕")


def mark_unit_columns(soup, grids: list | None = None) -> None:
    """A fee table whose price columns are units (「治療内容｜1回｜3回コース」) prices each column per its unit: each
    amount's cell is marked 〔1回〕, 〔3回コース〕, so the row's two amounts do not share one unit."""
    for grid in fee_tables(soup) if grids is None else grids:
        if len(grid) < 2:
            continue
        head = [inline_text(c) for c in grid[0]]
        columns = {i: h.strip() for i, h in enumerate(head) if i and _UNIT_HEAD.match(h)}
        if len(columns) < 2:
            continue
        marked: set[int] = set()
        for cells in grid[1:]:
            for index, unit in columns.items():
                cell = cells[index] if index < len(cells) else None
                if cell is not None and id(cell) not in marked and find_prices(cell.get_text()):
                    cell.append(f"〔{unit}〕")
                    marked.add(id(cell))


_TOTAL_HEAD = re.compile(r"^(?:合計|総額|総計|合計金額|お支払い総額|Total(?: Amount| Fee| Cost)?)$", re.I)
_PART_HEAD = re.compile(r"料|費|fee|cost|charge", re.I)


def _grid(table) -> list[list]:
    """The table's rows as cells by column, rowspans and colspans filled in (a cell spanning three rows stands in
    each of them, so a column index means the same column on every row)."""
    rows, carry = [], {}
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue
        cells, column = [], 0
        for cell in row.find_all(["th", "td"], recursive=False):
            while column in carry and carry[column][1] > 0:
                cells.append(carry[column][0])
                carry[column] = (carry[column][0], carry[column][1] - 1)
                column += 1
            span, down = int(cell.get("colspan") or 1), int(cell.get("rowspan") or 1)
            for _ in range(span):
                cells.append(cell)
                if down > 1:
                    carry[column] = (cell, down - 1)
                column += 1
        while column in carry and carry[column][1] > 0:
            cells.append(carry[column][0])
            carry[column] = (carry[column][0], carry[column][1] - 1)
            column += 1
        rows.append(cells)
    return rows


def fee_tables(soup) -> list[list[list]]:
    """Every table on the page as rows of cells: each <table>'s filled grid, and each run of rows drawn with <div>s
    (see ``grid_row``), whose header row names its columns the same way."""
    grids = [_grid(table) for table in soup.find_all("table")]
    seen: set[int] = set()
    for row in soup.find_all(["div", "li"]):
        if id(row) in seen:
            continue
        rows, sibling, found = [], row, grid_row(row)
        while found:
            seen.add(id(sibling))
            rows.append(found[0])
            sibling = next_row(sibling)
            found = grid_row(sibling) if sibling is not None else None
        if rows:
            grids.append(rows)
    return grids


def mark_component_columns(soup, grids: list | None = None) -> None:
    """A fee table with a total column (「合計」, "Total Amount") prints each price's parts beside it (technical fee,
    management fee): the parts are marked （内訳） so only the totals read as prices."""
    for grid in fee_tables(soup) if grids is None else grids:
        if not grid:
            continue
        head = [inline_text(c) for c in grid[0]]
        if not any(_TOTAL_HEAD.match(h) for h in head):
            continue
        parts = {i for i, h in enumerate(head) if _PART_HEAD.search(h) and not _TOTAL_HEAD.match(h)}
        marked = set()
        for cells in grid[1:]:
            for index in parts:
                if index < len(cells) and id(cells[index]) not in marked and re.search(r"\d", cells[index].get_text()):
                    _mark_parts(cells[index])
                    marked.add(id(cells[index]))


def _mark_parts(cell) -> None:
    """Every amount in a part cell gets the mark (「6 infusions JPY 648,000<br>12 infusions JPY 1,296,000」 holds two
    parts); a cell whose amounts the reader does not find is marked at its start."""
    strings = [string for string in cell.find_all(string=True) if find_prices(str(string))]
    if not strings:
        cell.insert(0, "（内訳）")
    for string in strings:
        text = str(string)
        for price in reversed(find_prices(text)):
            text = f"{text[:price.start]}（内訳）{text[price.start:]}"
        string.replace_with(text)
