from . import credit_collection_outcome
