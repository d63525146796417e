"""Stories: the bundled one is sound, and a broken story file is named by file, line, step and problem."""

import re
import shutil

import pytest
import yaml

from cli import main
from geo.schema import EVENT_TYPES
from geo.stories import (
    COVERED_YEARS,
    DEFAULT_STORY_LAYERS,
    SEARCH_TEXT_LIMIT,
    STORIES_DIR,
    STORY_LAYERS,
    TOWN_KINDS,
    AtlasIds,
    Story,
    StoryError,
    StoryView,
    atlas_ids,
    list_stories,
    load_story,
    story_problems,
)
from tests.conftest import MINI

BUNDLED = STORIES_DIR / "sahel-2003-2013.yaml"
SAMPLES = MINI.parent / "stories"
VALID = SAMPLES / "valid-mini.yaml"


@pytest.fixture(scope="module")
def bundled_ids() -> AtlasIds:
    return atlas_ids()


@pytest.fixture(scope="module")
def mini_ids() -> AtlasIds:
    return atlas_ids(MINI / "data")


def line_of(text: str, marker: str | tuple[str, str]) -> int:
    """The 1-based line holding ``marker``, which must be on one line only.

    A pair ``(heading, marker)`` looks for the first ``marker`` after the step with that heading.
    """
    if isinstance(marker, tuple):
        heading, marker = marker
        start = line_of(text, f"heading: {heading}")
        return next(
            number for number, line in enumerate(text.splitlines(), start=1) if number > start and marker in line
        )
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(lines) == 1, f"{marker!r} should be on exactly one line, found {lines}"
    return lines[0]


# --- The bundled story ---------------------------------------------------------------------------


def test_bundled_story_checks_against_the_reports(bundled_ids, seeds):
    assert story_problems(BUNDLED, bundled_ids, seeds) == []


def test_bundled_story_checks_without_the_reports(bundled_ids):
    assert story_problems(BUNDLED, bundled_ids) == []


def test_bundled_story_walks_2003_to_2013_in_order():
    story = load_story(BUNDLED)
    assert story.id == BUNDLED.stem
    assert 8 <= len(story.steps) <= 12
    starts = [step.view.year_from for step in story.steps]
    assert starts == sorted(starts) and starts[0] == 2003 and story.steps[-1].view.year_to == 2013
    highlighted = {event for step in story.steps for event in step.highlight.events}
    for moment in ("2003-tourist-kidnapping", "2012-01-jihadists-occupy-northern-mali", "2013-01-in-amenas-attack"):
        assert moment in highlighted
    assert {citation.source for step in story.steps for citation in step.citations} >= {
        "000_c1da32ba611ce9d2.txt",
        "001_f2bd6db9d75cc368.txt",
        "002_7d2af5c16050e36f.txt",
        "003_ec630131a4bdb6d8.txt",
        "004_69f6a1c87e5f895b.txt",
    }


def test_bundled_story_names_reports_and_records_in_words(atlas):
    story = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    texts = [story["title"], story["summary"]] + [
        step[field] for step in story["steps"] for field in ("heading", "caption")
    ]
    assert len(texts) == 2 + 2 * len(story["steps"])
    report_id = re.compile(r"(?<![\d,.])\b00\d(?:\b|_)")  # as in test_curated_data.py
    assert [text for text in texts if report_id.search(text)] == []
    ids = [i for table in (atlas.places, atlas.groups, atlas.people, atlas.events) for i in table["id"] if "-" in i]
    names = "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
    record_id = re.compile(r"(?<![\w-])(" + names + r")(?![\w-])")
    assert [match.group(0) for text in texts for match in record_id.finditer(text)] == []


def test_each_view_is_a_dashboard_link_the_dashboard_takes_without_a_notice(atlas):
    from ui.state import Vocabulary, parse_query

    vocab = Vocabulary(
        first_year=COVERED_YEARS[0],
        last_year=COVERED_YEARS[1],
        groups=frozenset(atlas.groups["id"]),
        types=frozenset(EVENT_TYPES),
        people=frozenset(atlas.people["id"]),
        sources=frozenset(atlas.sources["id"]),
        selectable=frozenset(),
        basemaps=("Offline",),
    )
    for step in load_story(BUNDLED).steps:
        view = step.view
        state = parse_query(view.link_query(), vocab)
        assert state.notices == (), (step.heading, state.notices)
        assert (state.year_from, state.year_to) == (view.year_from, view.year_to)
        assert (state.groups, state.people, state.types, state.layers) == (
            tuple(view.group),
            tuple(view.person),
            tuple(view.type),
            tuple(view.layers),
        )
        assert (state.include_related, state.include_named, state.boundary_year, state.basemap) == (
            bool(view.related),
            bool(view.named),
            view.boundaries,
            "Offline",
        )


