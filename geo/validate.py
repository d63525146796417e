"""Validation of the curated data: shape, references, places and citations.

``validate_records`` returns every problem it finds (it does not stop at the
first), each naming the table, the record and what was expected, so one run
of ``python -m geo validate`` gives the whole list to fix.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError
from shapely.geometry import Point

from geo import schema
from geo.app_files import STORIES_DIR  # the bundled stories, whose captions are checked with the data
from geo.findings import Problem, folded, normalise_text, spellings

__all__ = ["Problem", "OPERATING_AREA", "validate_records", "support_warnings", "report_text", "normalise_text"]

# lon_min, lat_min, lon_max, lat_max: Senegal/Mauritania to Libya/Chad, Tunisia to Burkina Faso/Niger.
OPERATING_AREA = (-18.0, 4.0, 26.0, 38.0)

MODELS: dict[str, type[BaseModel]] = {
    "sources": schema.Source,
    "places": schema.Place,
    "groups": schema.Group,
    "people": schema.Person,
    "events": schema.Event,
    "disagreements": schema.Disagreement,
}


def _schema_problems(table: str, records: list, model: type[BaseModel]) -> tuple[list[Problem], list]:
    problems, valid = [], []
    for position, record in enumerate(records, start=1):
        record_id = record.get("id", f"#{position}") if isinstance(record, dict) else f"#{position}"
        try:
            valid.append(model.model_validate(record))
        except ValidationError as error:
            for detail in error.errors():
                where = ".".join(str(part) for part in detail["loc"]) or "record"
                got = detail.get("input")
                got_text = f" (got {got!r})" if not isinstance(got, (dict, list)) and got is not None else ""
                problems.append(Problem(table, str(record_id), f"{where}: {detail['msg']}{got_text}"))
    return problems, valid


def _citations(item: BaseModel, prefix: str = ""):
    """Every Citation anywhere inside a record, with where it sits."""
    for name, value in item:
        values = value if isinstance(value, list) else [value]
        for position, element in enumerate(values):
            where = f"{prefix}{name}" + (f"[{position}]" if isinstance(value, list) else "")
            if isinstance(element, schema.Citation):
                yield where, element
            elif isinstance(element, BaseModel):
                yield from _citations(element, where + ".")


def _reference_problems(valid: dict[str, list], records: dict[str, list]) -> list[Problem]:
    # Ids come from every record, valid or not, so one bad field is reported once, not again
    # as a broken reference in every record that points to it.
    ids = {table: {r.get("id") for r in records.get(table, []) if isinstance(r, dict)} for table in valid}
    problems: list[Problem] = []

    for table, records in valid.items():
        seen: set[str] = set()
        for record in records:
            if record.id in seen:
                problems.append(Problem(table, record.id, "duplicate id"))
            seen.add(record.id)

    singular = {"sources": "source", "places": "place", "groups": "group", "people": "person", "events": "event"}

    def check(table: str, record_id: str, field: str, wanted: str, target: str | None) -> None:
        if target is not None and target not in ids[wanted]:
            problems.append(Problem(table, record_id, f"{field}: unknown {singular[wanted]} '{target}'"))

    for table, records in valid.items():
        for record in records:
            for where, citation in _citations(record):
                check(table, record.id, where, "sources", citation.source)
    for source in valid["sources"]:
        check("sources", source.id, "place", "places", source.place)
    for group in valid["groups"]:
        check("groups", group.id, "parent", "groups", group.parent)
        for relation in group.relations:
            check("groups", group.id, "relations.group", "groups", relation.group)
        for leader in group.leaders:
            check("groups", group.id, "leaders.person", "people", leader.person)
    for person in valid["people"]:
        for affiliation in person.affiliations:
            check("people", person.id, "affiliations.group", "groups", affiliation.group)
    for event in valid["events"]:
        for field in ("places", "route"):
            for place in getattr(event, field):
                check("events", event.id, field, "places", place)
        for group in event.groups:
            check("events", event.id, "groups", "groups", group)
        for person in event.people:
            check("events", event.id, "people", "people", person)
    for disagreement in valid["disagreements"]:
        check("disagreements", disagreement.id, "event", "events", disagreement.event)
    return problems


def _area_problems(places: list[schema.Place]) -> list[Problem]:
    lon_min, lat_min, lon_max, lat_max = OPERATING_AREA
    problems = []
    for place in places:
        inside = lon_min <= place.lon <= lon_max and lat_min <= place.lat <= lat_max
        if not inside and not place.outside_area:
            problems.append(
                Problem(
                    "places",
                    place.id,
                    f"point ({place.lon}, {place.lat}) is outside the operating area "
                    f"{OPERATING_AREA}; set outside_area: true if that is intended",
                )
            )
        if inside and place.outside_area:
            problems.append(Problem("places", place.id, "marked outside_area but its point is inside the area"))
    return problems


def _country_problems(places: list[schema.Place], countries) -> list[Problem]:
    """Points of towns and sites must fall inside (or within ~30 km of) their country's outline."""
    outlines = dict(zip(countries["iso_a2"], countries.geometry))
    problems = []
    for place in places:
        if place.kind in ("country", "region", "physical-region", "historical-region") or place.country not in outlines:
            continue
        if not outlines[place.country].buffer(0.3).contains(Point(place.lon, place.lat)):
            problems.append(
                Problem("places", place.id, f"point ({place.lon}, {place.lat}) is not inside {place.country}")
            )
    return problems


