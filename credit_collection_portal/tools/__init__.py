from . import signed_link
