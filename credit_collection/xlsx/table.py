"""XLSX workbooks of the Collections exports: one table per sheet, with a
bold frozen header, column widths, an autofilter, dates and amounts as real
cell types (never text) and, under the columns that add up, a SUBTOTAL that
follows the user's filters (its value is stored too, for readers that do
not calculate). Rows are streamed: xlsxwriter's constant-memory mode writes
each row out as the next begins, so memory stays flat whatever the size."""

import tempfile
from collections import namedtuple
from datetime import timedelta
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import fields

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Exports are files to download, not documents to keep: the attachment
# carries this description and the autovacuum removes it after a day.
EXPORT_DESCRIPTION = "credit_collection export"
EXPORT_LIFETIME = timedelta(days=1)

# kind: text, date, datetime, integer, money or percent; total: add it up.
Column = namedtuple("Column", "title width kind total", defaults=("text", False))

FORMATS = {
    "header": {"bold": True, "bg_color": "#DDDDDD", "border": 1},
    "date": {"num_format": "yyyy-mm-dd"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
    "money": {"num_format": "#,##0.00"},
    "percent": {"num_format": "0.0"},
    "total": {"num_format": "#,##0.00", "bold": True},
}


def write_workbook(path, sheets, total_label):
    """Write ``sheets`` — ``(name, columns, rows)`` each, ``rows`` any
    iterable of value tuples in the order of ``columns`` — to the XLSX file
    (or buffer) ``path``; returns the number of rows of each sheet."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    formats = {name: workbook.add_format(spec) for name, spec in FORMATS.items()}
    counts = [
        _write_sheet(
            workbook.add_worksheet(name[:31]), formats, columns, rows, total_label
        )
        for name, columns, rows in sheets
    ]
    workbook.close()
    return counts


def _write_sheet(sheet, formats, columns, rows, total_label):
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(0, col, column.title, formats["header"])
    sheet.freeze_panes(1, 0)
    totals = [0.0 if column.total else None for column in columns]
    row = 0
    for values in rows:
        row += 1
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            _write_cell(sheet, row, col, column.kind, value, formats)
            if column.total and value:
                totals[col] += value
    sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
    if any(total is not None for total in totals):
        sheet.write_string(row + 1, 0, total_label, formats["header"])
        for col, total in enumerate(totals):
            if total is None:
                continue
            first = xl_rowcol_to_cell(1, col)
            last = xl_rowcol_to_cell(max(row, 1), col)
            sheet.write_formula(
                row + 1,
                col,
                f"=SUBTOTAL(9,{first}:{last})",
                formats["total"],
                round(total, 2),
            )
    return row


def _write_cell(sheet, row, col, kind, value, formats):
    if value is None or value is False or value == "":
        return
    if kind in ("date", "datetime"):
        sheet.write_datetime(row, col, value, formats[kind])
    elif kind in ("integer", "money", "percent"):
        sheet.write_number(row, col, value, formats.get(kind))
    else:
        sheet.write_string(row, col, str(value))


def download(env, filename, sheets):
    """Write ``sheets`` to an XLSX file and return the action that downloads
    it. The file is an attachment of no record, so only its author (and the
    administrator) may read it."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        write_workbook(handle.name, sheets, env._("Total"))
        content = Path(handle.name).read_bytes()
    attachment = env["ir.attachment"].create(
        {
            "name": filename,
            "raw": content,
            "mimetype": XLSX_MIMETYPE,
            "description": EXPORT_DESCRIPTION,
        }
    )
    return {
        "type": "ir.actions.act_url",
        "url": f"/web/content/{attachment.id}?download=true",
        "target": "self",
    }


def remove_old_exports(env):
    """Delete the export files older than a day."""
    env["ir.attachment"].sudo().search(
        [
            ("description", "=", EXPORT_DESCRIPTION),
            ("res_model", "=", False),
            ("create_date", "<", fields.Datetime.now() - EXPORT_LIFETIME),
        ]
    ).unlink()


def selection_labels(model, *names):
    """``{field: {value: label}}`` of selection fields, in the reader's
    language."""
    return {
        name: dict(model._fields[name]._description_selection(model.env))
        for name in names
    }
