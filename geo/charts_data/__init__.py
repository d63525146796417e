"""The numbers behind the analysts' charts, as plain tables that can be checked without drawing.

Three subjects:

- the lineage of the GSPC/AQIM family: one row per group with its active period, how
  sure its ends are, its relations (renamings, splits, mergers, alliances) and its leaders;
- the kidnapping economy: every hostage-taking with what became of the hostages, as far
  as later events name the same hostages, and every ransom demanded or paid, in its own
  currency and in US dollars at the year's average rate (``data/exchange_rates.yaml``);
- events per year by type, with how many of them the reports dispute.

Citations stay as the curated ``{source, locator}`` records; the charts give them their
reports' names (see :class:`ui.Names`).
"""

from geo.charts_data.by_year import disputed_event_ids, disputed_events_by_year_and_group, events_per_year_by_type
from geo.charts_data.kidnapping import (
    EXCHANGE_RATES_FILE,
    NOT_RECORDED,
    RANSOM_STATUSES,
    exchange_rates,
    hostage_outcomes,
    hostage_takings,
    ransom_disputes,
    ransoms,
    usd_per_unit,
)
from geo.charts_data.lineage import (
    LINEAGE_KINDS,
    LINEAGE_RELATIONS,
    RELATION_WORDS,
    SIDE_RELATIONS,
    lineage_groups,
    lineage_leaders,
    lineage_relations,
    lineage_table,
)

__all__ = [
    "LINEAGE_KINDS",
    "LINEAGE_RELATIONS",
    "SIDE_RELATIONS",
    "RELATION_WORDS",
    "NOT_RECORDED",
    "RANSOM_STATUSES",
    "EXCHANGE_RATES_FILE",
    "lineage_groups",
    "lineage_table",
    "lineage_relations",
    "lineage_leaders",
    "hostage_takings",
    "hostage_outcomes",
    "exchange_rates",
    "usd_per_unit",
    "ransoms",
    "ransom_disputes",
    "disputed_event_ids",
    "events_per_year_by_type",
    "disputed_events_by_year_and_group",
]
