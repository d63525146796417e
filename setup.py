"""The wheel's build: everything is in pyproject.toml except one step.

The app's own files (``app.py``, its pages, the bundled stories, Streamlit's config) live at the
top of the checkout, outside any package; the wheel carries them inside ``sahel_atlas/app/``,
where :mod:`geo.app_files` finds them and Streamlit reads its config and serves ``static/``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

APP_FILES = ("app.py", ".streamlit/config.toml", "app_pages/*.py", "stories/*.yaml")


class BuildWithAppFiles(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install runs the checkout itself
            return
        source = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "sahel_atlas" / "app"
        for pattern in APP_FILES:
            for path in sorted(source.glob(pattern)):
                copied = target / path.relative_to(source)
                copied.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, copied)


setup(cmdclass={"build_py": BuildWithAppFiles})
