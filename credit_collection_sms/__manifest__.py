# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Credit Collection SMS",
    "summary": "Text message reminders: valid mobile numbers, a sending window "
    "in the recipient's time zone, opt-out, a cap and delivery reports",
    "version": "18.0.1.1.1",
    "category": "Accounting/Accounting",
    "author": "Credit Collection Team",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["credit_collection", "sms", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "data/sms_template_data.xml",
        "views/credit_collection_stage_views.xml",
        "views/credit_collection_action_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "report/credit_collection_effectiveness_views.xml",
    ],
}
