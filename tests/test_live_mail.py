"""Reminders through a real server, a real SMTP server and back: the daily
run and the sending run as scheduled actions of a running Odoo server, each
reminder read back from the SMTP server as the customer's mail server
received it, its signed link opened in headless Chromium, and the mail that
comes back (answers, out-of-office replies, bounces, forgeries) fed to
Odoo's mail gateway as its mailgate script and incoming mail servers do."""

import re
from email.utils import getaddresses
from io import BytesIO

from PyPDF2 import PdfReader

from .live import mime
from .live.browser import Browser
from .live.smtp import ACCEPT, DROP
from .live.world import COLLECTOR_EMAIL, MAIL_DOMAIN

ACTION = "credit.collection.action"


def _reminder(live, name, to, cc=(), lang="en_US", amounts=((800, 10),)):
    """A customer with collection contacts ``to`` and ``cc`` (emails), its
    overdue invoices, and the reminder the run sends them: (customer id,
    its action, the message as received by the first To contact)."""
    contacts = [(email.split("@")[0].title(), email, "to") for email in to]
    contacts += [(email.split("@")[0].title(), email, "cc") for email in cc]
    customer = live.customer(name, lang=lang, contacts=contacts)
    invoices = [live.invoice(customer, amount, days) for amount, days in amounts]
    live.run_collection()
    [received] = live.wait_mail(to[0])
    [action] = live.actions(
        customer, ("state", "access_token", "mail_message_id", "user_id")
    )
    action["invoices"] = invoices
    return customer, action, received


def _addresses(header):
    return sorted(address.lower() for _name, address in getaddresses([header or ""]))


def _gateway(live, message):
    """What Odoo's mailgate script does with a message: ``message_process``
    through XML-RPC, no model forced."""
    return live.admin("mail.thread", "message_process", False, message)


def _messages(live, action_id, **domain):
    return live.admin(
        "mail.message",
        "search_read",
        [("model", "=", ACTION), ("res_id", "=", action_id)]
        + [(name, "=", value) for name, value in domain.items()],
        ["body", "subtype_id", "message_type", "notification_ids"],
        order="id",
    )


def test_reminder_goes_out_through_smtp_as_the_customer_reads_it(live):
    customer, action, received = _reminder(
        live,
        "Lumière SARL",
        to=["compta@lumiere.example"],
        cc=["direction@lumiere.example"],
        lang="fr_FR",
    )
    # A contact of the customer who is not a collection contact.
    live.admin(
        "res.partner",
        "create",
        {
            "name": "Chloé Ventes",
            "email": "ventes@lumiere.example",
            "parent_id": customer,
        },
    )
    assert action["state"] == "done"
    # Addressed as a letter: To and Cc from the collection contacts, and
    # the envelope reaches them and no one else.
    assert _addresses(received["To"]) == ["compta@lumiere.example"]
    assert _addresses(received["Cc"]) == ["direction@lumiere.example"]
    assert sorted(received.rcpt_tos) == [
        "compta@lumiere.example",
        "direction@lumiere.example",
    ]
    assert not live.smtp.to("ventes@lumiere.example")
    # From the collector, through the company's mail domain (Odoo writes
    # the author's name on its notifications address there, for DMARC).
    [(sender_name, sender)] = getaddresses([received["From"]])
    assert sender_name == "Colette Collector" and sender.endswith(f"@{MAIL_DOMAIN}")
    # In the customer's language.
    [company] = live.admin("res.company", "read", [1], ["name"])
    # French writes a (no-break) space before a colon.
    subject = re.sub(r"\s", " ", received["Subject"])
    assert subject == f"{company['name']} : rappel de paiement"
    assert "Sauf erreur de notre part" in received.html()
    # The statement of account, a PDF a reader opens. (Debian's wkhtmltopdf
    # draws its text as shapes: no text to read back.)
    [(name, pdf)] = [
        (name, content)
        for name, kind, content in received.attachments()
        if kind == "application/pdf"
    ]
    assert "Lumière SARL" in name and pdf.startswith(b"%PDF-")
    [page] = PdfReader(BytesIO(pdf)).pages
    assert len(page.get_contents().get_data()) > 10_000
    # The signed link to the customer's page, in French.
    assert (
        f'href="{live.server.url}/fr/my/collection/{action["id"]}'
        f'?access_token={action["access_token"]}"'
    ) in received.html()
    # Answers go to the catchall, from which Odoo routes them to the thread
    # of the reminder this Message-ID names.
    assert _addresses(received["Reply-To"]) == [f"catchall@{MAIL_DOMAIN}"]
    [message] = live.admin(
        "mail.message", "read", [action["mail_message_id"][0]], ["message_id"]
    )
    assert received["Message-ID"] == message["message_id"]


