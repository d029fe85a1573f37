"""The README's screenshots: one committed image per screen that
`make screenshots` takes, each shown in the README, at the script's screen
size and small (the script itself runs against the demo in
test_demo_command.py)."""

import http.server
import threading

import pytest
from PIL import Image

from tools import screenshots

from .conftest import REPO_ROOT
from .live.browser import Browser

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


class _FlakyBundle(http.server.BaseHTTPRequestHandler):
    """A page whose script, under /web/assets/, fails on its first request
    as Odoo's does when two requests build the same bundle at once."""

    requests = []

    def do_GET(self):
        self.requests.append(self.path)
        if self.path == "/page":
            body = b'<html><body><script src="/web/assets/1/web.js"></script>'
        elif self.requests.count(self.path) == 1:
            self.send_error(400, "The attachment collides with an existing file.")
            return
        else:
            body = b"document.body.insertAdjacentHTML('beforeend', '<main></main>');"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_page_whose_bundle_failed_is_loaded_once_more():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FlakyBundle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browser = Browser()
    try:
        url = f"http://127.0.0.1:{server.server_port}/page"
        screenshots.visit(browser, url, "main")
        assert browser.evaluate("!!document.querySelector('main')")
        loaded = [path for path in _FlakyBundle.requests if path != "/favicon.ico"]
        assert loaded == ["/page", "/web/assets/1/web.js"] * 2
    finally:
        browser.close()
        server.shutdown()
