"""Take the README's screenshots from a running demo (`make demo`), each as
the demo user who sees that screen, in headless Chromium:

    make screenshots                      # the demo of `make demo`
    python tools/screenshots.py --url http://localhost:8069 \\
        --db credit_collection_demo --out docs/screenshots

Run it again when the screens change, and commit the images (kept small:
256-colour PNGs)."""

import argparse
import io
import json
import sys
import time
from pathlib import Path

from PIL import Image

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.live.browser import Browser
from tests.live.server import JsonRpc

OUT = REPO_ROOT / "docs" / "screenshots"
READY_TIMEOUT = 60  # seconds a screen may take to render
DEMO_TZ = "Europe/Brussels"
WIDTH, HEIGHT = 1366, 860  # a laptop's screen
MAX_BYTES = 150 * 1024  # each image, for the README to load fast
SETTLE = 1.0  # seconds for charts and transitions once it has
# Password = login for every demo user.
AGENDA = "/odoo/action-credit_collection.credit_collection_action_action"
CUSTOMER = "/odoo/action-credit_collection.res_partner_action_collection/{customer}"
DASHBOARD = "/odoo/action-credit_collection.credit_collection_dashboard_action"
ANALYSIS = "/odoo/action-credit_collection.credit_collection_effectiveness_action"
LETTER = "/report/html/credit_collection.report_collection_letter/{letter}"
ORDER = "/odoo/sales/{order}"
# (file, user, page, what shows it is rendered, a click on the page first)
SHOTS = [
    ("agenda.png", "collector", AGENDA, ".o_data_row", None),
    (
        "customer.png",
        "admin",
        CUSTOMER,
        ".o_form_view .tab-pane.active .o_field_widget",
        'a.nav-link[name="credit_collection"]',
    ),
    (
        "timeline.png",
        "admin",
        CUSTOMER,
        ".o_list_view .o_data_row",
        'button[name="action_open_collection_timeline"]',
    ),
    ("dashboard.png", "credit.manager", DASHBOARD, ".o_kanban_record", None),
    ("analysis.png", "credit.manager", ANALYSIS, ".o_pivot table", None),
    ("reminder_email.png", "admin", None, "body", None),
    ("letter.png", "admin", LETTER, ".page", None),
    ("portal.png", "customer", "/my/collection", "main table", None),
    ("blocked_order.png", "sales", ORDER, ".o_collection_block_banner", None),
]


