from . import test_sms_number
from . import test_sms_sending
from . import test_sms_window
