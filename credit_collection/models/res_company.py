from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The default scenarios shipped as data for the main company; every other
# company gets its own copy so that each company can tune its scenarios.
DEFAULT_SCENARIO_XMLIDS = [
    "credit_collection.scenario_negligent",
    "credit_collection.scenario_bad",
    "credit_collection.scenario_insolvent",
    "credit_collection.scenario_administrative",
    "credit_collection.scenario_dispute",
    "credit_collection.scenario_automatic",
    "credit_collection.scenario_good",
]


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_collection_scenario_id = fields.Many2one(
        "credit.collection.scenario",
        string="Default collection scenario",
        help="Followed by customers who have neither a scenario of their own "
        "nor a payer profile mapped to a scenario.",
    )
    credit_collection_min_interval_days = fields.Integer(
        string="Default minimum days between actions",
        default=7,
        help="Proposed as the minimum interval of new scenarios.",
    )

    credit_collection_user_id = fields.Many2one(
        "res.users",
        string="Default collector",
        domain="[('share', '=', False)]",
        help="Handles the collection actions of customers without a collector.",
    )

    credit_collection_profile_auto = fields.Boolean(
        string="Apply suggested payer profiles",
        help="Change a customer's payer profile to the suggested one once the "
        "suggestion has stayed the same for the number of days below "
        "(administrative payers are left as they are).",
    )
    credit_collection_profile_stable_days = fields.Integer(
        string="Suggestion stable for (days)", default=30
    )

    credit_collection_plan_down_payment = fields.Float(
        string="Payment plan down payment (%)",
        default=20.0,
        help="Share of a payment plan's total paid at once, before the "
        "instalments (insolvent customers show their good faith).",
    )
    credit_collection_plan_approval_amount = fields.Monetary(
        string="Payment plans approved above",
        currency_field="currency_id",
        default=5000.0,
        help="Payment plans over this total wait for a Collections manager's approval.",
    )

    credit_collection_kpi_email = fields.Boolean(
        string="Monthly KPI email",
        help="On the first day of each month, the Collections managers of the "
        "company receive the figures of the month just ended.",
    )

    # Statutory late-payment charges (EU Directive 2011/7/EU), claimed per
    # overdue invoice in formal notices.
    credit_collection_late_charges = fields.Boolean(
        string="Claim late-payment charges in formal notices",
        help="Formal notices claim, per overdue invoice, statutory late-payment "
        "interest and a fixed recovery indemnity.",
    )
    credit_collection_reference_rate = fields.Float(
        string="Reference rate (% a year)",
        digits=(16, 2),
        help="The central bank's reference rate (e.g. the ECB main refinancing "
        "rate); the late-payment interest rate is this rate plus the margin.",
    )
    credit_collection_interest_margin = fields.Float(
        string="Interest margin (points)",
        digits=(16, 2),
        default=8.0,
        help="Points added to the reference rate (at least 8 under the directive).",
    )
    credit_collection_recovery_indemnity = fields.Monetary(
        string="Recovery indemnity",
        currency_field="currency_id",
        default=40.0,
        help="Fixed compensation for recovery costs, claimed once per overdue "
        "invoice (40 EUR in the EU).",
    )
    credit_collection_charges_individuals = fields.Boolean(
        string="Also for individuals",
        help="The directive covers business customers only: customers that are "
        "not companies are charged nothing unless this is ticked.",
    )
    credit_collection_charges_account_id = fields.Many2one(
        "account.account",
        string="Late-payment charges account",
        check_company=True,
        domain="[('deprecated', '=', False), "
        "('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the invoices of late-payment charges.",
    )

    credit_collection_response_rates = fields.Json(
        readonly=True,
        copy=False,
        help="What the company's collection actions brought in, by payer "
        "profile, stage level and channel, as the last daily run measured "
        "it: the agenda's order reads it between two runs.",
    )

    @api.constrains("credit_collection_plan_down_payment")
    def _check_credit_collection_plan_down_payment(self):
        for company in self:
            if not 0 <= company.credit_collection_plan_down_payment <= 100:
                raise ValidationError(
                    self.env._(
                        "The down payment of payment plans is a percentage "
                        "between 0 and 100 (%(company)s).",
                        company=company.name,
                    )
                )

    @api.constrains("credit_collection_profile_stable_days")
    def _check_credit_collection_profile_stable_days(self):
        for company in self:
            if company.credit_collection_profile_stable_days < 0:
                raise ValidationError(
                    self.env._(
                        "The number of days a payer profile suggestion must stay "
                        "the same before it is applied cannot be negative "
                        "(%(company)s).",
                        company=company.name,
                    )
                )

    @api.constrains("credit_collection_min_interval_days")
    def _check_credit_collection_min_interval_days(self):
        for company in self:
            if company.credit_collection_min_interval_days < 0:
                raise ValidationError(
                    self.env._(
                        "The default minimum number of days between two collection "
                        "actions of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )

    @api.constrains("credit_collection_scenario_id")
    def _check_credit_collection_scenario_company(self):
        for company in self:
            scenario = company.credit_collection_scenario_id
            if scenario and scenario.company_id != company:
                raise ValidationError(
                    self.env._(
                        "The default collection scenario of %(company)s must be "
                        "one of its own scenarios; '%(scenario)s' belongs to "
                        "%(other)s.",
                        company=company.name,
                        scenario=scenario.name,
                        other=scenario.company_id.name,
                    )
                )

    @api.constrains(
        "credit_collection_reference_rate",
        "credit_collection_interest_margin",
        "credit_collection_recovery_indemnity",
    )
    def _check_credit_collection_late_charges(self):
        names = (
            "credit_collection_reference_rate",
            "credit_collection_interest_margin",
            "credit_collection_recovery_indemnity",
        )
        for company in self:
            for name in names:
                if company[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "Late-payment charges of %(company)s: the "
                            "'%(setting)s' cannot be negative.",
                            setting=self._fields[name]._description_string(self.env),
                            company=company.name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._credit_collection_ensure_default_scenarios()
        return companies

    def _credit_collection_ensure_default_scenarios(self):
        """Copy the shipped scenarios into companies that have none yet.

        Runs as superuser: whoever may create a company gets its scenarios,
        with or without Collections rights.
        """
        env = self.sudo().env
        refs = (
            env.ref(xmlid, raise_if_not_found=False)
            for xmlid in DEFAULT_SCENARIO_XMLIDS
        )
        Scenario = env["credit.collection.scenario"].with_context(active_test=False)
        templates = Scenario.browse(ref.id for ref in refs if ref)
        if not templates:
            return  # module data not loaded yet (install in progress)
        # New companies start with the same default as the templates' company.
        default_template = templates.company_id.credit_collection_scenario_id
        for company in self.sudo():
            if Scenario.search_count([("company_id", "=", company.id)], limit=1):
                continue
            for template in templates:
                copy = template.copy(
                    {"company_id": company.id, "payer_profile": template.payer_profile}
                )
                if template == default_template:
                    company.credit_collection_scenario_id = copy

    def _credit_collection_working_day(self, day):
        """``day`` or, if the company does not work that day (weekend, public
        holiday of its working calendar), its next working day."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return day
        start = datetime.combine(day, time.min)
        found = calendar.plan_days(1, start, compute_leaves=True)
        return found.date() if found else day
