from . import portal
from . import dispute_answer