def test_story_vocabulary_mirrors_the_dashboard():
    from style import TOWN_KINDS as DRAWN_AS_TOWNS
    from ui.state import DEFAULT_LAYERS, LAYER_CHOICES, LINK_PARAMETERS
    from ui.state import SEARCH_TEXT_LIMIT as LINK_TEXT_LIMIT

    assert STORY_LAYERS == tuple(LAYER_CHOICES)
    assert DEFAULT_STORY_LAYERS == DEFAULT_LAYERS
    assert SEARCH_TEXT_LIMIT == LINK_TEXT_LIMIT
    assert TOWN_KINDS == DRAWN_AS_TOWNS
    view_keys = {info.alias or name for name, info in StoryView.model_fields.items()}
    # A story's steps are in years: days ('dates') are for imported data on the dashboard's map.
    assert view_keys == set(LINK_PARAMETERS) - {"basemap", "lat", "lon", "zoom", "select", "dates"}


# --- Malformed stories ---------------------------------------------------------------------------


def test_valid_sample_checks_with_the_mini_reports(mini_ids, mini_reports):
    assert story_problems(VALID, mini_ids, mini_reports) == []
    assert isinstance(load_story(VALID), Story)


# (what to replace, with what, a text on the offending line, the expected problem after 'line: ')
BROKEN = {
    "unknown event": (
        "events: [2008-release]",
        "events: [no-such-event]",
        "no-such-event",
        "step 4 (Freed at Otherton): highlight.events: unknown event 'no-such-event'",
    ),
    "unknown place": (
        "places: [otherton]",
        "places: [atlantis]",
        "atlantis",
        "step 4 (Freed at Otherton): highlight.places: unknown place 'atlantis'",
    ),
    "unknown group": (
        "group: [child-brigade]",
        "group: [child-brigade, nobody]",
        "nobody",
        "step 3 (Held for a month): view.group: unknown group 'nobody'",
    ),
    "year out of range": (
        "view: {from: 2003, to: 2013}",
        "view: {from: 1990, to: 2013}",
        "from: 1990",
        "step 6 (The whole period): view.from: 1990 is outside the years the atlas covers (2003–2013)",
    ),
    "unknown report": (
        "- {source: report-a.txt, locator: a month later}",
        "- {source: report-z.txt, locator: a month later}",
        "report-z.txt",
        "step 3 (Held for a month): citations[0].source: unknown report 'report-z.txt'",
    ),
    "bbox reversed": (
        "bbox: [-5, 12, 3, 19]",
        "bbox: [3, 12, -5, 19]",
        "bbox: [3, 12, -5, 19]",
        "step 3 (Held for a month): bbox: [3.0, 12.0, -5.0, 19.0]: west should be less than east "
        "and south less than north; expected [west, south, east, north]",
    ),
    "bbox of three numbers": (
        "bbox: [-5, 12, 3, 19]",
        "bbox: [-5, 12, 3]",
        "bbox: [-5, 12, 3]",
        "step 3 (Held for a month): bbox: should be [west, south, east, north] in degrees, got [-5, 12, 3]",
    ),
    "view missing": (
        "    view: {from: 2003, to: 2013}\n",
        "",
        "heading: The whole period",
        "step 6 (The whole period): view: missing",
    ),
    "step not a mapping": (
        "  - heading: The way they went\n",
        "  - The way they went\n  - heading: The way\n",
        "  - The way they went",
        "step 5: step: should be a mapping (heading, caption, view, bbox, highlight, citations), got str",
    ),
    "bbox off the globe": (
        "bbox: [-5, 12, 3, 19]",
        "bbox: [-5, 12, 3, 95]",
        "bbox: [-5, 12, 3, 95]",
        "step 3 (Held for a month): bbox: [-5.0, 12.0, 3.0, 95.0] is outside the globe; "
        "expected [west, south, east, north] in degrees",
    ),
    "basemap in a view": (
        "view: {from: 2003, to: 2013}",
        "view: {from: 2003, to: 2013, basemap: Offline}",
        "basemap: Offline",
        "step 6 (The whole period): view.basemap: a story always uses the offline map; remove 'basemap'",
    ),
    "basemap in the story": (
        "byline: Sahel Atlas tests, 2026",
        "byline: Sahel Atlas tests, 2026\nbasemap: Offline",
        "basemap: Offline",
        "basemap: a story always uses the offline map; remove 'basemap'",
    ),
    "unknown layer": (
        "layers: [events, routes]",
        "layers: [events, roads]",
        "roads",
        "step 5 (The way they went): view.layers[1]: unknown layer 'roads'; expected one of " + ", ".join(STORY_LAYERS),
    ),
    "unknown event type": (
        "type: [kidnapping]",
        "type: [picnic]",
        "picnic",
        "step 2 (Two travellers seized): view.type[0]: unknown event type 'picnic'; expected "
        "one of " + ", ".join(EVENT_TYPES),
    ),
    "unknown view key": (
        "view: {from: 2008, to: 2008, type: [kidnapping]}",
        "view: {from: 2008, to: 2008, type: [kidnapping], colour: red}",
        "colour: red",
        "step 2 (Two travellers seized): view.colour: unknown key 'colour'; expected one of from, "
        "to, group, type, person, source, country, q, related, named, layers, boundaries",
    ),
    "map view instead of bbox": (
        "view: {from: 2003, to: 2013}",
        "view: {from: 2003, to: 2013, zoom: 5}",
        "zoom: 5",
        "step 6 (The whole period): view.zoom: a story sets its map extent with the step's bbox",
    ),
    "flag not 0 or 1": (
        "group: [parent-group],",
        "group: [parent-group], related: 2,",
        "related: 2",
        "step 4 (Freed at Otherton): view.related: use 1 or 0, got 2",
    ),
    "years reversed": (
        "view: {from: 2003, to: 2013}",
        "view: {from: 2013, to: 2003}",
        "from: 2013, to: 2003",
        "step 6 (The whole period): view: 'from' 2013 is after 'to' 2003",
    ),
    "one-sentence caption": (
        "Two travellers were taken. The report gives no names.",
        "Two travellers were taken.",
        ("Two travellers seized", "caption: >-"),
        "step 2 (Two travellers seized): caption: a caption should be 2 to 4 sentences, got 1",
    ),
    "long locator": (
        "locator: They were freed at Otherton}",
        "locator: They were freed at Otherton a month later so the report says today}",
        "says today",
        "step 6 (The whole period): citations[0].locator: locator should be at most 12 words, got 13",
    ),
    "no citation": (
        "    citations:\n      - {source: report-a.txt, locator: They were freed at Otherton}\n",
        "    citations: []\n",
        "citations: []",
        "step 6 (The whole period): citations: List should have at least 1 item after validation, not 0",
    ),
    "highlight not drawn": (
        "view: {from: 2008, to: 2008, layers: [events, routes]}",
        "view: {from: 2008, to: 2008, layers: [routes]}",
        "2008-seizure, 2008-release",
        None,
    ),  # two problems on one line: checked below
    "event outside the view": (
        "view: {from: 2008, to: 2008, group: [parent-group]",
        "view: {from: 2009, to: 2010, group: [parent-group]",
        "events: [2008-release]",
        "step 4 (Freed at Otherton): highlight.events: '2008-release' is not among the events "
        "the view shows (2009–2010, parent-group and its brigades and successors)",
    ),
    "highlight outside the bbox": ("bbox: [-5, 12, 3, 19]", "bbox: [0, 12, 3, 19]", "bbox: [0, 12, 3, 19]", None),
    "duplicate key": (
        "    bbox: [-10, 5, 10, 25]\n",
        "    bbox: [-10, 5, 10, 25]\n    bbox: [-10, 5, 10, 26]\n",
        "bbox: [-10, 5, 10, 26]",
        "step 6 (The whole period): bbox: duplicate key 'bbox'",
    ),
    "id not the file name": (
        "id: valid-mini",
        "id: another-story",
        "id: another-story",
        "id: 'another-story' should be the file's name without .yaml ('valid-mini')",
    ),
}


