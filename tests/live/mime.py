"""Mail coming back to Odoo, built as real mail clients and mail servers
write it from a reminder that was received: the customer's answer, an
out-of-office reply, a delivery status notification (RFC 3464)."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid


def _reply(received, sender, body):
    """A reply to ``received`` from ``sender``: to its Reply-To, with
    In-Reply-To and References as mail clients set them."""
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = received["Reply-To"] or received["From"]
    reply["Subject"] = f"Re: {received['Subject']}"
    reply["Date"] = formatdate(localtime=True)
    reply["Message-ID"] = make_msgid(domain="customer.example.com")
    reply["In-Reply-To"] = received["Message-ID"]
    reply["References"] = " ".join(
        filter(None, [received["References"], received["Message-ID"]])
    )
    reply.set_content(body)
    return reply


def customer_answer(received, sender, body):
    return _reply(received, sender, body).as_string()


def out_of_office(received, sender, header="Auto-Submitted", value="auto-replied"):
    """The automatic answer of an absent recipient (RFC 3834 marks it
    ``Auto-Submitted: auto-replied``; some servers write ``X-Autoreply``)."""
    reply = _reply(
        received,
        sender,
        "I am out of the office until Monday and will read your message then.",
    )
    reply.replace_header("Subject", f"Automatic reply: {received['Subject']}")
    reply[header] = value
    return reply.as_string()


def forged(received, sender, reference):
    """A message that claims to answer ``reference``, unknown to Odoo."""
    message = _reply(received, sender, "Please pay to our new bank account.")
    del message["In-Reply-To"]
    del message["References"]
    message["In-Reply-To"] = reference
    message["References"] = reference
    return message.as_string()


def delivery_status_notification(received, bounced_address, reporting_mta):
    """The report a mail server sends back to the envelope sender when it
    cannot deliver ``received`` to ``bounced_address`` (RFC 3464): a
    multipart/report with the text for people, the status for programs and
    the headers of the message that bounced."""
    boundary = f"dsn-{make_msgid().strip('<>')}"
    headers = "".join(f"{name}: {value}\n" for name, value in received.message.items())
    return f"""\
From: Mail Delivery System <MAILER-DAEMON@{reporting_mta}>
To: {received.mail_from}
Subject: Undelivered Mail Returned to Sender
Date: {formatdate(localtime=True)}
Message-ID: {make_msgid(domain=reporting_mta)}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to {bounced_address}: user unknown.

--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; {reporting_mta}

Final-Recipient: rfc822; {bounced_address}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{bounced_address}>: User unknown

--{boundary}
Content-Type: text/rfc822-headers

{headers}
--{boundary}--
"""
