"""One map view for every way the map is drawn: what it holds, how a step's focus is drawn, saved steps."""

from __future__ import annotations

import json

import pytest
import yaml

from briefing.drafts import draft_step, draft_story_yaml
from geo.filters import EventFilter, events_matching, with_earlier_background
from geo.stories import STORIES_DIR, Highlight, atlas_ids, load_story, story_problems
from layers.legend import legend_html
from layers.view_layers import view_layers
from style import HIGHLIGHT
from view import OPERATING_AREA, load_context, map_view, step_view, story_views

BUNDLED = STORIES_DIR / "sahel-2003-2013.yaml"


@pytest.fixture(scope="module")
def context():
    return load_context()


@pytest.fixture(scope="module")
def story():
    return load_story(BUNDLED)


def _features(group) -> list[dict]:
    """The GeoJSON features a folium feature group sends to the map."""
    found = []
    for child in group._children.values():
        data = getattr(child, "data", None)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            found += data["features"]
    return found


def _styled(group) -> list[tuple[dict, dict]]:
    """(properties, style) of each feature, as Leaflet will draw it."""
    pairs = []
    for child in group._children.values():
        data = getattr(child, "data", None)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection" and child.style_function:
            pairs += [(feature["properties"], child.style_function(feature)) for feature in data["features"]]
    return pairs


def test_a_view_holds_what_the_filter_shows_and_only_the_layers_switched_on(context):
    kidnappings = EventFilter(year_from=2008, year_to=2010, types=("kidnapping",))
    view = map_view(context, kidnappings, layers=("events", "towns"))
    expected = events_matching(context.atlas.events, with_earlier_background(kidnappings, 2003), context.atlas.groups)
    assert list(view.events["id"]) == list(expected["id"]) and len(view.events) > 0
    assert set(view.events["type"]) == {"kidnapping"}
    assert view.places.empty and view.boundaries.empty and view.regions.empty and view.routes.empty
    assert len(view.towns) > 10
    assert view.bbox == OPERATING_AREA
    assert view.filters_in_words == "2008–2010, kidnapping"


def test_boundaries_drawn_are_those_in_force_in_the_year_asked(context):
    held_north = "jihadist-held-northern-mali"
    assert held_north in set(
        map_view(context, EventFilter(year_from=2012, year_to=2012), layers=("boundaries",)).boundaries["id"]
    )
    in_2005 = map_view(context, EventFilter(year_from=2003, year_to=2013), layers=("boundaries",), boundary_year=2005)
    assert in_2005.boundary_year == 2005 and held_north not in set(in_2005.boundaries["id"])


def test_every_step_of_the_bundled_story_draws_its_highlights(context, story):
    for step, view in zip(story.steps, story_views(story, context)):
        assert view.title == step.heading and view.bbox == tuple(step.bbox)
        drawn = {f"event:{i}" for i in view.events["id"]} | {f"boundary:{i}" for i in view.boundaries["id"]}
        drawn |= {f"place:{i}" for i in view.highlighted_places["id"]}
        assert view.highlighted <= drawn, (step.heading, view.highlighted - drawn)


def test_a_steps_focus_is_ringed_and_everything_else_faded(context, story):
    step = story.steps[7]  # the 2012 occupation: events and outlines highlighted
    view = step_view(step, context)
    groups, legend = view_layers(view)
    events = [(p, s) for group in groups for p, s in _styled(group) if p.get("kind") == "event"]
    ringed = {p["id"] for p, s in events if s["color"] == HIGHLIGHT["ring"]}
    assert ringed == set(step.highlight.events)
    faded = [s for p, s in events if p["id"] not in ringed]
    assert faded and all(s["opacity"] == HIGHLIGHT["dimmed_opacity"] for s in faded)
    outlines = [(p, s) for group in groups for p, s in _styled(group) if p.get("kind") == "boundary"]
    heavy = {p["ref"] for p, s in outlines if s["opacity"] >= 0.75}
    assert heavy == set(step.highlight.boundaries)
    assert "This step's focus" in legend_html(**legend)


def test_a_dashboard_view_without_a_focus_fades_nothing(context):
    view = map_view(context, EventFilter(year_from=2003, year_to=2013))
    groups, legend = view_layers(view)
    styles = [s for group in groups for p, s in _styled(group) if p.get("layer") in ("events", "places")]
    assert styles and all(s["opacity"] == 1 for s in styles)
    assert "focus" not in legend_html(**legend)


