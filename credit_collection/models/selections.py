"""Selection values shared by several models (the contract between addons).

Labels are wrapped at class definition by the fields themselves, so they are
exported to the .pot files and translated like any other selection label.
"""

PAYER_PROFILES = [
    ("negligent", "Negligent payer"),
    ("bad", "Bad payer"),
    ("insolvent", "Insolvent payer"),
    ("administrative", "Administrative payer"),
    ("dispute", "Dispute payer"),
    ("automatic", "Automatic payer"),
    ("good", "Good payer"),
]

STAGE_LEVELS = [
    ("pre_dunning", "Pre-dunning"),
    ("level_1", "Level 1"),
    ("level_2", "Level 2"),
    ("level_3", "Level 3"),
    ("litigation", "Litigation"),
]
# Position of each level in the escalation: stages of a scenario must climb it.
LEVEL_RANK = {level: rank for rank, (level, _label) in enumerate(STAGE_LEVELS)}

CHANNELS = [
    ("email", "Email"),
    ("letter", "Letter"),
    ("registered_letter", "Registered letter"),
    ("phone", "Phone call"),
    ("visit", "Visit"),
    ("fax", "Fax"),
]


def stage_channels(model):
    """Selection of the models that use a stage's channel: the stage's own
    channels, including those that other addons add to it, labelled in the
    user's language."""
    stage_channel = model.env["credit.collection.stage"]._fields["channel"]
    return stage_channel._description_selection(model.env)


COLLECTION_STATUSES = [
    ("normal", "Normal"),
    ("promised", "Promised"),
    ("disputed", "Disputed"),
    ("payment_plan", "Payment plan"),
    ("litigation", "Litigation"),
    ("excluded", "Excluded"),
]

PROMISE_SOURCES = [
    ("phone", "Phone call"),
    ("email", "Email"),
    ("portal", "Customer portal"),
    ("letter", "Letter"),
    ("visit", "Visit"),
]

PROMISE_STATES = [
    ("open", "Open"),
    ("kept", "Kept"),
    ("broken", "Broken"),
    ("cancelled", "Cancelled"),
]

OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No answer"),
    ("wrong_contact", "Wrong contact"),
    ("promise", "Promise to pay"),
    ("dispute", "Dispute"),
    ("paid_claimed", "Says it has paid"),
    ("plan_requested", "Asks for a payment plan"),
    ("other", "Other"),
]

DISPUTE_STATES = [
    ("open", "Open"),
    ("in_progress", "In progress"),
    ("resolved", "Resolved"),
    ("rejected", "Rejected"),
]
# A dispute in these states suspends the dunning of what it covers.
DISPUTE_ACTIVE_STATES = ("open", "in_progress")

PLAN_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To approve"),
    ("active", "Running"),
    ("completed", "Completed"),
    ("broken", "Broken"),
    ("cancelled", "Cancelled"),
]
# A plan in these states holds back the dunning of its items.
PLAN_HOLDING_STATES = ("to_approve", "active")

PLAN_FREQUENCIES = [
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
]
