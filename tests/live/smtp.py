"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives,
for a real Odoo server to send through. It can also refuse connections (it
is stopped: nothing listens) or drop them in the middle of a message."""

import email
import logging
import threading
import time
from email import policy

from aiosmtpd.controller import Controller

from .server import free_port

ACCEPT, DROP = "accept", "drop"
# aiosmtpd logs every SMTP command at INFO: what it received is checked.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Received:
    """One message as the SMTP server received it: the envelope and the
    parsed MIME message."""

    def __init__(self, mail_from, rcpt_tos, raw):
        self.mail_from = mail_from
        self.rcpt_tos = [address.lower() for address in rcpt_tos]
        self.raw = raw
        self.message = email.message_from_bytes(raw, policy=policy.default)

    def __getitem__(self, header):
        return self.message[header]

    def html(self):
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""

    def attachments(self):
        return [
            (part.get_filename(), part.get_content_type(), part.get_content())
            for part in self.message.iter_attachments()
        ]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        if self.sink.mode == DROP:
            # The connection goes away in the middle of the message.
            self.sink.dropped += 1
            server.transport.close()
            return "421 Connection dropped"
        with self.sink.lock:
            self.sink.received.append(
                Received(envelope.mail_from, envelope.rcpt_tos, envelope.content)
            )
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self):
        self.port = free_port()
        self.received = []
        self.dropped = 0
        self.mode = ACCEPT
        self.lock = threading.Lock()
        self.controller = None

    def start(self):
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port
        )
        self.controller.start()

    def stop(self):
        """Nothing listens any more: connections are refused."""
        if self.controller:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        """The messages whose envelope reached ``address``."""
        with self.lock:
            return [m for m in self.received if address.lower() in m.rcpt_tos]

    def wait_for(self, address, count=1, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.to(address)
            if len(messages) >= count:
                return messages
            time.sleep(0.5)
        raise AssertionError(
            f"{len(self.to(address))} message(s) to {address} after {timeout} s, "
            f"{count} expected"
        )
