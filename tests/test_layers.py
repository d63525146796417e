"""Every map layer keeps the same contract, draws what it is given, and escapes data."""

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from geo.catalog import load_atlas
from geo.export import places_with_event_counts
from geo.routes import arrowhead, route_lines
from layers import LAYERS, events
from layers.atlas_map import new_map
from layers.basemap import basemap_features
from layers.legend import legend_html
from style import place_radius


@pytest.fixture
def atlas(mini_data):
    return load_atlas(mini_data)


def boundary_frame():
    square = Polygon([(-5, 14), (3, 14), (3, 21), (-5, 21)])
    return gpd.GeoDataFrame(
        {
            "id": ["zone"],
            "name": ["A <b>zone</b>"],
            "kind": ["emirate"],
            "approximate": [True],
            "valid_from": ["2006-09-01"],
            "valid_to": [None],
        },
        geometry=[square],
        crs="EPSG:4326",
    )


@pytest.fixture
def layer_inputs(atlas):
    return {
        "events": atlas.events,
        "places": places_with_event_counts(atlas.places, atlas.events),
        "towns": places_with_event_counts(atlas.places, atlas.events),
        "routes": route_lines(atlas.events, atlas.places),
        "boundaries": boundary_frame(),
    }


def drawn_features(group: folium.FeatureGroup, layer_id: str) -> list[dict]:
    """The GeoJSON features a feature group draws for one layer (markers, lines, areas)."""
    found = []
    for child in group._children.values():
        if isinstance(child, folium.GeoJson):
            found += [
                f
                for f in child.data["features"]
                if f["properties"].get("layer", layer_id) == layer_id
                and not f["properties"]["id"].startswith(("halo-", "label-", "arrow-"))
            ]
    return found


EXPECTED = {"events": 2, "places": 2, "towns": 2, "routes": 1, "boundaries": 1}


@pytest.mark.parametrize("layer_id", sorted(LAYERS))
def test_layer_draws_one_feature_per_row(layer_id, layer_inputs):
    group = LAYERS[layer_id].build(layer_inputs[layer_id])
    assert len(drawn_features(group, layer_id)) == EXPECTED[layer_id]


@pytest.mark.parametrize("layer_id", sorted(LAYERS))
def test_layer_with_no_rows_draws_nothing(layer_id, layer_inputs):
    group = LAYERS[layer_id].build(layer_inputs[layer_id].iloc[0:0])
    assert drawn_features(group, layer_id) == []


@pytest.mark.parametrize("layer_id", sorted(LAYERS))
def test_layer_names_a_missing_column(layer_id, layer_inputs):
    frame = layer_inputs[layer_id].drop(columns=["id"])
    with pytest.raises(ValueError, match=f"layer '{layer_id}' needs columns id"):
        LAYERS[layer_id].build(frame)


def test_html_in_data_is_escaped_in_every_tooltip(atlas, layer_inputs):
    hostile = atlas.events.copy()
    hostile.loc[0, "title"] = "<img src=x onerror=alert(1)>"
    group = events.build(hostile)
    tooltips = [f["properties"]["tooltip"] for f in drawn_features(group, "events")]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in t for t in tooltips)
    assert not any("<img" in t for t in tooltips)
    [area] = drawn_features(LAYERS["boundaries"].build(boundary_frame()), "boundaries")
    assert "A &lt;b&gt;zone&lt;/b&gt;" in area["properties"]["tooltip"]
    assert "approximate" in area["properties"]["tooltip"]


def test_imprecise_places_get_an_uncertainty_halo(atlas):
    group = events.build(atlas.events)
    halos = [
        f
        for child in group._children.values()
        if isinstance(child, folium.GeoJson)
        for f in child.data["features"]
        if f["properties"]["kind"] == "halo"
    ]
    # Otherton's point is 'approximate' in the fixture; Townville's is exact.
    assert [h["properties"]["place"] for h in halos] == ["otherton"]


def test_place_size_grows_with_events():
    assert place_radius(9) > place_radius(1) > place_radius(0)


def test_route_points_the_way_it_goes(atlas):
    line = route_lines(atlas.events, atlas.places).geometry.iloc[0]
    tip = arrowhead(line)
    # The arrow's tip is the route's last stop (Otherton), not its first.
    assert tuple(tip.exterior.coords[0]) == line.coords[-1] == (2.1, 13.5)


def test_offline_map_loads_no_cdn():
    empty = gpd.GeoDataFrame({"name": [], "iso_a2": []}, geometry=[], crs="EPSG:4326")
    fmap = new_map(basemap_features({name: empty for name in ("countries", "rivers", "lakes", "capitals")}))
    html = fmap.get_root().render()
    assert "cdn.jsdelivr.net" not in html and "cdnjs" not in html and "bootstrap" not in html
    assert "/app/static/vendor/leaflet/leaflet.js" in html


def test_legend_lists_only_what_is_drawn():
    html = legend_html(event_types={"kidnapping"}, show_routes=True)
    assert "Kidnapping" in html and "Route" in html
    assert "Hostage release" not in html and "Boundaries" not in html


def test_regions_each_have_their_own_colour_and_name_on_the_map():
    from geo.basemap import regions
    from layers.boundaries import build
    from layers.labels import LabelLayer
    from style import REGION_PALETTE, with_colours

    coloured = with_colours(regions(), REGION_PALETTE)
    assert coloured["colour"].nunique() == len(coloured) > 1
    group = build(coloured, prefix="region", title="Regions", labelled=True)
    [labels] = [child for child in group._children.values() if isinstance(child, LabelLayer)]
    assert sorted(item["text"] for item in labels.items) == sorted(coloured["name"])
    assert {item["colour"] for item in labels.items} == set(coloured["colour"])


def test_an_outline_repeated_by_another_is_drawn_as_a_band_under_a_line():
    from geo.boundaries import boundaries_in_force, load_boundaries
    from style import outline_styles

    in_2012 = boundaries_in_force(load_boundaries(), 2012, 2012).reset_index(drop=True)
    styles = dict(zip(in_2012["id"], outline_styles(in_2012)))
    assert styles["jihadist-held-northern-mali"] == "band"
    assert styles["proposed-islamic-state-of-azawad"] == "line"
    assert list(styles.values()).count("band") == 1


def test_the_chosen_outline_is_drawn_heavier():
    from layers.boundaries import _style, build

    group = build(boundary_frame(), selected="zone")
    [area] = drawn_features(group, "boundaries")
    plain = build(boundary_frame())
    [unchosen] = drawn_features(plain, "boundaries")
    assert _style(area)["weight"] > _style(unchosen)["weight"]


def test_a_whole_page_renders_the_same_with_templates_compiled_when_used(atlas):
    """Elements compile their text only when rendered (layers.quick_render): a full page still holds
    every layer's script, and an element's text is rendered as a template, as before."""
    import folium
    from branca.element import Element

    from layers.quick_render import LazyTemplate, install

    install()
    text = Element("{{ this.get_name() }} says {{ 1 + 1 }}")
    assert isinstance(text._template, LazyTemplate) and text._template._compiled is None
    assert text.render() == f"{text.get_name()} says 2"
    fmap = folium.Map(tiles=None)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"id": "x"},
                    "geometry": {"type": "Point", "coordinates": [1.5, 15.0]},
                }
            ],
        },
        name="one point",
    ).add_to(fmap)
    page = fmap.get_root().render()
    assert '"coordinates": [1.5, 15.0]' in page and "L.geoJson" in page.replace("L.geoJSON", "L.geoJson")
