from . import credit_collection_action
from . import res_company
from . import res_config_settings
from . import credit_collection_dispute
