from . import credit_collection_timeline
from . import credit_collection_aged_balance
from . import credit_collection_kpi
from . import credit_collection_report_mixin
from . import credit_collection_promise_report
from . import credit_collection_dispute_report
from . import credit_collection_effectiveness
from . import credit_collection_dashboard
