"""Item pipelines, one concern each, in the order settings.ITEM_PIPELINES gives them."""

from __future__ import annotations

import hashlib

from readers.normalize import facility_key, normalize_text, split_corporation, therapy_key
from readers.regions import bureau_for_prefecture


def plan_key(plan_class: int, prefecture: str, facility: str, therapy: str) -> str:
    """Identity of a plan that survives page re-ordering and a new document code (README: Data, identities).

    Derived from class + prefecture + facility key + normalised therapy; the build adds a suffix only when
    two rows share all four (the same facility filing two plans under the very same therapy name).
    """
    basis = f"{plan_class}|{prefecture}|{facility_key(facility)}|{therapy_key(therapy)}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


class NormalisePlanPipeline:
    """Adds the normalised copies used for search and matching; the printed text stays as it was."""

    def process_item(self, item, spider=None):
        if item.get("record") != "plan":
            return item
        corporation, facility = split_corporation(item["facility_printed"])
        item["facility"] = normalize_text(item["facility_printed"])
        item["facility_corporation"] = corporation
        item["facility_key"] = facility_key(item["facility_printed"])
        item["address"] = normalize_text(item.get("address_printed"))
        item["therapy"] = normalize_text(item["therapy_printed"])
        item["bureau"] = bureau_for_prefecture(item["prefecture"])
        item["plan_key"] = plan_key(item["plan_class"], item["prefecture"], item["facility_printed"], item["therapy_printed"])
        return item


class FieldCoveragePipeline:
    """Counts missing fields as stats (``saisei/field/<record>/<field>/missing``) instead of dropping items."""

    WATCHED = {"plan": ("facility_printed", "prefecture", "address_printed", "therapy_printed", "doc_codes")}

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        record = item.get("record", "unknown")
        for name in self.WATCHED.get(record, ()):
            if not item.get(name):
                self.stats.inc_value(f"saisei/field/{record}/{name}/missing")
        self.stats.inc_value(f"saisei/items/{record}")
        return item