def broken_copy(folder, old: str, new: str):
    text = VALID.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = folder / VALID.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", [case for case, (*_, expected) in BROKEN.items() if expected])
def test_a_broken_story_names_file_line_and_problem(case, tmp_path, monkeypatch, mini_ids):
    old, new, marker, expected = BROKEN[case]
    path = broken_copy(tmp_path, old, new)
    monkeypatch.chdir(tmp_path)  # file names are given from the working folder
    line = line_of(path.read_text(encoding="utf-8"), marker)
    assert story_problems(path, mini_ids) == [f"valid-mini.yaml:{line}: {expected}"]


def test_a_highlight_the_view_does_not_draw(tmp_path, mini_ids):
    old, new, marker, _ = BROKEN["highlight not drawn"]
    path = broken_copy(tmp_path, old, new)
    line = line_of(path.read_text(encoding="utf-8"), marker)
    assert story_problems(path, mini_ids) == [
        f"{path}:{line}: step 5 (The way they went): highlight.events: '{event}' is not drawn: the events layer is off"
        for event in ("2008-seizure", "2008-release")
    ]


def test_a_highlighted_place_outside_the_bbox(tmp_path, mini_ids):
    old, new, _, _ = BROKEN["highlight outside the bbox"]
    path = broken_copy(tmp_path, old, new)
    text = path.read_text(encoding="utf-8")
    line = line_of(text, ("Held for a month", "places: [townville]"))  # townville lies at 3° W
    assert story_problems(path, mini_ids) == [
        f"{path}:{line}: step 3 (Held for a month): highlight.places: 'townville' lies outside the step's bbox"
    ]


