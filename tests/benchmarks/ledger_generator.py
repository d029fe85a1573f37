"""Build a large receivable ledger fast: N customers x M open invoices.

Customers are created with the ORM (their company-dependent collection
settings need it); invoices are cloned in SQL from one invoice posted with the
ORM, amounts scaled, so that 100k items take a minute rather than hours. The
clones are ordinary posted invoices: one receivable and one income line each,
followed by their customer as posting subscribes it.
"""

import random
from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import Command, fields
from odoo.tools import SQL

# Share of customers per payer profile (negligent payers are the most common).
PROFILE_WEIGHTS = [
    ("negligent", 30),
    ("bad", 15),
    ("insolvent", 10),
    ("administrative", 15),
    ("dispute", 10),
    ("automatic", 10),
    ("good", 10),
]
NAME_PREFIX = "BENCH/"
# Move columns computed from the amounts: scaled like the amounts.
SCALED = {
    "account_move": (
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "amount_residual",
        "amount_untaxed_signed",
        "amount_untaxed_in_currency_signed",
        "amount_tax_signed",
        "amount_total_signed",
        "amount_total_in_currency_signed",
        "amount_residual_signed",
        "quick_edit_total_amount",
    ),
    "account_move_line": (
        "debit",
        "credit",
        "balance",
        "amount_currency",
        "tax_base_amount",
        "amount_residual",
        "amount_residual_currency",
        "price_unit",
        "price_subtotal",
        "price_total",
    ),
}


def generate_ledger(env, customers, items, seed=1, company=None, late=(-30, 10, 90)):
    """Create ``customers`` customers with ``items`` posted invoices each, due
    ``late`` = (least, most common, most) days late, negative when not yet
    due. Returns the customers."""
    company = company or env.company
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )
    )
    rng = random.Random(seed)
    today = fields.Date.context_today(env["res.partner"])
    partners = _create_customers(env, company, customers, rng)
    rows = [
        (
            partner.id,
            today - timedelta(days=round(rng.triangular(late[0], late[2], late[1]))),
            round(rng.uniform(50, 5000), 2),
        )
        for partner in partners
        for _n in range(items)
    ]
    template = _template_invoice(env, company, partners[0], rows[0])
    _clone_invoices(env, template, rows[1:])
    return partners


def _create_customers(env, company, count, rng):
    country = env.ref("base.fr")
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {n:06d}",
                "is_company": True,
                "customer_rank": 1,
                "email": f"ap{n}@bench.example.com",
                "phone": "+33 1 23 45 67 89",
                "street": f"{n} rue du Commerce",
                "city": "Lyon",
                "zip": "69002",
                "country_id": country.id,
            }
            for n in range(count)
        ]
    )
    profiles, weights = zip(*PROFILE_WEIGHTS, strict=True)
    by_profile = {}
    for partner in partners:
        profile = rng.choices(profiles, weights)[0]
        by_profile.setdefault(profile, []).append(partner.id)
    for profile, ids in by_profile.items():
        env["res.partner"].browse(ids).with_company(company).write(
            {"payer_profile": profile}
        )
    return partners


def _template_invoice(env, company, partner, row):
    _partner_id, due, amount = row
    invoice = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
    )
    invoice.invoice_date_due = due
    invoice.action_post()
    env.flush_all()
    return invoice


def _columns(cr, table):
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
            table,
        )
    )
    return [row[0] for row in cr.fetchall()]


def _select_list(cr, table, overrides, source):
    """Every column of ``table``: its override, a scaled amount, or a copy."""
    parts = []
    columns = _columns(cr, table)
    for column in columns:
        if column in overrides:
            parts.append(overrides[column])
        elif column in SCALED[table]:
            parts.append(SQL("%s * item.factor", SQL.identifier(source, column)))
        else:
            parts.append(SQL.identifier(source, column))
    return (
        SQL(", ").join(SQL.identifier(column) for column in columns),
        SQL(", ").join(parts),
    )


