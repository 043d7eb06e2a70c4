#!/bin/sh
# One database and one owner role per Orderly service, so no service can read another's tables.
# Run once by the postgres image's entrypoint (files in /docker-entrypoint-initdb.d, first start of an
# empty data directory), or by hand against any server:
#
#   ORDERLY_DATABASES="order inventory" ORDERLY_DATABASE_PASSWORD=secret PGHOST=... sh init-databases.sh
#
# ORDERLY_DATABASES: space-separated names; each becomes a role (LOGIN, that password) owning a database
# of the same name. Re-running is harmless: existing roles and databases are left as they are.
set -e

databases="${ORDERLY_DATABASES:-order inventory invoice fulfillment}"
password="${ORDERLY_DATABASE_PASSWORD:?set ORDERLY_DATABASE_PASSWORD}"
admin="${POSTGRES_USER:-postgres}"

for name in $databases; do
  case "$name" in
    *[!a-z0-9_]* | "") echo "init-databases: '$name' is not a plain lowercase name" >&2; exit 1 ;;
  esac
  # psql variables (:"name" quotes an identifier, :'password' a literal): "order" is a keyword.
  psql -v ON_ERROR_STOP=1 --username "$admin" --dbname postgres \
    -v name="$name" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SQL
  echo "init-databases: database \"$name\" owned by role \"$name\""
done
