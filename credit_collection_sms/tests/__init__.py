from . import test_sms_number
