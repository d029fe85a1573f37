from . import credit_collection_release_request
