"""Which of Odoo 18's own tests prove that the addons leave Odoo working:
those of the modules the addons extend. One home for the selection; the
command (``tools/odoo-suites.sh``) and its tests read it from here."""

# The modules whose behaviour the addons override or extend: accounting
# (invoices, reconciliation hooks, partners), paying an invoice from the
# portal, sales (order confirmation), the portal, SMS.
EXTENDED_MODULES = (
    "account",
    "account_payment",
    "sale",
    "sale_management",
    "portal",
    "sms",
)

# Of ``account``'s tests, the classes covering what the addons touch (the
# whole module takes over an hour on a 2-core machine).
ACCOUNT_CLASSES = (
    # customer invoices and refunds
    "TestAccountMoveOutInvoiceOnchanges",
    "TestAccountMoveOutRefundOnchanges",
    # payments and the payment register
    "TestAccountPayment",
    "TestAccountPaymentRegister",
    # reconciliation and the payments widget
    "TestAccountMoveReconcile",
    "TestAccountMovePaymentsWidget",
    # partners and partner merge
    "TestAccountPartner",
    "TestMergePartner",
    # the invoice portal
    "TestPortalInvoice",
    "TestPortalAttachment",
    # invoice sending
    "TestAccountMoveSend",
    "TestAccountComposerPerformance",
)


def odoo_test_tags():
    """Odoo's ``--test-tags`` for the selection: the account classes above
    and every test of the other extended modules."""
    tags = [f"/account:{name}" for name in ACCOUNT_CLASSES]
    tags += [f"/{module}" for module in EXTENDED_MODULES if module != "account"]
    return ",".join(tags)


def modules_without_addons(addon_depends):
    """The modules of the database without the addons: the extended modules
    and every module the addons depend on (``addon_depends``: each addon's
    manifest ``depends``), so that the two databases differ by the addons
    alone."""
    repo_addons = set(addon_depends)
    modules = set(EXTENDED_MODULES)
    for depends in addon_depends.values():
        modules.update(name for name in depends if name not in repo_addons)
    return sorted(modules)


def modules_with_addons(addon_depends):
    return sorted(set(modules_without_addons(addon_depends)) | set(addon_depends))
