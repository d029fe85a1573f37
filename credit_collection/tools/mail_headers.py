"""What the headers of an incoming email say about it, without a database."""

# Headers by which mail servers and clients mark an answer written by a
# program (RFC 3834 ``Auto-Submitted``; older or proprietary ones), and the
# values that mean it.
AUTOMATIC_REPLY_HEADERS = {
    "X-Autoreply": None,
    "X-Autorespond": None,
    "Precedence": {"auto_reply", "bulk", "junk"},
}


def is_automatic_reply(message):
    """Whether ``message`` (an ``email.message.Message``) was written by a
    program rather than by a person: an out-of-office reply, a vacation
    notice, a mailing list's autoresponder. RFC 3834: ``Auto-Submitted``
    with any value but ``no``."""
    auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return True
    for header, values in AUTOMATIC_REPLY_HEADERS.items():
        value = (message.get(header) or "").strip().lower()
        if value and (values is None or value in values):
            return True
    return False