def test_a_highlighted_region_with_no_mark_is_named_on_the_map(context, story):
    step = story.steps[0]  # highlights Azawad, a region: no place circle or town dot draws it
    assert "azawad" in step.highlight.places
    groups, _ = view_layers(step_view(step, context))
    labels = [child for group in groups for child in group._children.values() if hasattr(child, "items")]
    texts = {item["text"] for layer in labels for item in layer.items}
    assert "Azawad" in texts


def test_the_legend_lists_only_the_event_types_drawn(context):
    view = map_view(context, EventFilter(year_from=2008, year_to=2010, types=("kidnapping", "release")))
    _, legend = view_layers(view)
    assert legend["event_types"] == {"kidnapping", "release"}
    html = legend_html(**legend)
    assert "Kidnapping" in html and "Hostage release" in html and "Meeting" not in html


# --- Saving a view as a step -------------------------------------------------------------------


def _saved_steps(context):
    kidnappings = EventFilter(year_from=2008, year_to=2010, types=("kidnapping",))
    chosen = "event:2009-11-spanish-aid-workers-kidnapped"
    first = map_view(context, kidnappings, layers=("events", "places", "towns"), selected=chosen)
    held = EventFilter(year_from=2012, year_to=2012, groups=("aqim",), include_related=True)
    second = map_view(
        context,
        held,
        layers=("events", "boundaries"),
        boundary_year=2012,
        selected="boundary:jihadist-held-northern-mali",
    )
    everything = EventFilter(year_from=2003, year_to=2013)
    third = map_view(context, everything)
    return [
        draft_step(first, kidnappings, (-18, 10, 10, 26), len(first.events)),
        draft_step(second, held, (-6, 14, 5, 21), len(second.events)),
        draft_step(third, everything, OPERATING_AREA, len(third.events)),
    ]


def test_a_saved_view_keeps_filters_layers_extent_and_selection(context):
    first, second, third = _saved_steps(context)
    assert first["view"] == {"from": 2008, "to": 2010, "type": ["kidnapping"], "layers": ["events", "places", "towns"]}
    assert first["bbox"] == [-18.0, 10.0, 10.0, 26.0]
    assert first["highlight"] == {"events": ["2009-11-spanish-aid-workers-kidnapped"]}
    spanish = context.atlas.events.set_index("id").loc["2009-11-spanish-aid-workers-kidnapped", "sources"]
    assert first["citations"][0] in [dict(c) for c in spanish]
    assert second["view"]["group"] == ["aqim"] and second["highlight"] == {
        "boundaries": ["jihadist-held-northern-mali"]
    }
    assert "highlight" not in third and third["citations"]
    assert all("in your own words" in step["caption"] for step in (first, second, third))


def test_a_selection_outside_the_saved_extent_is_not_highlighted(context):
    kidnappings = EventFilter(year_from=2008, year_to=2010, types=("kidnapping",))
    view = map_view(context, kidnappings, selected="event:2009-11-spanish-aid-workers-kidnapped")
    far_away = draft_step(view, kidnappings, (10, 30, 20, 38), len(view.events))  # Tunisia and Libya
    assert "highlight" not in far_away


def test_a_draft_of_six_saved_views_passes_every_story_check(context, tmp_path, seeds):
    name, text = draft_story_yaml(_saved_steps(context) * 2)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert "&id" not in text and "*id" not in text  # no YAML aliases for a step saved twice
    assert story_problems(path, atlas_ids(), seeds) == []
    assert len(load_story(path).steps) == 6
    assert yaml.safe_load(text)["steps"][0]["view"]["type"] == ["kidnapping"]


def test_highlight_ids_in_a_view_are_what_the_map_reports_on_click(context):
    view = map_view(
        context,
        EventFilter(year_from=2012, year_to=2012),
        highlight=Highlight(events=["2012-01-jihadists-occupy-northern-mali"]),
    )
    groups, _ = view_layers(view)
    selects = {f["properties"].get("select") for group in groups for f in _features(group)}
    assert view.highlighted <= selects
    assert json.dumps(sorted(view.highlighted))  # plain strings, for the page and the link


def test_the_legend_draws_each_event_type_in_its_own_shape_without_svg(context):
    from style import EVENT_TYPE_SHAPES

    view = map_view(context, EventFilter(year_from=2003, year_to=2013))
    _, legend = view_layers(view)
    html = legend_html(**legend)
    shaped = [t for t in legend["event_types"] if EVENT_TYPE_SHAPES[t] != "circle"]
    assert shaped and html.count("atlas-shape") == len(shaped)
    assert "<svg" not in html  # the side panel's HTML drops inline SVG
