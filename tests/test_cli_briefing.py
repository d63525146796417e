"""The briefing commands: `story export` (pptx, png, html) and `picture`, run in-process."""

import io
import re
import subprocess
import sys

import pytest
from PIL import Image
from pptx import Presentation

import briefing.picture
from cli import main
from geo.stories import STORIES_DIR, load_story
from tests.conftest import ROOT

STORY_ID = "sahel-2003-2013"
BUNDLED = STORIES_DIR / f"{STORY_ID}.yaml"


@pytest.fixture(scope="module")
def story():
    return load_story(BUNDLED)


def small_map(view, size=(1920, 1080), dpi=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 90), (200, 215, 230)).save(out, "PNG")
    return out.getvalue()


def test_story_export_pptx_writes_a_deck_that_opens(tmp_path, capsys, monkeypatch, story):
    monkeypatch.setattr(briefing.picture, "render_png", small_map)  # the real maps: tests/test_slides.py
    out = tmp_path / "briefing" / "deck.pptx"
    assert main(["story", "export", STORY_ID, "--format", "pptx", "--out", str(out)]) == 0
    deck = Presentation(str(out))
    assert len(deck.slides) == len(story.steps) + 2
    assert deck.slides[1].shapes.title.text == story.steps[0].heading
    assert str(out) in capsys.readouterr().out


def test_story_export_png_writes_one_full_hd_picture_a_step(tmp_path, capsys, story):
    out = tmp_path / "pictures"
    assert main(["story", "export", STORY_ID, "--format", "png", "--out", str(out)]) == 0
    files = sorted(out.iterdir())
    assert [path.name for path in files][:2] == ["01-the-gspc-comes-south.png", "02-the-tourists-of-2003.png"]
    assert len(files) == len(story.steps)
    assert files[9].name == "10-january-2013-the-french-intervention-and-in-amenas.png"
    for path in files:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.png", path.name)
        assert Image.open(path).size == (1920, 1080)


def test_story_export_html_writes_the_offline_page(tmp_path, story):
    out = tmp_path / "story.html"
    assert main(["story", "export", STORY_ID, "--format", "html", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<html" in page.lower() and story.steps[0].heading in page


def test_an_unknown_story_id_lists_the_known_ones(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["story", "export", "no-such-story", "--format", "pptx", "--out", str(tmp_path / "x.pptx")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "no-such-story" in err and STORY_ID in err
    assert not (tmp_path / "x.pptx").exists()


def test_a_story_with_problems_is_not_exported(tmp_path, capsys):
    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace("bbox: [-12, 12, 12, 30]", "bbox: [12, 12, -12, 30]", 1)
    text = text.replace("places: [arlit]", "places: [atlantis]", 1)  # another step: its references are checked
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "broken.pptx"
    assert main(["story", "export", "broken", "--format", "pptx", "--out", str(out), "--stories", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    problems = [line for line in err.splitlines() if re.match(r".*broken\.yaml:\d+: ", line)]
    assert any("id:" in line for line in problems)  # the id is not the file's name
    assert any("bbox" in line for line in problems)
    assert any("atlantis" in line for line in problems)
    assert "not exported" in err
    assert not out.exists()


@pytest.mark.parametrize(
    "bbox, message",
    [
        ("1,2,3", "four numbers"),
        ("a,b,c,d", "four numbers"),
        ("10,2,3,4", "west should be less than east"),
        ("-200,2,3,4", "outside the globe"),
        ("0,-95,10,20", "outside the globe"),
    ],
)
def test_a_bad_bbox_is_a_usage_error(tmp_path, capsys, bbox, message):
    with pytest.raises(SystemExit) as exit_:
        main(["picture", "--out", str(tmp_path / "x.png"), f"--bbox={bbox}"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument --bbox" in err and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--size", "huge"], "--size"),
        (["--layers", "events,rivers"], "unknown layer rivers"),
        (["--boundaries", "1990"], "outside the years"),
        (["--type", "picnic"], "unknown event type"),
    ],
)
def test_other_bad_picture_options_are_usage_errors(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["picture", "--out", str(tmp_path / "x.png"), *args])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_picture_a4(tmp_path, capsys):
    out = tmp_path / "a4.png"
    assert (
        main(
            [
                "picture",
                "--out",
                str(out),
                "--size",
                "a4",
                "--group",
                "AQIM",
                "--from",
                "2010",
                "--to",
                "2012",
                "--layers",
                "events,places,boundaries",
                "--bbox=-12,10,14,30",
                "--title",
                "AQIM, 2010–2012",
            ]
        )
        == 0
    )
    assert Image.open(out).size == (3508, 2480)
    assert "3508x2480" in capsys.readouterr().out


def test_the_data_commands_do_not_load_the_drawing_libraries():
    code = (
        "import sys, cli; cli.build_parser(); "
        "print(sorted(m for m in ('matplotlib', 'pptx', 'briefing') if m in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
