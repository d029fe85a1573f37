"""Upgrading in place keeps data: the previous release of the addons (the
newest commit in git history that bumped an addon to a version other than
the working tree's) is installed with its demo ledger (actions, promises,
disputes, payment plans, blocks), sends its reminders and gets the changes
an administrator makes; then `-u` brings the working tree's code. Every
record, setting and scheduled action is still there with its values, the
migrations run, and the next run creates nothing twice."""

import ast
import json
import os
import subprocess
from collections import Counter
from types import SimpleNamespace

import pytest

from .conftest import (
    FIGURES,
    REPO_ROOT,
    install_db,
    odoo_addons_path,
    odoo_conf,
    repo_addons,
)

ODOO_BIN = os.environ.get("ODOO_BIN", "odoo")
CURRENT = {
    addon.name: ast.literal_eval((addon / "__manifest__.py").read_text())["version"]
    for addon in repo_addons()
}
# Columns every write changes (an upgrade's recomputations write too).
WRITE_STAMPS = {"write_date", "write_uid"}

# What an administrator changes before the upgrade, with the previous code:
# a stage's delay, a reminder's wording, a company setting, the daily run's
# hour and interval, a schedule switched off; then the run and the sending
# of the day, as the crons do them, and a payment of a reminded invoice, on
# the day the demo's reminders are planned for (loaded on a day off, the
# demo plans them for the next working day: nothing would be sent today).
BEFORE_UPGRADE = """
from datetime import datetime, time
from freezegun import freeze_time
env.ref("credit_collection.stage_negligent_l1").days = 8
env.ref("credit_collection.scenario_negligent").name = "Negligent (ours)"
template = env.ref("credit_collection.stage_negligent_l1").mail_template_id
template.subject = "Our own subject"
env.company.credit_collection_min_interval_days = 9
env["ir.config_parameter"].set_param("credit_collection.upgrade_probe", "kept")
run = env.ref("credit_collection.ir_cron_collection_run")
run.write({"nextcall": "2030-01-01 03:00:00", "interval_number": 2})
env.ref("credit_collection.ir_cron_profile_suggestion").active = False
env.ref("credit_collection.ir_cron_collection_kpi").interval_number = 3
today = odoo.fields.Date.context_today(env.user)
day = env.company._credit_collection_working_day(today)
print("DAY", day.isoformat())
with freeze_time(datetime.combine(day, time(12))):
    env["credit.collection.run"]._cron_run()
    env["credit.collection.run"]._cron_send()
    # A customer reminded that day pays an invoice of the reminder.
    reminded = env["credit.collection.action"].search(
        [("state", "=", "done")], order="done_date desc, id desc", limit=1
    )
    invoice = reminded.move_line_ids.move_id.filtered(lambda m: m.amount_residual)[:1]
    assert invoice, reminded
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create({})._create_payments()
env.cr.commit()
"""

CHANGED_BY_HAND = (
    "SELECT s.days, sc.name->>'en_US', c.credit_collection_min_interval_days "
    "FROM ir_model_data d JOIN credit_collection_stage s ON s.id = d.res_id "
    "JOIN credit_collection_scenario sc ON sc.id = s.scenario_id "
    "JOIN res_company c ON c.id = s.company_id "
    "WHERE d.module = 'credit_collection' AND d.name = 'stage_negligent_l1'"
)

# After the upgrade: the daily run again (what it creates), as the cron does,
# on the day of the run before it (DAY_OF_THE_RUN: whatever the clock says
# meanwhile, midnight in the demo's time zone included).
AFTER_UPGRADE = """
from datetime import date, datetime, time
from freezegun import freeze_time
Action = env["credit.collection.action"].with_context(active_test=False)
before = Action.search_count([])
with freeze_time(datetime.combine(date.fromisoformat("DAY_OF_THE_RUN"), time(12))):
    env["credit.collection.run"]._cron_run()
env.cr.commit()
print("ACTIONS", before, Action.search_count([]))
"""


def git(*args):
    return subprocess.run(
        ["git", "-C", REPO_ROOT, *args], capture_output=True, text=True, check=True
    ).stdout


def manifest_version(commit, addon):
    try:
        text = git("show", f"{commit}:{addon}/__manifest__.py")
    except subprocess.CalledProcessError:
        return None  # the addon did not exist yet
    return ast.literal_eval(text)["version"]


