from . import mail_headers
