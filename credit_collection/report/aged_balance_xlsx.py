"""The aged balance as an XLSX workbook: real dates and numbers, a frozen
header, an autofilter and totals. Rows are read from the database in pages
and streamed to the file (xlsxwriter's constant-memory mode), so memory
stays flat whatever the number of items."""

import xlsxwriter

from odoo.tools import SQL

PAGE_SIZE = 5000


def _columns(env):
    _ = env._
    return [
        (_("Customer"), 32),
        (_("Document"), 20),
        (_("Date"), 12),
        (_("Due date"), 12),
        (_("Days overdue"), 10),
        (_("Age"), 14),
        (_("Currency"), 9),
        (_("Amount due in its currency"), 16),
        (_("Amount due"), 16),
        (_("Payer profile"), 20),
        (_("Collector"), 20),
        (_("Collection status"), 16),
        (_("Last comment"), 40),
    ]


def _pages(env, domain):
    """The rows of the aged balance matching ``domain`` (with the reader's
    access rules), a page at a time, in a stable order."""
    AgedBalance = env["credit.collection.aged.balance"]
    query = AgedBalance._search(domain)
    table = SQL.identifier(AgedBalance._table)
    last_id = 0
    while True:
        rows = env.execute_query(
            SQL(
                """
                SELECT aged.id, customer.name, move.name, aged.date,
                       aged.date_maturity, aged.days_overdue, aged.bucket,
                       currency.name, aged.amount_residual_currency,
                       aged.amount_residual, aged.payer_profile,
                       collector_partner.name, aged.collection_status,
                       aged.collection_comment
                  FROM %(table)s aged
                  JOIN res_partner customer ON customer.id = aged.partner_id
                  JOIN account_move move ON move.id = aged.move_id
                  JOIN res_currency currency ON currency.id = aged.currency_id
                  LEFT JOIN res_users collector ON collector.id = aged.collector_id
                  LEFT JOIN res_partner collector_partner
                         ON collector_partner.id = collector.partner_id
                 WHERE aged.id IN %(ids)s AND aged.id > %(last)s
              ORDER BY aged.id
                 LIMIT %(limit)s
                """,
                table=table,
                ids=query.subselect(),
                last=last_id,
                limit=PAGE_SIZE,
            )
        )
        if not rows:
            return
        yield rows
        last_id = rows[-1][0]


def write_aged_balance(env, domain, path):
    """Write the aged balance matching ``domain`` to the XLSX file ``path``;
    returns the number of rows."""
    model = env["credit.collection.aged.balance"]
    labels = {
        name: dict(model._fields[name]._description_selection(env))
        for name in ("bucket", "payer_profile", "collection_status")
    }
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet(env._("Aged balance"))
    header = workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    bold_money = workbook.add_format({"num_format": "#,##0.00", "bold": True})
    columns = _columns(env)
    for col, (title, width) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)
    row = 0
    total = 0.0
    for page in _pages(env, domain):
        for (
            _id,
            customer,
            document,
            doc_date,
            due,
            days,
            bucket,
            currency,
            residual_currency,
            residual,
            profile,
            collector,
            status,
            comment,
        ) in page:
            row += 1
            sheet.write_string(row, 0, customer or "")
            sheet.write_string(row, 1, document or "")
            if doc_date:
                sheet.write_datetime(row, 2, doc_date, date)
            if due:
                sheet.write_datetime(row, 3, due, date)
            sheet.write_number(row, 4, days)
            sheet.write_string(row, 5, labels["bucket"].get(bucket, ""))
            sheet.write_string(row, 6, currency or "")
            sheet.write_number(row, 7, residual_currency or 0.0, money)
            sheet.write_number(row, 8, residual or 0.0, money)
            sheet.write_string(row, 9, labels["payer_profile"].get(profile, ""))
            sheet.write_string(row, 10, collector or "")
            sheet.write_string(row, 11, labels["collection_status"].get(status, ""))
            sheet.write_string(row, 12, comment or "")
            total += residual or 0.0
    sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
    total_row = row + 1
    sheet.write_string(total_row, 0, env._("Total"), header)
    # The formula keeps the total right when the user filters; its value is
    # stored too, for readers that do not calculate.
    sheet.write_formula(
        total_row,
        8,
        f"=SUBTOTAL(9,I2:I{max(row, 1) + 1})",
        bold_money,
        round(total, 2),
    )
    workbook.close()
    return row