def previous_release():
    """The newest commit that bumped an addon's version, where some addon
    has a version other than the working tree's: ``(commit, versions)``."""
    assert git("rev-parse", "--is-shallow-repository").strip() == "false", (
        "the upgrade test needs the clone's whole history (git fetch --unshallow)"
    )
    manifests = [f"{name}/__manifest__.py" for name in CURRENT]
    for commit in git("log", "--format=%H", '-G"version"', "--", *manifests).split():
        versions = {name: manifest_version(commit, name) for name in CURRENT}
        if any(v and v != CURRENT[name] for name, v in versions.items()):
            return commit, {name: v for name, v in versions.items() if v}
    raise AssertionError("no earlier release of the addons in git history")


def odoo_shell(config, db, script):
    result = subprocess.run(
        [ODOO_BIN, "shell", "-c", config, "-d", db, "--no-http", "--log-level=warn"],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[
        -3000:
    ]
    return result.stdout


def psql(db, query):
    return subprocess.run(
        ["psql", "-d", db, "-Atc", query], capture_output=True, text=True, check=True
    ).stdout.strip()


def rows(db, query):
    return json.loads(psql(db, f"SELECT coalesce(json_agg(q), '[]') FROM ({query}) q"))


# Columns a release moved out of another model's table, and where their
# values are since: {(table, column): the SQL expression, over ``t``, giving
# it}.
_STATE = "FROM credit_collection_invoice_state s WHERE s.move_id = t.id"
MOVED = {
    ("account_move", "collection_stage_id"): f"(SELECT s.stage_id {_STATE})",
    ("account_move", "collection_level"): (
        "(SELECT level FROM credit_collection_stage "
        f"WHERE id = (SELECT s.stage_id {_STATE}))"
    ),
    ("account_move", "collection_next_date"): f"(SELECT s.next_date {_STATE})",
}


# Columns a release dropped from the addons' own tables, their value derived
# since: {(table, column): the SQL expression, over ``t``, giving it}.
DERIVED = {
    ("credit_collection_item_state", "company_id"): (
        "(SELECT company_id FROM account_move_line WHERE id = t.move_line_id)"
    ),
    ("credit_collection_invoice_state", "company_id"): (
        "(SELECT company_id FROM account_move WHERE id = t.move_id)"
    ),
    ("credit_collection_invoice_state", "level"): (
        "(SELECT level FROM credit_collection_stage WHERE id = t.stage_id)"
    ),
}


def _has_column(db, table, column):
    return (
        psql(
            db,
            "SELECT count(*) FROM information_schema.columns "
            f"WHERE table_name = '{table}' AND column_name = '{column}'",
        )
        == "1"
    )


def _derived_columns(db, table):
    """``, expression AS column`` for each column of ``table`` a release
    dropped and derives since."""
    return "".join(
        f", {expression} AS {column}"
        for (home, column), expression in DERIVED.items()
        if home == table and not _has_column(db, table, column)
    )


def _column_or_its_new_home(db, table, column):
    """``column`` of ``table`` (aliased ``t``), or its value where a release
    moved it."""
    if _has_column(db, table, column) or (table, column) not in MOVED:
        return f"t.{column}"
    return f"{MOVED[table, column]} AS {column}"


def snapshot(db, addons):
    """Every row of the addons' tables, the columns the addons add to other
    models' tables, their settings, scheduled actions and the followers of
    their records: ``{name: [row, ...]}``."""
    names = ",".join(f"'{name}'" for name in addons)
    data = {}
    for table in psql(
        db,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename LIKE 'credit\\_collection\\_%'",
    ).split():
        data[table] = rows(
            db,
            f"SELECT t.*{_derived_columns(db, table)} FROM {table} t ORDER BY t::text",
        )
    added = rows(
        db,
        "SELECT f.model, f.name FROM ir_model_fields f "
        "JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id "
        f"WHERE d.module IN ({names}) AND f.store AND f.model NOT LIKE "
        "'credit.collection.%' AND f.ttype NOT IN ('one2many', 'many2many')",
    )
    by_table = {}
    for field in added:
        if "." in field["model"] and not field["model"].endswith(".wizard"):
            by_table.setdefault(field["model"].replace(".", "_"), []).append(
                field["name"]
            )
    for table, column in MOVED:
        if table in by_table and column not in by_table[table]:
            by_table[table].append(column)
    for table, columns in by_table.items():
        if psql(db, f"SELECT to_regclass('{table}') IS NOT NULL") == "t":
            selected = ", ".join(
                _column_or_its_new_home(db, table, column) for column in sorted(columns)
            )
            # Named by the table alone: a column the new release adds there
            # comes beside the old ones, which are compared.
            data[f"{table} (columns of the addons)"] = rows(
                db, f"SELECT t.id, {selected} FROM {table} t ORDER BY t.id"
            )
    # What each done action brought in: computed from the payments by the
    # report of earlier releases, kept on the action since.
    data["effectiveness"] = rows(
        db,
        "SELECT action_id, date, next_date, amount_due, amount_paid, "
        "days_to_pay FROM credit_collection_effectiveness ORDER BY action_id",
    )
    data["settings"] = rows(
        db,
        "SELECT key, value FROM ir_config_parameter "
        "WHERE key LIKE 'credit\\_collection%' ORDER BY key",
    )
    data["scheduled actions"] = rows(
        db,
        "SELECT d.name AS xmlid, c.active, c.interval_number, c.interval_type, "
        "c.nextcall FROM ir_cron c JOIN ir_model_data d ON d.model = 'ir.cron' "
        f"AND d.res_id = c.id WHERE d.module IN ({names}) ORDER BY d.name",
    )
    data["reminder templates"] = rows(
        db,
        "SELECT d.name AS xmlid, t.subject->>'en_US' AS subject FROM mail_template t "
        "JOIN ir_model_data d ON d.model = 'mail.template' AND d.res_id = t.id "
        f"WHERE d.module IN ({names}) ORDER BY d.name",
    )
    data["followers"] = rows(
        db,
        "SELECT res_model, res_id, partner_id FROM mail_followers "
        "WHERE res_model LIKE 'credit.collection.%' ORDER BY 1, 2, 3",
    )
    return data


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """A database installed by the previous release, changed as above, and
    upgraded to the working tree: its snapshots before and after, the
    upgrade's log, what the run after it printed."""
    tmp = tmp_path_factory.mktemp("upgrade")
    commit, versions = previous_release()
    archive = subprocess.run(
        ["git", "-C", REPO_ROOT, "archive", commit, *versions],
        capture_output=True,
        check=True,
    ).stdout
    (tmp / "previous").mkdir()
    subprocess.run(["tar", "-x", "-C", tmp / "previous"], input=archive, check=True)
    old_conf = odoo_conf(tmp / "old.conf", f"{odoo_addons_path()},{tmp / 'previous'}")
    new_conf = odoo_conf(tmp / "new.conf", f"{odoo_addons_path()},{REPO_ROOT}")
    db = f"cc_upgrade_{os.getpid()}"
    # An addon the previous release did not have is installed with the upgrade.
    missing = ",".join(sorted(set(CURRENT) - set(versions)))
    new_addons = ["-i", missing] if missing else []
    try:
        install_db(db, ",".join(versions), config=old_conf, demo=True)
        ran = odoo_shell(old_conf, db, BEFORE_UPGRADE)
        day = next(
            line for line in ran.splitlines() if line.startswith("DAY ")
        ).split()[1]
        before = snapshot(db, versions)
        log = tmp / "upgrade.log"
        upgrade = subprocess.run(
            [
                ODOO_BIN,
                "-c",
                new_conf,
                "-d",
                db,
                "-u",
                ",".join(versions),
                *new_addons,
                "--stop-after-init",
                "--no-http",
                "--log-level=info",
                f"--logfile={log}",
            ],
            check=False,
        )
        assert upgrade.returncode == 0, log.read_text()[-3000:]
        after = snapshot(db, versions)
        shell = odoo_shell(new_conf, db, AFTER_UPGRADE.replace("DAY_OF_THE_RUN", day))
        yield SimpleNamespace(
            before=before,
            after=after,
            log=log.read_text(),
            shell=shell,
            commit=commit,
            versions=versions,
            db=db,
        )
    finally:
        subprocess.run(["dropdb", "--if-exists", db], check=False)


def test_the_upgrade_logs_no_warning_and_runs_the_migrations(upgraded):
    log, versions = upgraded.log, upgraded.versions
    print(
        f"{FIGURES}upgraded from {upgraded.commit[:7]} "
        + ", ".join(f"{name} {v} -> {CURRENT[name]}" for name, v in versions.items())
    )
    problems = [
        line for line in log.splitlines() if " WARNING " in line or " ERROR " in line
    ]
    assert not problems, "\n".join(problems)
    migrations = sorted(
        folder.name
        for addon, version in versions.items()
        for folder in (REPO_ROOT / addon / "migrations").glob("*")
        if folder.is_dir() and version < folder.name <= CURRENT[addon]
    )
    assert migrations, "no migration between the previous release and this one"
    for migration in migrations:
        assert f"Running migration [{migration}>]" in log or (
            f"Running migration [>{migration}]" in log
        ), migration


def test_every_record_is_still_there_with_its_values(upgraded):
    before, after = upgraded.before, upgraded.after
    # The comparison holds something of each kind the issue names.
    for table in (
        "credit_collection_action",
        "credit_collection_promise",
        "credit_collection_dispute",
        "credit_collection_plan",
        "credit_collection_block_event",
        "credit_collection_item_state",
        "credit_collection_run",
    ):
        assert before[table], f"the previous release's ledger has no {table}"
    assert any(row["amount_paid"] for row in before["effectiveness"]), (
        "no done action of the previous release's ledger brought anything in"
    )
    for name, old_rows in before.items():
        if name == "followers":
            continue
        assert name in after, f"{name} is gone"
        kept = (
            [
                {
                    k: v
                    for k, v in row.items()
                    if k in old_rows[0] and k not in WRITE_STAMPS
                }
                for row in after[name]
            ]
            if old_rows
            else after[name]
        )
        stable = [
            {k: v for k, v in row.items() if k not in WRITE_STAMPS} for row in old_rows
        ]
        # Every row is still there with its values; what the new release
        # ships (a scheduled action) may come beside them.
        # (Keys sorted: a derived column comes last in the new snapshot.)
        lost = Counter(json.dumps(row, sort_keys=True) for row in stable) - Counter(
            json.dumps(row, sort_keys=True) for row in kept
        )
        assert not lost, f"{name}: {sorted(lost)}"
    crons = {row["xmlid"] for row in after["scheduled actions"]}
    assert "ir_cron_collection_send_helper" in crons


def test_followers_are_kept_and_collectors_follow_the_reminders_sent_before(
    upgraded,
):
    db = upgraded.db
    old = {tuple(row.values()) for row in upgraded.before["followers"]}
    new = {tuple(row.values()) for row in upgraded.after["followers"]}
    assert old <= new
    # The 18.0.1.3.0 migration: each emailed reminder's collector follows it.
    unfollowed = psql(
        db,
        "SELECT count(*) FROM credit_collection_action a "
        "JOIN res_users u ON u.id = a.user_id "
        "WHERE a.channel = 'email' AND a.state = 'done' "
        "AND a.mail_message_id IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM mail_followers f WHERE f.res_model = "
        "'credit.collection.action' AND f.res_id = a.id "
        "AND f.partner_id = u.partner_id)",
    )
    sent = psql(
        db,
        "SELECT count(*) FROM credit_collection_action WHERE channel = 'email' "
        "AND state = 'done' AND mail_message_id IS NOT NULL",
    )
    assert int(sent) > 0, "the previous release sent no reminder to migrate"
    assert unfollowed == "0"


def test_what_the_administrator_set_is_kept(upgraded):
    after = upgraded.after
    crons = {row["xmlid"]: row for row in after["scheduled actions"]}
    assert crons["ir_cron_collection_run"]["nextcall"].startswith("2030-01-01T03:00")
    assert crons["ir_cron_collection_run"]["interval_number"] == 2
    assert crons["ir_cron_profile_suggestion"]["active"] is False
    assert crons["ir_cron_collection_kpi"]["interval_number"] == 3
    assert {"key": "credit_collection.upgrade_probe", "value": "kept"} in after[
        "settings"
    ]
    assert "Our own subject" in [t["subject"] for t in after["reminder templates"]]
    assert psql(upgraded.db, CHANGED_BY_HAND) == "8|Negligent (ours)|9"


def test_the_run_after_the_upgrade_creates_nothing_twice(upgraded):
    line = next(
        line for line in upgraded.shell.splitlines() if line.startswith("ACTIONS")
    )
    _label, before, after = line.split()
    assert int(before) > 0
    assert after == before
