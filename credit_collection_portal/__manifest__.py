# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Credit Collection Portal",
    "summary": "The customer's collection page on the portal, reached logged in "
    "or through the signed link of every reminder",
    "version": "18.0.1.0.1",
    "category": "Accounting/Accounting",
    "author": "Credit Collection Team",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "post_init_hook": "post_init_hook",
    "depends": ["credit_collection", "portal", "account_payment"],
    "data": [
        "views/credit_collection_portal_templates.xml",
        "views/dispute_answer_templates.xml",
        "views/credit_collection_action_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/portal_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "credit_collection_portal/static/tests/tours/**/*",
        ],
    },
}
