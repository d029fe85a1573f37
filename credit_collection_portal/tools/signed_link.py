"""The signed links a reminder or a dispute sends: who they open for, and
in which language."""

from odoo.tools import consteq


def token_opens(stored, given, valid_until=None, today=None):
    """Whether the ``given`` token is the ``stored`` one (compared in
    constant time) and, when the link expires, ``today`` is not past
    ``valid_until``. A revoked link (no ``stored`` token) opens nothing."""
    if not (given and stored and consteq(stored, given)):
        return False
    return today is None or bool(valid_until and today <= valid_until)


def localized_url(base_url, path, url_code=None):
    """The absolute URL of ``path``, opening in the language of ``url_code``
    (the URL's prefix Odoo's frontend routing reads, e.g. ``fr``)."""
    return base_url + (f"/{url_code}{path}" if url_code else path)


def signed_link(record, lang_code):
    """The absolute signed portal link of ``record`` (a ``portal.mixin``),
    opening the page in ``lang_code`` when that language is active: the
    page then speaks the recipient's language, not their browser's (the
    default language's prefix redirects to the plain URL, keeping the
    token)."""
    lang = record.env["res.lang"]._get_data(code=lang_code or "")
    return localized_url(
        record.get_base_url(),
        record._get_share_url(redirect=False),
        lang.url_code if lang else None,
    )