def test_a_locator_not_in_its_report(tmp_path, mini_ids, mini_reports):
    path = broken_copy(tmp_path, "locator: seized two travellers", "locator: seized three travellers")
    line = line_of(path.read_text(encoding="utf-8"), "seized three travellers")
    assert story_problems(path, mini_ids) == []  # only the report can tell
    assert story_problems(path, mini_ids, mini_reports) == [
        f"{path}:{line}: step 2 (Two travellers seized): citations[0].locator: “seized three travellers” "
        "not found in report-a.txt"
    ]


def test_a_caption_copying_its_report(tmp_path, mini_ids, mini_reports):
    copied = "In March 2008 the brigade crossed the river near Townville and seized two travellers."
    path = broken_copy(tmp_path, "Two travellers were taken. The report gives no names.", copied + " So it says.")
    line = line_of(path.read_text(encoding="utf-8"), ("Two travellers seized", "caption:"))
    problems = story_problems(path, mini_ids, mini_reports)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}:{line}: step 2 (Two travellers seized): caption: copies more than 12 words in a row from report-a.txt"
    )


def test_too_few_steps_are_counted_at_the_steps_key(tmp_path, mini_ids):
    text = VALID.read_text(encoding="utf-8")
    path = tmp_path / VALID.name
    path.write_text(text[: text.index("  - heading: Freed at Otherton")], encoding="utf-8")
    line = line_of(text, "steps:")
    assert story_problems(path, mini_ids) == [f"{path}:{line}: steps: 3 steps; a story has 6 to 15"]


def test_a_step_count_shows_even_beside_a_broken_step(tmp_path, mini_ids):
    text = VALID.read_text(encoding="utf-8")
    kept = text[: text.index("  - heading: Freed at Otherton")].replace(
        "bbox: [-5, 12, 3, 19]", "bbox: [3, 12, -5, 19]"
    )
    path = tmp_path / VALID.name
    path.write_text(kept, encoding="utf-8")
    problems = story_problems(path, mini_ids)
    assert [problem.split(": ", 1)[1].split(":")[0] for problem in problems] == ["steps", "step 3 (Held for a month)"]


def test_a_file_that_is_not_yaml(mini_ids, monkeypatch):
    path = SAMPLES / "not-yaml.yaml"
    line = line_of(path.read_text(encoding="utf-8"), "\t")
    monkeypatch.chdir(SAMPLES)
    assert story_problems(path, mini_ids) == [
        f"not-yaml.yaml:{line}: not valid YAML: found character '\\t' that cannot start any token"
    ]


def test_prose_is_not_a_story(mini_ids):
    path = SAMPLES / "plain-text.yaml"
    [problem] = story_problems(path, mini_ids)
    assert problem.endswith(":1: a story should be a YAML mapping with id, title, byline, summary and steps, got str")


@pytest.mark.parametrize(
    "content, expected",
    [
        ("", "empty file; a story is a YAML mapping with id, title, byline, summary and steps"),
        ("- id: a-list\n", "a story should be a YAML mapping with id, title, byline, summary and steps, got list"),
    ],
)
def test_empty_or_list_files(tmp_path, mini_ids, content, expected):
    path = tmp_path / "story.yaml"
    path.write_text(content, encoding="utf-8")
    assert story_problems(path, mini_ids) == [f"{path}:1: {expected}"]


def test_unreadable_files_are_reported_not_raised(tmp_path, mini_ids):
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "latin1.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    for name in ("folder.yaml", "latin1.yaml", "missing.yaml"):
        [problem] = story_problems(tmp_path / name, mini_ids)
        assert problem.startswith(f"{tmp_path / name}:1: cannot read the file")


