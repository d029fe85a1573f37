from . import credit_collection_release
from . import sale_order
