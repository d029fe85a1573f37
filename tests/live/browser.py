"""Headless Chromium driven over the DevTools protocol (websocket-client,
which Odoo's own tour runner uses too), for pages of a real server rather
than of a test's in-process one: open a URL, read the page, run one of the
addons' tours in it."""

import base64
import json
import resource
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

# As Odoo's own tour runner starts it (odoo/tests/common.py), headless.
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--no-default-browser-check",
    "--remote-debugging-address=127.0.0.1",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1366,768",
]


def _without_memory_limit():
    """Run in the child before Chromium starts: its V8 reserves more address
    space than the limit Odoo's server sets on its process (pytest-odoo's
    --odoo-http starts one in the test process, and children inherit it);
    under the limit Chromium dies of SIGTRAP at start. Odoo's own tour runner
    lifts it the same way."""
    resource.setrlimit(
        resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
    )


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    raise AssertionError("Chromium is missing (Debian: apt install chromium)")


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="cc_chromium_")
        self.output = Path(self.profile) / "chromium.log"
        with self.output.open("w") as output:
            self.process = subprocess.Popen(
                [
                    chromium_path(),
                    *FLAGS,
                    f"--user-data-dir={self.profile}",
                    "about:blank",
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                preexec_fn=_without_memory_limit,  # noqa: PLW1509
            )
        self.ws = websocket.create_connection(
            self._page_socket(), timeout=30, suppress_origin=True
        )
        self._ids = iter(range(1, 1_000_000))
        self.console = []
        self.send("Page.enable")
        self.send("Runtime.enable")

    def _page_socket(self):
        """The DevTools socket of the browser's tab (a new one if it has
        none yet), once Chromium has written its port."""
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if port_file.exists() and port_file.read_text().strip():
                devtools = f"http://127.0.0.1:{port_file.read_text().split()[0]}"
                with urllib.request.urlopen(f"{devtools}/json") as answer:
                    pages = [t for t in json.load(answer) if t["type"] == "page"]
                if not pages:
                    new_tab = urllib.request.Request(
                        f"{devtools}/json/new?about:blank", method="PUT"
                    )
                    with urllib.request.urlopen(new_tab) as answer:
                        pages = [json.load(answer)]
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.2)
        raise AssertionError(
            f"Chromium did not open its DevTools port (exit code "
            f"{self.process.poll()}): {self.output.read_text()[-2000:]}"
        )

    def _event(self, message):
        if message.get("method") == "Runtime.consoleAPICalled":
            params = message["params"]
            text = " ".join(
                str(arg.get("value", arg.get("description", "")))
                for arg in params["args"]
            )
            self.console.append((params["type"], text))
        elif message.get("method") == "Runtime.exceptionThrown":
            details = message["params"]["exceptionDetails"]
            self.console.append(
                ("exception", details.get("exception", {}).get("description", ""))
            )

    def _read(self):
        message = json.loads(self.ws.recv())
        self._event(message)
        return message

    def send(self, method, **params):
        request_id = next(self._ids)
        self.ws.send(json.dumps({"id": request_id, "method": method, "params": params}))
        while True:
            message = self._read()
            if message.get("id") == request_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})

    def open(self, url, timeout=60):
        """Load ``url`` and wait until the page has loaded."""
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate("document.readyState") == "complete" and (
                self.evaluate("location.href") != "about:blank"
            ):
                return
            time.sleep(0.2)
        raise AssertionError(f"{url} did not load in {timeout} s")

    def evaluate(self, expression, await_promise=False):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=await_promise,
        )["result"]
        return result.get("value")

    def run_tour(self, name, timeout=120):
        """Run the tour ``name`` on the page (its assets are loaded when the
        session is in ``debug=tests`` mode) until it succeeds; a failing
        step or a timeout raises with what the page's console said."""
        deadline = time.monotonic() + timeout
        while not self.evaluate("!!(window.odoo && odoo.isTourReady)"):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no tour runner on the page (test assets): {self.console[-20:]}"
                )
            time.sleep(0.2)
        self.evaluate(f"odoo.isTourReady({name!r})", await_promise=True)
        self.console.clear()
        self.evaluate(f"odoo.startTour({name!r}, {{stepDelay: 0}})")
        self.ws.settimeout(1)
        try:
            while time.monotonic() < deadline:
                try:
                    self._read()
                except websocket.WebSocketTimeoutException:
                    continue
                if any(text == "tour succeeded" for _kind, text in self.console):
                    return
                errors = [text for kind, text in self.console if kind == "error"]
                if errors:
                    page = self.evaluate("document.body && document.body.innerText")
                    raise AssertionError(f"tour {name} failed: {errors}\npage: {page}")
        finally:
            self.ws.settimeout(30)
        raise AssertionError(f"tour {name} did not finish: {self.console[-20:]}")

    def screenshot(self):
        """The visible part of the page, as PNG bytes."""
        return base64.b64decode(
            self.send("Page.captureScreenshot", format="png")["data"]
        )

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)
