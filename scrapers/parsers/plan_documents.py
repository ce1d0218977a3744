"""Prices in the plan documents (資料1…: patient explanation and consent PDFs) of e-再生医療.

The explanation document usually states what the patient pays (domain.md §2), beside cancellation charges,
test fees, storage fees and comparisons. Text comes out of the PDF with pypdf; amounts are read by
:func:`readers.prices.find_prices`, the same reader as clinic pages, so a price in a filed document and a price
on the clinic's site compare like for like, and each gets its kind in :mod:`scrapers.parsers.document_amounts`.
Every amount keeps its excerpt and the document URL: it is what the document says, shown next to its evidence.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from scrapers.parsers.document_amounts import read_amounts

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on every odd font; unreadable text is reported below


class DocumentError(ValueError):
    """Not a PDF we can read text from."""


def pdf_text(body: bytes, max_pages: int = 40) -> str:
    """The text of a PDF's first ``max_pages`` pages, pages separated by blank lines."""
    if not body.startswith(b"%PDF"):
        raise DocumentError(f"not a PDF (starts with {body[:16]!r})")
    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages[:max_pages]]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise DocumentError(f"unreadable PDF: {error}") from error
    return "\n\n".join(pages)


def document_prices(text: str) -> list[dict]:
    """Every yen amount in a document's text: amount_min/max, tax, unit, printed, excerpt, ``kind`` and, for a
    treatment price, ``amount_excluding_tax``, ``product``, ``session``, ``site`` and ``variant``."""
    return read_amounts(text)