class Demo:
    """The demo server, its records and a browser logged in as one user at a
    time."""

    def __init__(self, url, db):
        self.url, self.db = url.rstrip("/"), db
        self.admin = JsonRpc(self.url, db, "admin", "admin")
        self.browser = Browser()
        self.browser.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        # The demo users' time zone: the agenda's "today" is the run's.
        self.browser.send("Emulation.setTimezoneOverride", timezoneId=DEMO_TZ)
        self.user = None

    def record(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.admin(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        if not rows:
            raise SystemExit(f"{xmlid} is missing: is {self.db} the demo database?")
        return rows[0]["res_id"]

    def records(self):
        """The records the pages show."""
        main = self.record("base.main_company")
        letters = self.admin(
            "credit.collection.action",
            "search",
            [
                ("channel", "=", "letter"),
                ("state", "=", "todo"),
                ("company_id", "=", main),
            ],
            limit=1,
        )
        if not letters:
            raise SystemExit("no letter on the demo's agenda")
        return {
            "customer": self.record("credit_collection.res_partner_bad_1"),
            "letter": letters[0],
            "order": self.record("credit_collection_sale.sale_order_blocked_customer"),
        }

    def log_in(self, login):
        if self.user == login:
            return
        if self.user:
            self.browser.open(f"{self.url}/web/session/logout")
        self.browser.open(f"{self.url}/web/login")
        self.browser.evaluate(
            f"""
            document.querySelector("input[name=login]").value = {json.dumps(login)};
            document.querySelector("input[name=password]").value = {json.dumps(login)};
            document.querySelector("form.oe_login_form").submit();
            """
        )
        self.wait("!location.pathname.startsWith('/web/login')", f"{login} logs in")
        self.user = login

    def wait(self, condition, what):
        if not wait_for(self.browser, condition):
            raise SystemExit(f"{what}: not after {READY_TIMEOUT} s")

    def shown(self, selector):
        """``selector`` is on the page and nothing is loading any more."""
        if not wait_for(self.browser, rendered(selector)):
            raise SystemExit(stuck(self.browser, selector))
        time.sleep(SETTLE)

    def show_email(self):
        """A reminder as its customer receives it: the stage's template
        rendered for a reminder of today's agenda (Odoo's template
        preview)."""
        actions = self.admin(
            "credit.collection.action",
            "search_read",
            [("channel", "=", "email"), ("stage_id.mail_template_id", "!=", False)],
            ["stage_id"],
            limit=1,
            order="date desc, id",
        )
        if not actions:
            raise SystemExit("no reminder email on the demo's agenda")
        action = actions[0]
        stage = self.admin(
            "credit.collection.stage",
            "read",
            [action["stage_id"][0]],
            ["mail_template_id"],
        )[0]
        preview = self.admin(
            "mail.template.preview",
            "create",
            {
                "mail_template_id": stage["mail_template_id"][0],
                "resource_ref": f"credit.collection.action,{action['id']}",
            },
        )
        mail = self.admin(
            "mail.template.preview",
            "read",
            [preview],
            ["subject", "email_from", "partner_ids", "body_html"],
        )[0]
        to = ", ".join(
            row["name"]
            for row in self.admin("res.partner", "read", mail["partner_ids"], ["name"])
        )
        header = (
            "<div style='font:14px sans-serif;border-bottom:1px solid #ccc;"
            "padding:12px 24px;background:#f6f6f6'>"
            f"<b>{mail['subject']}</b><br>From: {mail['email_from']}<br>To: {to}"
            "</div><div style='padding:12px 24px'>"
        )
        self.browser.open("about:blank#email")
        html = json.dumps(header + mail["body_html"])
        self.browser.evaluate(
            f"document.open(); document.write({html}); document.close();"
        )

    def take(self, out):
        out.mkdir(parents=True, exist_ok=True)
        records = self.records()
        taken = []
        for name, login, page, ready, click in SHOTS:
            self.log_in(login)
            if page:
                visit(self.browser, self.url + page.format(**records), click or ready)
            else:
                self.show_email()
            if click:
                self.browser.evaluate(
                    f"const element = document.querySelector({json.dumps(click)});"
                    " element.scrollIntoView({block: 'start'}); element.click();"
                )
            self.shown(ready)
            # Notifications (such as a new version of the assets) would
            # cover the screen.
            self.browser.evaluate(
                "document.querySelectorAll('.o_notification').forEach("
                "notification => notification.remove())"
            )
            path = out / name
            save_small(self.browser.screenshot(), path)
            taken.append(path)
        return taken

    def close(self):
        self.browser.close()


# The web client's bundles the page asked for and Odoo answered with an
# error: its script never ran, the page stays blank.
FAILED_BUNDLES = (
    "performance.getEntriesByType('resource').filter(entry =>"
    " entry.name.includes('/web/assets/') && entry.responseStatus >= 400)"
    ".map(entry => entry.name)"
)


def rendered(selector):
    return (
        f"document.querySelector({json.dumps(selector)}) && "
        "!document.querySelector('.o_loading_indicator, .o_blockUI')"
    )


def wait_for(browser, condition, give_up=None):
    """Whether ``condition`` (a script) holds within READY_TIMEOUT seconds;
    False at once when ``give_up`` (a script) returns something."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if browser.evaluate(f"!!({condition})"):
            return True
        if give_up and browser.evaluate(give_up):
            return False
        time.sleep(0.25)
    return False


def visit(browser, url, selector):
    """Open ``url`` until ``selector`` is rendered. On a fresh database two
    requests may build the same bundle at once and Odoo answers one with an
    error ("The attachment collides with an existing file"): the web client
    never boots, so the page is loaded once more, from the bundle the other
    request saved."""
    for _attempt in range(2):
        browser.open(url)
        if wait_for(browser, rendered(selector), give_up=FAILED_BUNDLES):
            time.sleep(SETTLE)
            return
    raise SystemExit(stuck(browser, selector))


def stuck(browser, selector):
    """Why ``selector`` did not show: what the page says, its failed
    bundles and its console's errors."""
    errors = [text for kind, text in browser.console if kind in ("error", "exception")]
    page = browser.evaluate("document.body && document.body.innerText") or ""
    return (
        f"{selector} on {browser.evaluate('location.href')}: not shown, "
        f"the page loaded twice (each waited for up to {READY_TIMEOUT} s, or "
        f"until one of its bundles failed); "
        f"failed bundles: {browser.evaluate(FAILED_BUNDLES)}; "
        f"console errors: {errors[-5:]}; page: {page[:300]!r}"
    )


def save_small(png, path):
    """Save ``png`` in 256 colours: a screen of flat colours loses nothing
    visible and weighs a fraction."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        path, optimize=True
    )


def take(url, db, out=OUT):
    """Take every screenshot of ``SHOTS`` from the demo at ``url`` into
    ``out``; returns their paths."""
    demo = Demo(url, db)
    try:
        return demo.take(Path(out))
    finally:
        demo.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="credit_collection_demo")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    for path in take(args.url, args.db, args.out):
        print(f"{path}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
