from . import test_sale_blocking
from . import test_release_tour
