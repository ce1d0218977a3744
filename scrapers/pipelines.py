"""Item pipelines, one concern each, in the order settings.ITEM_PIPELINES gives them."""

from __future__ import annotations

from readers.normalize import facility_key, normalize_text, split_corporation
from readers.regions import bureau_for_prefecture
from scrapers.identity import plan_key
from scrapers.items import WATCHED_FIELDS, is_problem


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
    """Counts missing fields as stats (``saisei/field/<record>/<field>/missing``) instead of dropping items.

    Problem items are not data: they are counted where they are recorded (``saisei/errors/...``), not here."""

    #: record kind -> watched fields, from the declarations in scrapers/items.py
    WATCHED = WATCHED_FIELDS

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        if is_problem(item):
            return item
        record = item.get("record", "unknown")
        for name in self.WATCHED.get(record, ()):
            if not item.get(name):
                self.stats.inc_value(f"saisei/field/{record}/{name}/missing")
        self.stats.inc_value(f"saisei/items/{record}")
        return item
