"""The world around a real Odoo server with the addons: its SMTP server, its
administrator's XML-RPC, and what a company sets up before collecting
(outgoing mail server, mail domain, a collector) and does every day
(customers, invoices, the daily run as a scheduled action)."""

import datetime
import time

MAIL_DOMAIN = "collect.example.com"
COLLECTOR_EMAIL = f"collector@{MAIL_DOMAIN}"


class Live:
    def __init__(self, server, smtp):
        self.server = server
        self.smtp = smtp
        self.admin = server.xmlrpc("admin", "admin")
        self.today = datetime.date.today()

    def configure(self):
        admin = self.admin
        admin("ir.config_parameter", "set_param", "web.base.url", self.server.url)
        admin("ir.config_parameter", "set_param", "web.base.url.freeze", "True")
        # French customers: the language added as in Settings > Languages.
        french = admin(
            "res.lang",
            "search",
            [("code", "=", "fr_FR"), ("active", "in", [True, False])],
        )
        wizard = admin(
            "base.language.install", "create", {"lang_ids": [(6, 0, french)]}
        )
        admin("base.language.install", "lang_install", [wizard])
        domain = admin("mail.alias.domain", "create", {"name": MAIL_DOMAIN})
        # A company that works every day: the tests run on any day of the
        # week, and a run on a day off plans its reminders for the next
        # working day (nothing would be sent on a weekend).
        admin(
            "res.company",
            "write",
            [1],
            {"alias_domain_id": domain, "resource_calendar_id": False},
        )
        admin(
            "ir.mail_server",
            "create",
            {
                "name": "The test's SMTP server",
                "smtp_host": "127.0.0.1",
                "smtp_port": self.smtp.port,
                "smtp_encryption": "none",
            },
        )
        self.collector = self.user(
            "collector",
            "Colette Collector",
            ["credit_collection.group_credit_collection_user"],
            email=COLLECTOR_EMAIL,
        )
        self.collector_partner = admin(
            "res.users", "read", [self.collector], ["partner_id"]
        )[0]["partner_id"][0]
        return self

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        [data] = self.admin(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        return data["res_id"]

    def user(self, login, name, groups, **values):
        """A user whose password is its login."""
        return self.admin(
            "res.users",
            "create",
            {
                "login": login,
                "password": login,
                "name": name,
                "groups_id": [(6, 0, [self.ref(xmlid) for xmlid in groups])],
                **values,
            },
        )

    def customer(self, name, lang="en_US", contacts=(), profile="negligent", **values):
        """A company customer followed by the collector; ``contacts``:
        (name, email, "to" or "cc") of its collection contacts."""
        partner = self.admin(
            "res.partner",
            "create",
            {
                "name": name,
                "is_company": True,
                "lang": lang,
                "street": "1 Main Street",
                "city": "Springfield",
                "payer_profile": profile,
                "collection_user_id": self.collector,
                **values,
            },
        )
        for contact_name, email, recipient_type in contacts:
            contact = self.admin(
                "res.partner",
                "create",
                {"name": contact_name, "email": email, "parent_id": partner},
            )
            self.admin(
                "credit.collection.contact",
                "create",
                {
                    "partner_id": partner,
                    "contact_id": contact,
                    "recipient_type": recipient_type,
                },
            )
        return partner

    def invoice(self, customer, amount, days_late, rpc=None):
        """Post a customer invoice of ``amount`` due ``days_late`` days ago."""
        rpc = rpc or self.admin
        due = self.today - datetime.timedelta(days=days_late)
        move = rpc(
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": customer,
                "invoice_date": str(due - datetime.timedelta(days=30)),
                "invoice_date_due": str(due),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    (0, 0, {"name": "Service", "quantity": 1, "price_unit": amount})
                ],
            },
        )
        rpc("account.move", "write", [move], {"invoice_date_due": str(due)})
        rpc("account.move", "action_post", [move])
        return move

    def run_collection(self):
        """The daily run, as the server's scheduler starts it; returns the
        run once done (its end starts the sending, then the mail queue)."""
        known = self.admin("credit.collection.run", "search", [])
        self.server.trigger_cron("credit_collection.ir_cron_collection_run")
        return self.server.wait_until(
            lambda: self.admin(
                "credit.collection.run",
                "search_read",
                [("id", "not in", known), ("state", "=", "done")],
                ["action_count"],
            ),
            "a new collection run done",
        )[0]

    def actions(self, customer, fields=("state",)):
        return self.admin(
            "credit.collection.action",
            "search_read",
            [("partner_id", "=", customer)],
            list(fields),
            order="id",
        )

    def wait_action(self, customer, state, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            actions = self.actions(customer, ("state", "failure_reason"))
            if actions and actions[-1]["state"] == state:
                return actions[-1]
            time.sleep(1)
        raise AssertionError(f"the action of {customer} is not {state}: {actions}")

    def as_if_yesterday(self, customer):
        """Move the customer's actions one day back, as if they had been
        made by yesterday's run: the next run is then tomorrow's."""
        self.server.psql(
            "UPDATE credit_collection_action SET run_date = run_date - 1, "
            f"date = date - 1 WHERE partner_id = {customer}"
        )

    def wait_mail(self, address, count=1):
        """The messages the SMTP server received for ``address``, once there
        are ``count``; if they do not come, the error quotes the server's
        log (its scheduled jobs, what it sent or failed to)."""
        try:
            return self.smtp.wait_for(address, count=count)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.server.log_tail()}") from None

    def flush_mail_queue(self):
        """Run Odoo's mail queue until nothing waits in it: what had to go
        out has gone, and nothing goes twice after this."""
        self.server.trigger_cron("mail.ir_cron_mail_scheduler_action")
        self.server.wait_until(
            lambda: (
                not self.admin(
                    "mail.mail", "search_count", [("state", "=", "outgoing")]
                )
            ),
            "the mail queue is empty",
        )
