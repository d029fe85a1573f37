from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .selections import PAYER_PROFILES


class CreditCollectionScenario(models.Model):
    _name = "credit.collection.scenario"
    _description = "Collection Scenario"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    payer_profile = fields.Selection(
        PAYER_PROFILES,
        string="Default for payer profile",
        tracking=True,
        help="Customers of this payer profile follow this scenario unless they "
        "have a scenario of their own. One scenario per profile and company.",
    )
    min_interval_days = fields.Integer(
        string="Minimum days between actions",
        default=lambda self: self.env.company.credit_collection_min_interval_days,
        tracking=True,
        help="No new collection action is proposed for a customer until this "
        "many days have passed since the previous one.",
    )
    stage_ids = fields.One2many(
        "credit.collection.stage", "scenario_id", string="Stages", copy=True
    )
    stage_count = fields.Integer(compute="_compute_stage_count")
    description = fields.Text(translate=True)

    @api.depends("stage_ids")
    def _compute_stage_count(self):
        for scenario in self:
            scenario.stage_count = len(scenario.stage_ids)

    @api.constrains("min_interval_days")
    def _check_min_interval_days(self):
        for scenario in self:
            if scenario.min_interval_days < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum number of days between two actions of "
                        "scenario '%(scenario)s' cannot be negative.",
                        scenario=scenario.name,
                    )
                )

    @api.constrains("payer_profile", "company_id", "active")
    def _check_one_scenario_per_profile(self):
        profile_labels = dict(
            self._fields["payer_profile"]._description_selection(self.env)
        )
        for scenario in self.filtered(lambda s: s.payer_profile and s.active):
            other = self.search(
                [
                    ("id", "!=", scenario.id),
                    ("company_id", "=", scenario.company_id.id),
                    ("payer_profile", "=", scenario.payer_profile),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "The payer profile '%(profile)s' already uses scenario "
                        "'%(other)s' in company %(company)s. Clear the profile on "
                        "that scenario first.",
                        profile=profile_labels[scenario.payer_profile],
                        other=other.name,
                        company=scenario.company_id.name,
                    )
                )

    @api.model
    def _default_for_profile(self, company, payer_profile):
        """The company's scenario for a payer profile (empty if none)."""
        return self.browse(self._profile_scenarios(company).get(payer_profile))

    @api.model
    def _profile_scenarios(self, company):
        """``{payer profile: scenario id}`` of the company's active scenarios
        (at most one per profile), in one query."""
        return dict(
            self._read_group(
                [("company_id", "=", company.id), ("payer_profile", "!=", False)],
                ["payer_profile"],
                ["id:min"],
            )
        )

    def copy_data(self, default=None):
        # A copy never takes over the profile mapping of its original.
        default = dict(default or {})
        default.setdefault("payer_profile", False)
        vals_list = super().copy_data(default=default)
        for scenario, vals in zip(self, vals_list, strict=True):
            # A copy for another company keeps its name; one beside it is marked.
            same_company = (
                vals.get("company_id", scenario.company_id.id) == scenario.company_id.id
            )
            if same_company and "name" not in default:
                vals["name"] = self.env._("%s (copy)", scenario.name)
        return vals_list

    def action_view_stages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.credit_collection_stage_action"
        )
        action["domain"] = [("scenario_id", "=", self.id)]
        action["context"] = {"default_scenario_id": self.id}
        return action