def _clone_invoices(env, template, rows):
    cr = env.cr
    cr.execute(
        "CREATE TEMP TABLE bench_item (seq serial, partner_id int, due date, "
        "amount numeric, factor numeric) ON COMMIT DROP"
    )
    # Numbered after the journal's earlier generated invoices: a ledger can
    # be generated in several calls.
    cr.execute(
        SQL(
            "SELECT setval(pg_get_serial_sequence('bench_item', 'seq'), "
            "COALESCE(MAX(sequence_number), 0) + 1, false) FROM account_move "
            "WHERE journal_id = %s AND sequence_prefix = %s",
            template.journal_id.id,
            NAME_PREFIX,
        )
    )
    execute_values(
        cr._obj,
        "INSERT INTO bench_item (partner_id, due, amount) VALUES %s",
        rows,
        page_size=5000,
    )
    cr.execute(
        SQL(
            "UPDATE bench_item SET factor = amount / %s",
            template.amount_total,
        )
    )
    name = SQL("%s || lpad(item.seq::text, 8, '0')", NAME_PREFIX)
    move_columns, move_values = _select_list(
        cr,
        "account_move",
        {
            "name": name,
            "sequence_prefix": SQL("%s", NAME_PREFIX),
            "sequence_number": SQL("item.seq"),
            "payment_reference": name,
            "partner_id": SQL("item.partner_id"),
            "commercial_partner_id": SQL("item.partner_id"),
            "partner_shipping_id": SQL("item.partner_id"),
            "date": SQL("item.due - 30"),
            "invoice_date": SQL("item.due - 30"),
            "invoice_date_due": SQL("item.due"),
            "invoice_partner_display_name": SQL("NULL"),
            "access_token": SQL("NULL"),
            "inalterable_hash": SQL("NULL"),
            "secure_sequence_number": SQL("NULL"),
            "create_date": SQL("now() AT TIME ZONE 'UTC'"),
            "write_date": SQL("now() AT TIME ZONE 'UTC'"),
        },
        "template",
    )
    cr.execute(
        SQL(
            "INSERT INTO account_move (%s) SELECT %s FROM bench_item item, "
            "account_move template WHERE template.id = %s",
            move_columns,
            move_values,
            template.id,
        )
    )
    line_columns, line_values = _select_list(
        cr,
        "account_move_line",
        {
            "move_id": SQL("move.id"),
            "move_name": SQL("move.name"),
            "partner_id": SQL("item.partner_id"),
            "date": SQL("move.date"),
            "invoice_date": SQL("move.invoice_date"),
            "date_maturity": SQL(
                "CASE WHEN tline.date_maturity IS NULL THEN NULL ELSE item.due END"
            ),
            "create_date": SQL("now() AT TIME ZONE 'UTC'"),
            "write_date": SQL("now() AT TIME ZONE 'UTC'"),
        },
        "tline",
    )
    cr.execute(
        SQL(
            "INSERT INTO account_move_line (%s) SELECT %s FROM bench_item item "
            "JOIN account_move move ON move.name = %s AND move.journal_id = %s "
            "JOIN account_move_line tline ON tline.move_id = %s",
            line_columns,
            line_values,
            name,
            template.journal_id.id,
            template.id,
        )
    )
    _clone_followers(cr, template, name)
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    cr.execute("ANALYZE mail_followers")
    cr.execute("ANALYZE mail_followers_mail_message_subtype_rel")
    env.invalidate_all()


def _clone_followers(cr, template, name):
    """Subscribe each clone's customer with the template's subtypes, as
    posting does: a real ledger's invoices are followed, so the followers
    table is at least as large as the ledger (and PostgreSQL plans the
    foreign keys that point to it as it would there)."""
    cr.execute(
        SQL(
            """
            WITH follower AS (
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT 'account.move', move.id, item.partner_id
                  FROM bench_item item
                  JOIN account_move move
                    ON move.name = %(name)s AND move.journal_id = %(journal)s
                RETURNING id
            )
            INSERT INTO mail_followers_mail_message_subtype_rel
                   (mail_followers_id, mail_message_subtype_id)
            SELECT follower.id, rel.mail_message_subtype_id
              FROM follower
              JOIN mail_followers template_follower
                ON template_follower.res_model = 'account.move'
               AND template_follower.res_id = %(template)s
               AND template_follower.partner_id = %(partner)s
              JOIN mail_followers_mail_message_subtype_rel rel
                ON rel.mail_followers_id = template_follower.id
            """,
            name=name,
            journal=template.journal_id.id,
            template=template.id,
            partner=template.partner_id.id,
        )
    )
