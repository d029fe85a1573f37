from . import credit_collection_timeline
