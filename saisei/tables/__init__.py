"""One module per group of tables. Each has ``write(db, items, context)``: ``items`` maps a record kind
("plan", "committee", …) to the crawled items of that kind; ``context`` is a :class:`BuildContext`.

Writers run in this order on the new database file; a writer that reads another's tables comes after it.
"""

from saisei.tables import cards, clinic_pages, clinics, history, plans, registries, search, verifications

WRITERS = [
    plans.write,
    registries.write,
    clinics.write,
    # verifications.write reads the registry and clinic tables above; it is the last data writer.
    verifications.write,
    # history.write comes after every data writer: it diffs every table written above against the previous database.
    history.write,
    # search.write only reads the tables above: search indexes, lookups, map views, indexes, ANALYZE.
    search.write,
    # cards.write folds clinics, verdicts and flags into the patient's precomputed result cards.
    cards.write,
    # clinic_pages.write stores each clinic page whole, so the page is one primary-key look-up (issue 14).
    clinic_pages.write,
]
