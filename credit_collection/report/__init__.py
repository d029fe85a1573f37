from . import credit_collection_timeline
from . import credit_collection_aged_balance
from . import credit_collection_kpi
