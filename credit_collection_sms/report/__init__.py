from . import credit_collection_effectiveness
