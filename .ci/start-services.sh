#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster and Redis on loopback and prints the env to export.
# Usage: eval "$(bash .ci/start-services.sh)"
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA=$(mktemp -d /tmp/ci-pg.XXXXXX)
PGPORT=${PGPORT:-55432}
REDIS_PORT=${REDIS_PORT:-56379}
chown postgres:postgres "$PGDATA"
su postgres -c "$PGBIN/initdb -D $PGDATA -U postgres --auth=trust -E UTF8 >/dev/null"
su postgres -c "$PGBIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off' -l $PGDATA/server.log -w start >/dev/null"
su postgres -c "$PGBIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -qc 'create database app'" >&2
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/app"
echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
echo "export CI_PGDATA=$PGDATA"