def _locator_problems(valid: dict[str, list], sources_dir: Path) -> list[Problem]:
    texts: dict[str, str | None] = {}
    for source in valid["sources"]:
        path = sources_dir / source.id
        texts[source.id] = normalise_text(path.read_text(encoding="utf-8")) if path.exists() else None
    problems = []
    for source_id, text in texts.items():
        if text is None:
            problems.append(Problem("sources", source_id, f"report file not found in {sources_dir}"))
    for table, records in valid.items():
        for record in records:
            for where, citation in _citations(record):
                text = texts.get(citation.source)
                if text and normalise_text(citation.locator) not in text:
                    problems.append(
                        Problem(
                            table, record.id, f"{where}: locator “{citation.locator}” not found in {citation.source}"
                        )
                    )
    return problems


def support_warnings(
    records: dict[str, list], sources_dir: Path | str, stories_dir: Path | str | None = STORIES_DIR
) -> list[Problem]:
    """Events whose date, place or participants their own reports do not mention, with no note saying why.

    Also every warning of :func:`geo.checks.fact_findings` (where a check cannot decide), and
    the captions of the stories in ``stories_dir`` that tell these records (those whose
    highlighted events are all among them) against their citations.

    A warning, not a problem: the report may name a town by another spelling or date an
    event by another one ("that summer"); the note is where outside knowledge is owned up to.
    """
    reports = {}
    for source in records.get("sources", []):
        path = Path(sources_dir) / str(source.get("id"))
        reports[source.get("id")] = folded(path.read_text(encoding="utf-8")) if path.exists() else None
    named = {
        table: {r.get("id"): spellings(r) for r in records.get(table, []) if isinstance(r, dict)}
        for table in ("places", "groups", "people")
    }
    warnings = []
    for event in records.get("events", []):
        if not isinstance(event, dict) or event.get("note"):
            continue
        texts = [reports.get(c.get("source")) for c in event.get("sources") or [] if isinstance(c, dict)]
        text = " ".join(t for t in texts if t)
        if not text:
            continue
        unsupported = []
        year = str(event.get("date_start", ""))[:4]
        if event.get("date_precision") != "approximate" and f" {year} " not in text:
            unsupported.append(f"the year {year}")
        where = (event.get("places") or [None])[0]
        if where and not any(name in text for name in named["places"].get(where, [])):
            unsupported.append(f"the place {where}")
        for table, field in (("groups", "groups"), ("people", "people")):
            for ref in event.get(field) or []:
                if not any(name in text for name in named[table].get(ref, [])):
                    unsupported.append(f"{ref}")
        if unsupported:
            warnings.append(
                Problem(
                    "events",
                    str(event.get("id")),
                    "its reports do not mention " + ", ".join(unsupported) + ": add a note saying where it comes from",
                )
            )
    from geo.checks import caption_findings, fact_findings

    warnings += fact_findings(records, sources_dir)[1]
    for path in [] if stories_dir is None else sorted(Path(stories_dir).glob("*.y*ml")):
        story = yaml.safe_load(path.read_text(encoding="utf-8"))
        events = {e.get("id") for e in records.get("events", []) if isinstance(e, dict)}
        highlighted = {
            i
            for step in (story or {}).get("steps") or []
            if isinstance(step, dict)
            for i in (step.get("highlight") or {}).get("events") or []
        }
        if isinstance(story, dict) and highlighted <= events:  # a story of these records
            warnings += caption_findings(story, records, sources_dir, name=path.name)[1]
    return warnings


def validate_records(
    records: dict[str, list],
    sources_dir: Path | str | None = None,
    countries=None,
    cited: dict[str, list[BaseModel]] | None = None,
) -> list[Problem]:
    """Every problem in the curated records; an empty list means they are valid.

    Parameters
    ----------
    records
        Table name -> list of raw records, as :func:`geo.catalog.read_records` returns.
    sources_dir
        Directory holding the reports; when given, every locator must be found in its report.
    countries
        Optional GeoDataFrame of country outlines (``iso_a2`` column); when given, town and
        site points must lie inside their country.
    cited
        Other already-parsed records that cite the reports (boundaries, regions), by table
        name: their citations are checked like those of the curated tables.
    """
    problems: list[Problem] = []
    valid: dict[str, list] = {}
    for table, model in MODELS.items():
        table_problems, valid[table] = _schema_problems(table, records.get(table, []), model)
        problems += table_problems
    problems += _reference_problems(valid, records)
    source_ids = {r.get("id") for r in records.get("sources", []) if isinstance(r, dict)}
    for table, items in (cited or {}).items():
        for item in items:
            for where, citation in _citations(item):
                if citation.source not in source_ids:
                    problems.append(Problem(table, item.id, f"{where}: unknown source '{citation.source}'"))
        valid = {**valid, table: items}
    problems += _area_problems(valid["places"])
    if countries is not None:
        problems += _country_problems(valid["places"], countries)
    if sources_dir is not None:
        problems += _locator_problems(valid, Path(sources_dir))
    from geo.checks import fact_findings

    problems += fact_findings(records, sources_dir)[0]
    return problems


def report_text(problems: list[Problem], records: dict[str, list]) -> str:
    """A readable report: counts per table, then every problem, one per line."""
    counts = ", ".join(f"{len(rows)} {table}" for table, rows in records.items())
    if not problems:
        return f"OK: {counts}; no problems found."
    lines = [f"{len(problems)} problem(s) in the curated data ({counts}):"]
    lines += [f"  - {problem}" for problem in problems]
    return "\n".join(lines)
