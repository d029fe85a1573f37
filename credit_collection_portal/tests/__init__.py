from . import test_portal_page
