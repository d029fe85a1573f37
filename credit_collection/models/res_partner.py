from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv.expression import AND

from ..xlsx.customer_history import history_sheets
from ..xlsx.table import download
from .selections import PAYER_PROFILES


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "credit.collection.account.block.mixin"]

    # Collection settings are the company's view of a customer: each company
    # that sells to it profiles and chases it its own way.
    payer_profile = fields.Selection(
        PAYER_PROFILES,
        company_dependent=True,
        tracking=True,
        help="How this customer pays. The profile chooses the collection "
        "scenario unless the customer has a scenario of its own.",
    )
    collection_scenario_id = fields.Many2one(
        "credit.collection.scenario",
        company_dependent=True,
        tracking=True,
        domain="[('company_id', 'in', (False, current_company_id))]",
        help="Overrides the scenario of the payer profile for this customer.",
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    collection_contact_ids = fields.One2many(
        "credit.collection.contact", "partner_id", string="Collection Contacts"
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collection",
        company_dependent=True,
        tracking=True,
        help="No collection action is ever proposed for this customer.",
    )
    collection_blocked = fields.Boolean(
        string="Blocked",
        company_dependent=True,
        tracking=True,
        help="The account is blocked for new sales.",
    )
    collection_litigation_date = fields.Date(
        string="In litigation since",
        company_dependent=True,
        tracking=True,
        help="Handed over to litigation: no reminder is sent any more; the "
        "litigation owner or the collection agency takes over.",
    )
    collection_litigation_user_id = fields.Many2one(
        "res.users",
        string="Litigation owner",
        company_dependent=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    collection_agency_id = fields.Many2one(
        "res.partner",
        string="Collection agency",
        company_dependent=True,
        tracking=True,
        help="The agency or lawyer the file was handed to.",
    )
    payer_profile_suggestion = fields.Selection(
        PAYER_PROFILES,
        string="Suggested payer profile",
        company_dependent=True,
        readonly=True,
        help="What the customer's payments of the last 12 months point to.",
    )
    payer_profile_suggestion_reason = fields.Char(
        string="Why this profile", company_dependent=True, readonly=True
    )
    payer_profile_suggestion_date = fields.Date(
        string="Suggested since", company_dependent=True, readonly=True
    )
    collection_effective_scenario_id = fields.Many2one(
        "credit.collection.scenario",
        string="Scenario Followed",
        compute="_compute_collection_effective_scenario_id",
        help="The customer's own scenario, else its payer profile's, else the "
        "company default.",
    )

    @api.depends_context("company")
    @api.depends("payer_profile", "collection_scenario_id", "commercial_partner_id")
    def _compute_collection_effective_scenario_id(self):
        company = self.env.company
        profiles = self.env["credit.collection.scenario"]._profile_scenarios(company)
        for partner in self:
            partner.collection_effective_scenario_id = (
                partner.commercial_partner_id._collection_scenario(company, profiles)
            )

    def _collection_scenario(self, company, profile_scenarios=None):
        """Scenario a commercial entity follows in ``company``: its own, else
        its payer profile's, else the company default. ``profile_scenarios``
        (of ``_profile_scenarios``) spares a query per customer."""
        self.ensure_one()
        Scenario = self.env["credit.collection.scenario"]
        if profile_scenarios is None:
            profile_scenarios = Scenario._profile_scenarios(company)
        partner = self.with_company(company)
        return (
            partner.collection_scenario_id
            or Scenario.browse(profile_scenarios.get(partner.payer_profile))
            or company.credit_collection_scenario_id
        )

    def _collection_open_items(self, companies):
        """The open receivable items of this customer (and its contacts) in
        ``companies``, the earliest due first."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            AND(
                [
                    [
                        ("company_id", "in", companies.ids),
                        ("partner_id", "child_of", self.id),
                    ],
                    self.env["credit.collection.ledger"]._open_domain(),
                ]
            ),
            order="date_maturity, id",
        )

    def _collection_collector(self, company):
        """Who collects from this customer in ``company``: its own collector,
        else the company's default one."""
        self.ensure_one()
        return (
            self.commercial_partner_id.with_company(company).collection_user_id
            or company.credit_collection_user_id
        )

    def action_open_collection_timeline(self):
        """The customer's collection history in one chronology."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.credit_collection_timeline_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_export_collection_history(self):
        """The customer's collection history and open items as an XLSX file,
        in the companies selected."""
        self.ensure_one()
        customer = self.commercial_partner_id
        return download(
            self.env,
            self.env._(
                "Collection history %(customer)s %(date)s.xlsx",
                customer=customer.name,
                date=fields.Date.context_today(self),
            ),
            history_sheets(customer, self.env.companies),
        )

    def action_end_litigation(self):
        """Litigation is over (settled, or written off): the customer's
        invoices follow their scenario again."""
        if not self.env.user.has_group(
            "credit_collection.group_credit_collection_manager"
        ):
            raise AccessError(
                self.env._("Only a Collections manager can end a litigation.")
            )
        self.sudo().write(
            {
                "collection_litigation_date": False,
                "collection_litigation_user_id": False,
                "collection_agency_id": False,
            }
        )

    def action_apply_payer_profile_suggestion(self):
        self._apply_payer_profile_suggestion()

    def _apply_payer_profile_suggestion(self, automatic=False):
        """Take the suggested payer profile, and say why in the chatter."""
        labels = dict(self._fields["payer_profile"]._description_selection(self.env))
        for partner in self.filtered("payer_profile_suggestion"):
            profile = partner.payer_profile_suggestion
            partner.payer_profile = profile
            partner.message_post(
                body=(
                    self.env._(
                        "Payer profile set to %(profile)s automatically, as "
                        "suggested since %(date)s: %(reason)s",
                        profile=labels[profile],
                        date=partner.payer_profile_suggestion_date,
                        reason=partner.payer_profile_suggestion_reason,
                    )
                    if automatic
                    else self.env._(
                        "Payer profile set to %(profile)s as suggested: %(reason)s",
                        profile=labels[profile],
                        reason=partner.payer_profile_suggestion_reason,
                    )
                ),
                subtype_xmlid="mail.mt_note",
            )
