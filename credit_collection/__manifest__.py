# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Credit Collection",
    "summary": "Collection scenarios by payer profile, collection contacts "
    "and the collection state of customer invoices",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Credit Collection Team",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["account", "mail"],
    "data": [
        "security/credit_collection_security.xml",
        "security/ir.model.access.csv",
        "data/credit_collection_statement_templates.xml",
        "data/mail_template_data.xml",
        "data/credit_collection_scenario_data.xml",
        "views/credit_collection_stage_views.xml",
        "views/credit_collection_scenario_views.xml",
        "views/credit_collection_action_views.xml",
        "views/credit_collection_contact_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/credit_collection_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/account_move_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
