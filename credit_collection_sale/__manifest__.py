# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Credit Collection for Sales",
    "summary": "Sales see blocked accounts; a blocked customer's order is "
    "confirmed only with a release the Collections managers approve",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Credit Collection Team",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["credit_collection", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/credit_collection_sale_security.xml",
        "views/credit_collection_release_views.xml",
        "views/sale_order_views.xml",
        "wizard/credit_collection_release_request_views.xml",
    ],
    "demo": ["demo/sale_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "credit_collection_sale/static/tests/tours/**/*",
        ],
    },
}