def test_load_story_raises_with_every_form_problem(tmp_path):
    path = broken_copy(tmp_path, "bbox: [-5, 12, 3, 19]", "bbox: [3, 12, -5, 19]")
    with pytest.raises(StoryError) as raised:
        load_story(path)
    assert raised.value.problems == story_problems(path, None)
    assert len(raised.value.problems) == 1 and "bbox" in raised.value.problems[0]


def test_ids_alone_check_references_without_the_atlas(monkeypatch):
    ids = AtlasIds(
        places=frozenset({"townville", "otherton"}),
        events=frozenset({"2008-seizure"}),
        boundaries=frozenset(),
        groups=frozenset({"child-brigade", "parent-group"}),
        people=frozenset(),
        sources=frozenset({"report-a.txt"}),
    )
    text = VALID.read_text(encoding="utf-8")
    monkeypatch.chdir(SAMPLES)
    assert story_problems(VALID, ids) == [
        f"valid-mini.yaml:{line_of(text, 'events: [2008-release]')}: step 4 (Freed at Otherton): "
        "highlight.events: unknown event '2008-release'",
        f"valid-mini.yaml:{line_of(text, 'events: [2008-seizure, 2008-release]')}: step 5 (The way they went): "
        "highlight.events: unknown event '2008-release'",
    ]


# --- Listing ------------------------------------------------------------------------------------


def test_list_stories_finds_story_files_only(tmp_path):
    for name in ("b.yaml", "a.yml", "notes.txt"):
        (tmp_path / name).write_text("x: 1\n")
    (tmp_path / "sub.yaml").mkdir()
    assert [path.name for path in list_stories(tmp_path)] == ["a.yml", "b.yaml"]
    assert BUNDLED in list_stories()
    with pytest.raises(NotADirectoryError):
        list_stories(tmp_path / "nowhere")


# --- Command line -------------------------------------------------------------------------------


def test_cli_story_list(capsys):
    assert main(["story", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(list_stories())
    bundled = load_story(BUNDLED)
    assert f"sahel-2003-2013\t{bundled.title}\t{len(bundled.steps)} steps" in lines
    assert all(re.fullmatch(r"[a-z0-9-]+\t[^\t]+\t\d+ steps", line) for line in lines)


def test_cli_story_list_names_a_broken_file(tmp_path, capsys):
    shutil.copy(VALID, tmp_path)
    shutil.copy(SAMPLES / "plain-text.yaml", tmp_path)
    assert main(["story", "list", "--folder", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["valid-mini\tTwo travellers on the river\t6 steps"]
    assert captured.err.startswith("plain-text.yaml: not a valid story (1 problem(s))")


def test_cli_story_validate_bundled(capsys, seeds):
    assert main(["story", "validate", "--sources", str(seeds)]) == 0
    count = len(list_stories())
    assert capsys.readouterr().out.splitlines() == [f"OK: {count} stor{'y' if count == 1 else 'ies'}"]


def test_cli_story_validate_a_folder_with_broken_files(capsys):
    args = [
        "--data",
        str(MINI / "data"),
        "story",
        "validate",
        "--folder",
        str(SAMPLES),
        "--sources",
        str(MINI / "reports"),
    ]
    assert main(args) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in lines] == ["not-yaml.yaml", "plain-text.yaml"]
    assert all(re.match(r"^[^:]+:\d+: ", line) for line in lines)


def test_cli_story_validate_one_file(capsys, tmp_path):
    args = ["--data", str(MINI / "data"), "story", "validate", str(VALID), "--sources", str(MINI / "reports")]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines() == ["OK: 1 story"]
    broken = broken_copy(tmp_path, *BROKEN["unknown event"][:2])
    assert main(["--data", str(MINI / "data"), "story", "validate", str(broken)]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line.endswith(": " + BROKEN["unknown event"][3])


@pytest.mark.parametrize(
    "args, message",
    [
        (["story"], "the following arguments are required: STORY_COMMAND"),
        (["story", "validate", "--folder", "/no/such/folder"], "no such folder: /no/such/folder"),
        (["story", "list", "--folder", "/no/such/folder"], "no such folder: /no/such/folder"),
        (["story", "validate", "no-such-story.yaml"], "no such story file: no-such-story.yaml"),
        (["story", "validate", str(VALID), "--folder", str(SAMPLES)], "give story files or --folder, not both"),
        (["story", "validate", "--sources", "/no/such/reports"], "--sources: no such folder: /no/such/reports"),
    ],
)
def test_cli_story_bad_usage_is_a_message(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
