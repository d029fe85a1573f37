"""The README's screenshots: one committed image per screen that
`make screenshots` takes, each shown in the README, at the script's screen
size and small (the script itself runs against the demo in
test_demo_command.py)."""

import pytest
from PIL import Image

from tools import screenshots

from .conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", [shot[0] for shot in screenshots.SHOTS])
def test_each_screenshot_is_committed_small_and_shown(name):
    path = screenshots.OUT / name
    assert path.is_file(), f"run make screenshots: {name} is missing"
    assert f"({path.relative_to(REPO_ROOT)})" in README
    assert path.stat().st_size < screenshots.MAX_BYTES
    with Image.open(path) as image:
        assert image.size == (screenshots.WIDTH, screenshots.HEIGHT)
        assert image.mode == "P", "a 256-colour PNG"


def test_no_screenshot_left_over():
    taken = {shot[0] for shot in screenshots.SHOTS}
    assert {path.name for path in screenshots.OUT.iterdir()} == taken
