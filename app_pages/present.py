"""Present a story: one step at a time, the map nearly full screen, the caption readable across a room.

The step is in the link (``?story=ID&step=N``), so a link opens that step;
Previous / Next answer the arrow keys. A story file can be uploaded: it is
checked like a bundled one, and a broken file is refused with its problems.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from briefing.picture import slide_extent
from layers.atlas_map import LABEL_SIZES, new_map
from layers.basemap import OFFLINE
from layers.labels import settings_group
from layers.legend import legend_group, legend_html
from layers.presentation import forward_step_keys, step_frame_group
from layers.view_layers import view_layers
from ui import exports, story_files
from ui.assets import BASEMAP_URL, LEAFLET_URL, ensure_leaflet
from ui.data import CuratedDataError, atlas_context, basemap_data, names_and_vocabulary
from ui.step_keys import listen_for_step_keys
from ui.text import plain
from view import step_view

UPLOADED = "uploaded"  # the story choice that means "the file I uploaded"
# Labels large enough for a room by default; a wall screen seen from the back of a hall wants more.
STARTING_LABEL_SIZE = "Large"

PAGE_CSS = """
<style>
.block-container { padding: 3.6rem 1.2rem 0.4rem 1.2rem; max-width: none; }
iframe[title="streamlit_folium.st_folium"] { height: max(420px, calc(100vh - 90px)) !important; }
.atlas-step-counter { font-size: 1.05rem; color: #555; letter-spacing: .04em; text-transform: uppercase; }
.atlas-step-heading { font-size: 2.1rem; font-weight: 750; line-height: 1.15; margin: .2rem 0 .7rem 0; }
.atlas-step-caption { font-size: 1.45rem; line-height: 1.45; color: #1b1b1b; }
.atlas-step-sources { font-size: .95rem; line-height: 1.35; color: #444; margin-top: 1rem;
  border-top: 1px solid #ddd; padding-top: .5rem; }
.atlas-step-sources ol { margin: .2rem 0 0 1.1rem; padding: 0; }
.atlas-story-title { font-size: 1.05rem; font-weight: 650; color: #333; }
.atlas-step-view { font-size: 1rem; color: #555; margin: -.4rem 0 .6rem 0; }
</style>
"""


def read_step_from_url(story_ids: list[str]) -> tuple[str | None, int, list[str]]:
    """The story and step (0-based) a link asks for, and what could not be done as asked."""
    notices = []
    wanted = st.query_params.get("story")
    story = wanted if wanted in story_ids else None
    if wanted and story is None:
        notices.append(f"No story called “{wanted[:60]}”: showing the first one.")
    raw_step = st.query_params.get("step", "1")
    try:
        step = int(raw_step) - 1
    except ValueError:
        notices.append(f"“step={raw_step[:20]}” is not a step number: showing step 1.")
        step = 0
    return story, step, notices


def story_choice(bundled: dict[str, str]) -> None:
    """Pick a bundled story, or upload one; the first run reads the link."""
    if "present_story" not in st.session_state:
        story, step, notices = read_step_from_url(list(bundled))
        st.session_state.present_story = story or next(iter(bundled), UPLOADED)
        st.session_state.present_step = step
        st.session_state.present_notices = notices
        if "step" in st.query_params:  # checked against the story's steps once it is read
            st.session_state.present_step_from_link = step


def go_to(step: int) -> None:
    st.session_state.present_step = step


def step_by(change: int) -> None:
    """One step on or back from the step shown now: two quick presses of a clicker go two steps."""
    st.session_state.present_step = st.session_state.get("present_step", 0) + change


def step_controls(index: int, count: int) -> None:
    back, counter, forward = st.columns([1, 1.2, 1], vertical_alignment="center")
    back.button(
        "Previous",
        icon=":material/arrow_back:",
        disabled=index == 0,
        on_click=step_by,
        args=(-1,),
        key="step_previous",
        width="stretch",
        help="Or PageUp, the left arrow or Shift+Space",
    )
    counter.html(f"<div class='atlas-step-counter' style='text-align:center'>step {index + 1} of {count}</div>")
    forward.button(
        "Next",
        icon=":material/arrow_forward:",
        disabled=index >= count - 1,
        on_click=step_by,
        args=(1,),
        key="step_next",
        width="stretch",
        help="Or PageDown, the right arrow or Space",
    )


def take_away(story, view, context, index: int) -> None:
    """The story as slides or one offline file, and this step as a picture; made when pressed."""
    st.markdown("**Take it with you**")
    slides, page = st.columns(2)
    with slides:
        exports.slides_button(story, context)
    page.download_button(
        "Offline story (HTML)",
        lambda: exports.story_page(story, context),
        file_name=f"{story.id}.html",
        mime="text/html",
        icon=":material/public_off:",
        key="download_story_html",
        width="stretch",
        help="One file that opens from a USB stick with no internet: every step, with "
        "Previous / Next, its caption and its sources.",
    )
    st.download_button(
        f"Step {index + 1} as a picture (PNG)",
        lambda: exports.view_picture(view),
        file_name=f"{story.id}-step-{index + 1:02d}.png",
        mime="image/png",
        icon=":material/image:",
        key="download_step_png",
        width="stretch",
        help="1920×1080, for a slide of your own.",
    )


def main() -> None:
    ensure_leaflet()
    try:
        names, _ = names_and_vocabulary()
        context = atlas_context()
    except CuratedDataError as error:
        st.error("The curated data could not be loaded. Nothing was changed; fix these and reload:")
        st.code(str(error), language=None)
        st.stop()
    st.html(PAGE_CSS)
    bundled = story_files.bundled_stories()
    story_choice({story_id: path for story_id, path in bundled.items()})

    map_column, text_column = st.columns([7, 3], gap="medium")
    with text_column:
        step_area, picker_area = st.container(), st.container()  # the step on top, the story's choice under it
    with picker_area:
        with st.popover("Choose or upload a story", icon=":material/menu_book:", width="stretch"):
            st.selectbox(
                "Story",
                [*bundled, UPLOADED],
                key="present_story",
                on_change=go_to,
                args=(0,),
                persist_state="session",
                format_func=lambda c: "A story file I upload" if c == UPLOADED else story_files.title_of(c),
            )
            st.selectbox(
                "Label size",
                list(LABEL_SIZES),
                key="present_label_size",
                persist_state="session",
                index=list(LABEL_SIZES).index(STARTING_LABEL_SIZE),
                help="'Wall screen' for a large screen seen from across a hall.",
            )
            upload = st.file_uploader(
                "Upload a story file (YAML)",
                type=["yaml", "yml"],
                key="story_upload",
                max_upload_size=story_files.UPLOAD_LIMIT_MB,
                help="A story saved from the dashboard, or written by hand (see stories/); "
                f"at most {story_files.UPLOAD_LIMIT_IN_WORDS}.",
            )
            if upload is not None:  # kept, so the story is still there when the user comes back to this page
                st.session_state.present_upload = (upload.name, upload.getvalue())
            if upload is not None and st.session_state.present_story != UPLOADED:
                st.caption("Choose “A story file I upload” above to present it.")

    with step_area:
        for notice in st.session_state.present_notices:
            st.warning(plain(notice), icon="⚠️")  # it may quote the link
        if st.session_state.present_story == UPLOADED:
            if "present_upload" not in st.session_state:
                st.info(
                    "Upload a story file (above) to present it. Stories saved from the dashboard "
                    "(“Save this view as a step”) come back here."
                )
                return
            checked = story_files.check_upload(*st.session_state.present_upload, context)
        else:
            checked = story_files.check_bundled(st.session_state.present_story, context)
        if checked.problems:
            again = "upload it again" if checked.source == "uploaded" else "reload the page"
            st.error(f"This story cannot be presented: {len(checked.problems)} problem(s). Fix them, then {again}.")
            st.code("\n".join(checked.problems), language=None, wrap_lines=True)
            return
        for warning in checked.warnings:
            st.warning(plain(warning), icon="📝")
    story = checked.story
    count = len(story.steps)
    index = min(max(st.session_state.present_step, 0), count - 1)
    st.session_state.present_step = index
    asked = st.session_state.pop("present_step_from_link", None)
    if asked is not None and asked != index:
        notice = f"There is no step {asked + 1} in this story (it has {count}): showing step {index + 1}."
        st.session_state.present_notices.append(notice)
        with step_area:
            st.warning(plain(notice), icon="⚠️")
    step = story.steps[index]
    view = step_view(step, context)

    with step_area:
        st.html(f"<div class='atlas-story-title'>{story_files.escape(story.title)}</div>")
        step_controls(index, count)
        st.html(story_files.step_html(step, names, view.filters_in_words))
    with map_column:
        # One map per story: it opens on the step the page was opened at, and each step's layers replace
        # the last one's while the map flies to the new frame.
        # The page frames a step as its slide does: the map shows at least all that the slide shows.
        framed = slide_extent(view)
        opened_on = st.session_state.setdefault("present_opened_on", {}).setdefault(story.id, framed)
        fmap = new_map(basemap_data(), OFFLINE, asset_base=LEAFLET_URL, basemap_url=BASEMAP_URL, bounds=opened_on)
        forward_step_keys(fmap)
        layer_groups, legend = view_layers(view)
        # The legend starts folded so it hides no mark; a click opens it.
        labels = LABEL_SIZES[st.session_state.get("present_label_size", STARTING_LABEL_SIZE)]
        st_folium(
            fmap,
            key=f"story-map-{story.id}",
            height=760,
            use_container_width=True,
            returned_objects=[],
            feature_group_to_add=[
                *layer_groups,
                legend_group(legend_html(**legend)),
                settings_group(labels),
                step_frame_group(framed),
            ],
        )
    listen_for_step_keys()

    with picker_area:
        take_away(story, view, context, index)

    if checked.source == "bundled":
        st.query_params.from_dict({"story": story.id, "step": str(index + 1)})
    else:  # an uploaded file cannot be opened from a link: keep only the step
        st.query_params.from_dict({"step": str(index + 1)})


main()
