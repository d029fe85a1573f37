from . import test_portal_actions
from . import test_portal_page
