"""One module per group of tables. Each has ``write(db, items, context)``: ``items`` maps a record kind
("plan", "committee", …) to the crawled items of that kind; ``context`` is a :class:`BuildContext`.

The writers of crawled records are named beside the record kinds (``WRITTEN_BY`` in ``scrapers/items.py``), so a
new spider's records reach the build without a list here; they run first, in the order their kinds are declared.
The writers that derive tables from theirs follow in a fixed order, on the new database file.
"""

from importlib import import_module

from saisei.tables import cards, clinic_pages, history, search, verifications
from scrapers.items import WRITTEN_BY

#: the writers of crawled records (plans, registries, clinics), each once, in the order of scrapers/items.py
RECORD_WRITERS = [import_module(name) for name in dict.fromkeys(m for m in WRITTEN_BY.values() if m)]
DERIVED_WRITERS = [
    # verifications.write reads the registry and clinic tables above; it is the last data writer.
    verifications,
    # history.write comes after every data writer: it diffs every table written above against the previous database.
    history,
    # search.write only reads the tables above: search indexes, lookups, map views, indexes, ANALYZE.
    search,
    # cards.write folds clinics, verdicts and flags into the patient's precomputed result cards.
    cards,
    # clinic_pages.write stores each clinic page whole, so the page is one primary-key look-up (issue 14).
    clinic_pages,
]
WRITERS = [module.write for module in RECORD_WRITERS + DERIVED_WRITERS]
