"""One module per group of tables. Each has ``write(db, items, context)``: ``items`` maps a record kind
("plan", "committee", …) to the crawled items of that kind; ``context`` is a :class:`BuildContext`.

Writers run in this order on the new database file; a writer that reads another's tables comes after it.
"""

from saisei.tables import history, plans

WRITERS = [
    plans.write,
    # history.write stays the very last writer: it diffs every table written above against the previous database.
    history.write,
]
