from odoo.exceptions import UserError
from odoo.http import request

MAX_ATTACHMENT_MB = 10


def upload_label():
    """The label of a form's file input, with the size limit."""
    return request.env._(
        "Documents (%(limit)s MB at most each)", limit=MAX_ATTACHMENT_MB
    )


def read_uploads(files):
    """``[(name, content)]`` of the uploaded ``files``, each within the size
    limit; UserError naming the first one too large.

    Read at most one byte past the limit: a huge upload is refused without
    being read into memory whole.
    """
    limit = MAX_ATTACHMENT_MB * 1024 * 1024
    uploads = []
    for upload in files:
        content = upload.read(limit + 1)
        if len(content) > limit:
            raise UserError(
                request.env._(
                    "%(file)s is larger than %(limit)s MB.",
                    file=upload.filename,
                    limit=MAX_ATTACHMENT_MB,
                )
            )
        if content:
            uploads.append((upload.filename or "file", content))
    return uploads