def test_the_customer_follows_the_received_link_and_promises(live):
    customer, action, received = _reminder(
        live,
        "Tour Customer Ltd",
        to=["payables@tour.example"],
        amounts=((1200, 15), (300, 10)),
    )
    link = re.search(r'href="([^"]*/my/collection/[^"]*)"', received.html())[1]
    browser = Browser()
    try:
        browser.open(link)
        assert browser.evaluate("!!document.querySelector('table.o_collection_items')")
        # The tours of the addons load in debug=tests mode, kept by the
        # session: set it, then open the link exactly as received.
        browser.open(f"{live.server.url}/web/login?debug=tests")
        browser.open(link)
        browser.run_tour("credit_collection_portal_promise")
    finally:
        browser.close()
    first, second = live.admin(
        "account.move", "read", action["invoices"], ["collection_status"]
    )
    assert (first["collection_status"], second["collection_status"]) == (
        "promised",
        "normal",
    )
    [promise] = live.admin(
        "credit.collection.promise",
        "search_read",
        [("partner_id", "=", customer)],
        ["amount", "source", "action_id"],
    )
    assert promise["amount"] == 1200 and promise["source"] == "portal"
    assert promise["action_id"][0] == action["id"]


def test_the_customer_answer_lands_on_the_reminder_and_notifies_the_collector(live):
    _customer, action, received = _reminder(
        live, "Answering Ltd", to=["ap@answering.example"]
    )
    answer = mime.customer_answer(
        received, "Ap <ap@answering.example>", "We pay on Friday, sorry for the delay."
    )
    assert _gateway(live, answer) == action["id"]
    [message] = _messages(live, action["id"], message_type="email")
    assert "We pay on Friday" in message["body"]
    assert message["subtype_id"][1] == "Discussions"
    notified = live.admin(
        "mail.notification",
        "search_read",
        [("mail_message_id", "=", message["id"])],
        ["res_partner_id"],
    )
    assert [n["res_partner_id"][0] for n in notified] == [live.collector_partner]
    # The collector receives it by email (their notification preference).
    [forwarded] = live.wait_mail(COLLECTOR_EMAIL)[-1:]
    assert "We pay on Friday" in forwarded.html()


def test_an_automatic_reply_is_kept_but_is_not_the_customer_answer(live):
    customer, action, received = _reminder(live, "Absent Ltd", to=["ap@absent.example"])
    for header, value in (("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes")):
        reply = mime.out_of_office(received, "Ap <ap@absent.example>", header, value)
        assert _gateway(live, reply) == action["id"]
    replies = _messages(live, action["id"], message_type="email")
    assert len(replies) == 2
    for reply in replies:
        assert "out of the office" in reply["body"]
        # A note: kept as evidence, nobody is notified, nothing to answer.
        assert reply["subtype_id"][1] == "Note"
        assert not reply["notification_ids"]
    [action_now] = live.actions(customer)
    assert action_now["state"] == "done"


