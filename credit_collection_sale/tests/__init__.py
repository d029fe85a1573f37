from . import test_sale_blocking
from . import test_sale_demo
from . import test_release_tour
from . import test_company_isolation
