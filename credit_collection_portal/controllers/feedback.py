from odoo.http import request

# Why a form was refused travels in the session, not in the URL: a message
# taken from the URL could be written by anyone who sends the customer a
# link to our site.
REFUSAL_KEY = "credit_collection_refusal"


def redirect_refused(page, message):
    """Back to ``page``, which then shows why the form was refused."""
    request.session[REFUSAL_KEY] = message
    return request.redirect(page)


def take_refusal():
    """The refusal to show on this page, once."""
    return request.session.pop(REFUSAL_KEY, None)
