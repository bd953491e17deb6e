# Sourced by .ci/run (bash): a throwaway PostgreSQL server for the database half of the test suite.
#
# Installs Debian's `postgresql` package when no server binaries are present, starts a private
# cluster (its own data directory, 127.0.0.1 and a unix socket in that directory only, a random
# free port, password authentication), creates the database `sikkb_test`, exports its URL as
# SIKKB_TEST_POSTGRES_URL and stops the server (deleting its files) when the calling shell exits.
# Usable by hand too:  source .ci/postgres.sh && nox -s tests
# The tests that need the server skip with a visible reason when SIKKB_TEST_POSTGRES_URL is unset.

sikkb_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$sikkb_pg_bin" ]; then
  echo "== apt-get install postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  sikkb_pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

sikkb_pg_dir=$(mktemp -d /tmp/sikkb-pg.XXXXXX)
sikkb_pg_as=()
if [ "$(id -u)" = 0 ]; then  # initdb refuses to run as root: use the package's system user
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$sikkb_pg_dir" postgres
  chown postgres "$sikkb_pg_dir"
  sikkb_pg_as=(runuser -u postgres --)
fi
sikkb_pg_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
sikkb_pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '%s\n' "$sikkb_pg_password" >"$sikkb_pg_dir/pw"
[ "$(id -u)" = 0 ] && chown postgres "$sikkb_pg_dir/pw"

"${sikkb_pg_as[@]}" "$sikkb_pg_bin/initdb" -D "$sikkb_pg_dir/data" -U sikkb --pwfile="$sikkb_pg_dir/pw" \
  --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
rm -f "$sikkb_pg_dir/pw"
"${sikkb_pg_as[@]}" "$sikkb_pg_bin/pg_ctl" -D "$sikkb_pg_dir/data" -w -l "$sikkb_pg_dir/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $sikkb_pg_port -k $sikkb_pg_dir -c max_connections=60" start >/dev/null

sikkb_pg_stop() {
  "${sikkb_pg_as[@]}" "$sikkb_pg_bin/pg_ctl" -D "$sikkb_pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$sikkb_pg_dir"
}
trap sikkb_pg_stop EXIT

PGPASSWORD="$sikkb_pg_password" "$sikkb_pg_bin/createdb" -h 127.0.0.1 -p "$sikkb_pg_port" -U sikkb sikkb_test
export SIKKB_TEST_POSTGRES_URL="postgresql://sikkb:$sikkb_pg_password@127.0.0.1:$sikkb_pg_port/sikkb_test"
echo "== PostgreSQL $("$sikkb_pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$sikkb_pg_port (database sikkb_test)"
