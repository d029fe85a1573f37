from . import credit_collection_customer_wizard_mixin
from . import credit_collection_outcome
from . import credit_collection_send
from . import credit_collection_send_line
from . import credit_collection_litigation
from . import credit_collection_tracking_import
from . import credit_collection_block
