from . import models
from . import tools
from . import report
from . import wizard
from .hooks import post_init_hook, pre_init_hook
