"""`make demo` serves a demo database that shows the product, and a second run
upgrades it without losing data."""

import http.cookiejar
import json
import os
import signal
import subprocess
import time
import urllib.request
from collections import defaultdict

import pytest
from PIL import Image

from tools import screenshots

from .conftest import FIGURES, REPO_ROOT
from .live.server import free_port, wait_until_serving

START_TIMEOUT = 900  # seconds: the first run installs accounting and demo data


class DemoServer:
    def __init__(self, tmp_path):
        self.db = f"cc_demo_check_{os.getpid()}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state = tmp_path / "state"
        self.log = tmp_path / "demo.log"
        self.process = None
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def start(self):
        env = {
            **os.environ,
            "DEMO_DB": self.db,
            "DEMO_PORT": str(self.port),
            "DEMO_STATE_DIR": str(self.state),
        }
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                ["bash", str(REPO_ROOT / "tools" / "demo.sh")],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return wait_until_serving(
            self.process,
            f"{self.url}/web/login",
            self.log.read_text,
            timeout=START_TIMEOUT,
            opener=self.opener,
        )

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)

    def rpc(self, path, params):
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "params": params}
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        with self.opener.open(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert "error" not in answer, answer["error"]
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def login(self):
        return self.rpc(
            "/web/session/authenticate",
            {"db": self.db, "login": "admin", "password": "admin"},
        )


@pytest.fixture
def demo(tmp_path):
    server = DemoServer(tmp_path)
    yield server
    server.stop()
    subprocess.run(["dropdb", "--if-exists", server.db], check=False)


def the_screenshots_show_the_demo(demo, out):
    """`make screenshots` takes each README screenshot from the demo, at
    the script's screen size, small."""
    started = time.monotonic()
    taken = screenshots.take(demo.url, demo.db, out)
    print(
        f"{FIGURES}make screenshots: {len(taken)} screens in "
        f"{time.monotonic() - started:.0f} s, "
        f"{sum(path.stat().st_size for path in taken) // 1024} KB"
    )
    assert [path.name for path in taken] == [shot[0] for shot in screenshots.SHOTS]
    for path in taken:
        with Image.open(path) as image:
            assert image.size == (screenshots.WIDTH, screenshots.HEIGHT), path
            # A screen, not a blank page: text in several colours.
            assert len(image.getcolors(maxcolors=256) or []) > 16, path
        assert path.stat().st_size < screenshots.MAX_BYTES, path


def test_demo_serves_the_product_and_upgrades_without_losing_data(demo, tmp_path):
    started = time.monotonic()
    login_page = demo.start()
    # The target, two minutes, is a figure to read, not a test.
    print(
        f"{FIGURES}make demo: installed (two companies and their year of "
        "history included) and "
        f"serving in {time.monotonic() - started:.0f} s"
    )
    assert 'name="login"' in login_page
    assert demo.login()["uid"]
    the_screenshots_show_the_demo(demo, tmp_path / "screenshots")

    menus = demo.call("ir.ui.menu", "load_web_menus", [], False)  # ids, debug
    collections = [
        m
        for m in menus.values()
        if m.get("xmlid") == "credit_collection.menu_credit_collection_root"
    ]
    assert collections and collections[0]["name"] == "Collections"

    # The salesperson's Sales app (its menus come with sale_management).
    assert demo.call(
        "ir.module.module",
        "search_count",
        [("name", "=", "sale_management"), ("state", "=", "installed")],
    )
    # Each of the demo's two companies has its own seven scenarios.
    scenarios = demo.call(
        "credit.collection.scenario", "search_read", [], ["company_id", "payer_profile"]
    )
    profiles = defaultdict(list)
    for scenario in scenarios:
        profiles[scenario["company_id"][0]].append(scenario["payer_profile"])
    assert len(profiles) == 2
    for company_profiles in profiles.values():
        assert sorted(company_profiles) == sorted(
            [
                "negligent",
                "bad",
                "insolvent",
                "administrative",
                "dispute",
                "automatic",
                "good",
            ]
        )
    customers = demo.call(
        "res.partner",
        "search_read",
        [("payer_profile", "!=", False)],
        ["name", "payer_profile"],
    )
    assert len(customers) >= 18
    assert len({c["payer_profile"] for c in customers}) == 7
    # The demo's run filled the agenda.
    runs = demo.call("credit.collection.run", "search_read", [], ["action_count"])
    assert runs and runs[0]["action_count"] >= 5
    assert demo.call(
        "credit.collection.action", "search_count", [("state", "=", "todo")]
    )

    # Data entered by a user survives the upgrade that a second run performs.
    kept = demo.call(
        "credit.collection.scenario", "create", {"name": "Kept across upgrades"}
    )
    demo.stop()
    demo.start()
    demo.login()
    assert (
        demo.call("credit.collection.scenario", "search_count", [("id", "=", kept)])
        == 1
    )
    assert "Upgrading credit_collection" in demo.log.read_text()
