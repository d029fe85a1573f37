from . import test_dispute_answer
from . import test_portal_actions
from . import test_portal_page
from . import test_signed_link_isolation
from . import test_signed_link_tools
from . import test_portal_answers
from . import test_run_tokens
