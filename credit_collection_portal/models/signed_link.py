def signed_link(record, lang_code):
    """The absolute signed portal link of ``record`` (a ``portal.mixin``),
    opening the page in ``lang_code`` when that language is active: the
    page then speaks the recipient's language, not their browser's.

    The language comes as the URL's prefix (``/fr/...``), which Odoo's
    frontend routing reads; the default language's prefix redirects to the
    plain URL, keeping the token.
    """
    path = record._get_share_url(redirect=False)
    lang = record.env["res.lang"]._get_data(code=lang_code or "")
    if lang:
        path = f"/{lang.url_code}{path}"
    return record.get_base_url() + path