def test_a_bounce_fails_the_reminder_and_asks_the_collector_once(live):
    customer, _action, received = _reminder(
        live,
        "Bouncing Ltd",
        to=["gone@bouncing.example"],
        cc=["left@bouncing.example"],
    )
    for address in ("gone@bouncing.example", "left@bouncing.example"):
        report = mime.delivery_status_notification(
            received, address, "mx.bouncing.example"
        )
        assert not _gateway(live, report)  # a bounce creates no message
    failed = live.wait_action(customer, "failed")
    assert "bounced" in failed["failure_reason"]

    def fix_requests():
        return live.admin(
            "mail.activity",
            "search_read",
            [("res_model", "=", ACTION), ("user_id", "=", live.collector)]
            + [("res_id", "in", [a["id"] for a in live.actions(customer)])],
            ["summary", "note"],
        )

    [request] = fix_requests()
    assert request["summary"] == "Fix the email address"
    # The next day's run asks again at the same stage; its reminder bounces
    # too: still one request to fix the address.
    live.as_if_yesterday(customer)
    live.run_collection()
    [_first, again] = live.wait_mail("gone@bouncing.example", count=2)
    report = mime.delivery_status_notification(
        again, "gone@bouncing.example", "mx.bouncing.example"
    )
    _gateway(live, report)
    assert [a["state"] for a in live.actions(customer)] == ["failed", "failed"]
    assert len(fix_requests()) == 1


def test_a_forged_reference_creates_nothing_and_the_gateway_goes_on(live):
    _customer, action, received = _reminder(
        live, "Forged Ltd", to=["ap@forged.example"]
    )
    collection_messages = [("model", "like", "credit.collection.%")]
    before = live.admin("mail.message", "search_count", collection_messages)
    forged = mime.forged(
        received,
        "Fraud <fraud@attacker.example>",
        f"<999999.1.0-credit.collection.action-{action['id']}@{MAIL_DOMAIN}>",
    )
    assert not _gateway(live, forged)
    assert live.admin("mail.message", "search_count", collection_messages) == before
    # Odoo answers the sender that nobody reads that address.
    live.wait_mail("fraud@attacker.example")
    # The gateway still routes the next message.
    answer = mime.customer_answer(received, "Ap <ap@forged.example>", "Paid today.")
    assert _gateway(live, answer) == action["id"]


def _failed_reminder(live, name, address):
    """A customer whose reminder the run cannot deliver, and its action."""
    customer = live.customer(name, contacts=[("Ap", address, "to")])
    live.invoice(customer, 500, days_late=10)
    live.run_collection()
    return customer, live.wait_action(customer, "failed")


def _the_next_run_sends_it_once(live, customer, address):
    assert not live.smtp.to(address)
    live.as_if_yesterday(customer)
    live.run_collection()
    live.wait_mail(address)
    live.flush_mail_queue()
    assert [a["state"] for a in live.actions(customer)] == ["failed", "done"]
    assert len(live.smtp.to(address)) == 1


def test_a_refused_connection_fails_the_reminder_and_the_next_run_sends_it(live):
    live.smtp.stop()
    try:
        customer, failed = _failed_reminder(live, "Refused Ltd", "ap@refused.example")
        assert "could not be delivered" in failed["failure_reason"]
        assert "Connection refused" in failed["failure_reason"]
    finally:
        live.smtp.start()
    _the_next_run_sends_it_once(live, customer, "ap@refused.example")


def test_a_dropped_connection_fails_the_reminder_and_the_next_run_sends_it(live):
    """The SMTP server closes the connection in the middle of the reminder:
    Odoo gives the email up; its action fails with the reason rather than
    claim it went out, and the next run sends it once."""
    live.smtp.mode = DROP
    try:
        customer, failed = _failed_reminder(live, "Dropped Ltd", "ap@dropped.example")
        assert "Connection unexpectedly closed" in failed["failure_reason"]
    finally:
        live.smtp.mode = ACCEPT
    assert live.smtp.dropped
    _the_next_run_sends_it_once(live, customer, "ap@dropped.example")
