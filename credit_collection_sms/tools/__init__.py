from . import sms_number
from . import sms_window
