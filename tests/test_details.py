"""The panel beside the map: reports named as people know them, file names only on hover."""

import datetime as dt
import re

import pytest

from geo.catalog import read_records, records_to_atlas
from layers.common import escape
from ui.details import disagreement_html, event_html
from view import Names

FILE_NAME = re.compile(r"\b00\d_[0-9a-f]+\.txt")
TITLE_ATTRIBUTE = re.compile(r'\stitle="[^"]*"')


def visible(html: str) -> str:
    """The page text as shown, with hover-only attributes removed."""
    return TITLE_ATTRIBUTE.sub("", html)


def test_every_event_names_its_reports_and_keeps_file_names_for_hovering(atlas, names):
    for event in atlas.events.itertuples(index=False):
        html = event_html(event, atlas, names)
        assert not FILE_NAME.search(visible(html)), event.id
        for citation in event.sources:
            source = citation["source"]
            assert f'<b title="{escape(source)}">{escape(names.source_titles[source])}</b>' in html


def test_disagreements_name_their_reports_too(atlas, names):
    for row in atlas.disagreements.itertuples(index=False):
        assert not FILE_NAME.search(visible(disagreement_html(row, names))), row.id


@pytest.mark.parametrize("labels", ["sources", "source_titles"])
def test_report_labels_say_who_and_when_in_words(atlas, names, labels):
    shown = getattr(names, labels)
    assert len(set(shown.values())) == len(atlas.sources)
    for source in atlas.sources.itertuples(index=False):
        label, published = shown[source.id], dt.date.fromisoformat(str(source.published))
        assert not FILE_NAME.search(label) and "None" not in label and "nan" not in label
        if source.published_precision == "day":
            assert label.endswith(f"{published.day} {published:%b} {published.year}")
        if source.published_precision == "approximate":
            assert label.endswith(f"c. {published.year}")
        who = source.outlet if source.kind == "news report" and isinstance(source.outlet, str) else source.author
        if isinstance(who, str):
            assert label.startswith(who)


def test_the_full_label_carries_the_title_without_its_editorial_note(atlas, names):
    for source in atlas.sources.itertuples(index=False):
        title = re.sub(r"\s*\([^()]*\)$", "", source.title)
        assert title.replace("“", "‘").replace("”", "’") in names.source_titles[source.id]
        assert "(title supplied" not in names.source_titles[source.id]


def test_reports_alike_in_outlet_and_date_still_get_different_labels():
    records = read_records()
    twin = {**records["sources"][1], "id": "twin.txt", "title": "Another dispatch"}
    atlas = records_to_atlas({**records, "sources": records["sources"] + [twin]})
    labels = Names(atlas)
    assert len(set(labels.sources.values())) == len(set(labels.source_titles.values())) == len(atlas.sources)
    assert "Another dispatch" in labels.sources["twin.txt"]


def test_report_labels_are_escaped_in_the_panel():
    records = read_records()
    hostile = [
        {**source, "outlet": "<script>x</script>"} if source["kind"] == "news report" else source
        for source in records["sources"]
    ]
    atlas = records_to_atlas({**records, "sources": hostile})
    names = Names(atlas)
    event = next(
        e
        for e in atlas.events.itertuples(index=False)
        if any(names.sources[c["source"]].startswith("<script>") for c in e.sources)
    )
    html = event_html(event, atlas, names)
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
