"""The presentation page under Streamlit's AppTest: every step of the bundled story, links, uploads."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.stories import STORIES_DIR, load_story
from tests.apptest import map_args, page_html, run, shown
from ui.story_files import UPLOAD_LIMIT_BYTES, check_upload
from view import load_context, step_view

PAGE = "app_pages/present.py"
BUNDLED = STORIES_DIR / "sahel-2003-2013.yaml"


@pytest.fixture(scope="module")
def story():
    return load_story(BUNDLED)


@pytest.fixture(scope="module")
def context():
    return load_context()


def present(query: dict | None = None) -> AppTest:
    return run(query, page=PAGE)


def map_layers(app: AppTest) -> str:
    """The map's script and the step's layers, which ride beside it so the map is kept from step to step."""
    args = map_args(app)
    return args["script"] + (args.get("feature_group") or "")


def counter(app: AppTest) -> str:
    return re.search(r"step (\d+) of (\d+)", page_html(app)).group(0)


def test_every_step_of_the_bundled_story_renders(story, context):
    app = present({"story": story.id, "step": "1"})
    for number, step in enumerate(story.steps, start=1):
        assert counter(app) == f"step {number} of {len(story.steps)}"
        html = page_html(app)
        assert step.heading.replace("'", "&#x27;") in html
        assert all(citation.locator.replace("'", "&#x27;")[:30] in html for citation in step.citations)
        script = map_layers(app)
        view = step_view(step, context)
        # Every event the step shows is on its map, and only those.
        drawn = set(re.findall(r'"select": "event:([^"]+)"', script))
        expected = set(view.events.loc[view.events.geometry.notna(), "id"])
        assert expected, f"{step.heading}: a story step shows events"
        assert drawn == expected, step.heading
        ringed = set(re.findall(r'"highlighted": true[^}]*?"select": "event:([^"]+)"', script)) | set(
            re.findall(r'"select": "event:([^"]+)"[^}]*?"highlighted": true', script)
        )
        assert ringed == set(step.highlight.events), step.heading
        assert app.query_params["story"] == story.id and app.query_params["step"] == str(number)
        if number < len(story.steps):
            app.button(key="step_next").click().run()
            assert not app.exception, app.exception
    assert app.button(key="step_next").disabled


def test_a_link_opens_its_step_and_previous_goes_back(story):
    app = present({"story": story.id, "step": "4"})
    assert counter(app) == f"step 4 of {len(story.steps)}"
    assert story.steps[3].heading in page_html(app)
    app.button(key="step_previous").click().run()
    assert counter(app) == f"step 3 of {len(story.steps)}" and app.query_params["step"] == "3"


@pytest.mark.parametrize(
    "query, notice",
    [
        ({"story": "no-such-story", "step": "2"}, "No story called “no-such-story”"),
        ({"step": "<b>two</b>"}, "is not a step number"),
    ],
)
def test_a_wrong_link_says_so_and_shows_a_step(story, query, notice):
    app = present(query)
    assert any(notice in shown(w.value) for w in app.warning), [w.value for w in app.warning]
    assert "step " in counter(app) and not app.exception
    assert "<b>two</b>" not in page_html(app)


def test_a_step_beyond_the_end_shows_the_last_and_says_so(story):
    count = len(story.steps)
    app = present({"story": story.id, "step": "99"})
    assert counter(app) == f"step {count} of {count}"
    said = [shown(w.value) for w in app.warning]
    assert f"There is no step 99 in this story (it has {count}): showing step {count}." in said
    app = present({"story": story.id, "step": "-3"})
    assert counter(app) == f"step 1 of {count}"
    assert any("There is no step -3 in this story" in shown(w.value) for w in app.warning)
    app = present({"story": story.id, "step": "2"})  # a step that exists: no notice
    assert not [w for w in app.warning if "There is no step" in shown(w.value)]


def test_the_legend_on_the_map_lists_only_what_the_step_draws(story, context):
    app = present({"story": story.id, "step": "6"})  # hostages: kidnappings, ransoms, releases
    script = map_layers(app)
    view = step_view(story.steps[5], context)
    labels = {"kidnapping": "Kidnapping", "meeting": "Meeting", "occupation": "Occupation or loss of territory"}
    for event_type, label in labels.items():
        assert (label in script) == (event_type in set(view.events["type"])), event_type


# --- Uploaded story files --------------------------------------------------------------------


def test_a_broken_upload_is_refused_with_its_file_line_and_problem(context):
    text = BUNDLED.read_text(encoding="utf-8").replace("bbox: [-12, 12, 12, 30]", "bbox: [12, 12, -12, 30]", 1)
    checked = check_upload("my story (1).yaml", text.encode("utf-8"), context)
    assert checked.story is None and checked.problems
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "bbox: [12, 12, -12, 30]" in row)
    assert checked.problems[0].startswith(f"my story (1).yaml:{line}: step 1 (The GSPC comes south): bbox:")


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\xff\xfe not text", "cannot read"),
        (b"steps: [unclosed", "not valid YAML"),
        (b"- just\n- a list\n", "a story should be a YAML mapping"),
        (b"x" * (UPLOAD_LIMIT_BYTES + 1), "a story file is at most"),
    ],
)
def test_an_upload_that_is_not_a_story_gets_a_clear_message(context, content, expected):
    checked = check_upload("upload.yaml", content, context)
    assert checked.story is None and any(expected in problem for problem in checked.problems), checked.problems


def test_a_draft_with_fewer_steps_is_presented_with_a_warning(context):
    from briefing.drafts import draft_step, draft_story_yaml
    from geo.filters import EventFilter
    from view import map_view

    everything = EventFilter(year_from=2003, year_to=2013)
    view = map_view(context, everything)
    _, text = draft_story_yaml([draft_step(view, everything, (-18, 4, 26, 38), len(view.events))])
    checked = check_upload("story-draft.yaml", text.encode("utf-8"), context)
    assert checked.problems == [] and len(checked.story.steps) == 1
    assert "A draft of 1 step(s)" in checked.warnings[0]


def test_the_bundled_upload_is_the_bundled_story(context, story):
    checked = check_upload("sahel-2003-2013.yaml", BUNDLED.read_bytes(), context)
    assert checked.problems == [] and checked.warnings == [] and checked.story == story


def test_stories_in_the_users_folder_are_offered_and_a_broken_one_is_refused(monkeypatch, tmp_path, story):
    own = BUNDLED.read_text(encoding="utf-8").replace("id: sahel-2003-2013", "id: my-briefing", 1)
    (tmp_path / "my-briefing.yaml").write_text(own.replace(story.title, "My briefing", 1), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("SAHEL_ATLAS_STORIES", str(tmp_path))
    app = present({"story": "my-briefing", "step": "2"})
    assert counter(app) == f"step 2 of {len(story.steps)}"
    assert set(app.selectbox(key="present_story").options) >= {story.title, "My briefing"}
    broken = present({"story": "broken"})
    assert any("cannot be presented" in e.value for e in broken.error)
    assert any(re.search(r"broken\.yaml:\d+: not valid YAML", c.value) for c in broken.code)


def test_the_legend_starts_folded_and_a_wall_screen_gets_larger_labels(story):
    app = present({"story": story.id, "step": "2"})
    script = map_layers(app)
    assert "\\u003cdetails\\u003e\\u003csummary\\u003eLegend" in script  # folded: it hides no mark until opened
    assert "setLabelSize(16)" in script
    app.selectbox(key="present_label_size").set_value("Wall screen").run()
    assert not app.exception
    assert "setLabelSize(20)" in map_layers(app)


def test_the_slides_are_made_on_request_and_say_how_far_they_are(story, context):
    from ui import exports

    app = present({"story": story.id, "step": "1"})
    assert app.button(key="make_pptx").label == "Make the slides (PowerPoint)"
    short = story.model_copy(update={"steps": story.steps[:2]})
    told = []
    deck = exports.story_slides(short, context, progress=lambda done, total: told.append((done, total)))
    assert told == [(1, 2), (2, 2)]  # each map told as it is drawn
    assert deck[:2] == b"PK"  # a .pptx is a zip file
