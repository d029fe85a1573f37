from . import res_company
from . import res_config_settings
from . import credit_collection_stage
from . import credit_collection_action
from . import mail_notification
from . import res_partner
from . import sms_composer
