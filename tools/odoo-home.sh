# shellcheck shell=bash
# Where tools/bootstrap-odoo.sh installs Odoo 18.0 and where the two commands
# look for it: one place per user, outside any clone, so that every clone,
# CI run and the demo find the same installation.
ODOO_HOME=${ODOO_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/credit-collection/odoo-18.0}
