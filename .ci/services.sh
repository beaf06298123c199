#!/usr/bin/env bash
# What the PostgreSQL tests need on this machine: a PostgreSQL server at 127.0.0.1:5432 that
# trusts the local user `postgres`, with a database `test`, and nginx. Machines of this
# project's kind start PostgreSQL before a session; a clean one gets Debian's packages here.
# Fails loudly when PostgreSQL cannot be reached: its tests are never skipped silently.
set -euo pipefail

apt_install() {
    if [ -z "${APT_UPDATED:-}" ]; then apt-get -o DPkg::Lock::Timeout=600 update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null || ! ready; then
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        echo "installing Debian's postgresql for the PostgreSQL tests"
        apt_install postgresql
    fi
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    if [ ! -d "/etc/postgresql/$version/main" ]; then
        pg_createcluster "$version" main >/dev/null
    fi
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    # The tests connect over TCP as postgres without a password (trust), on loopback only.
    grep -q "meeting-board-tests" "$hba" || \
        sed -i '1i host all postgres 127.0.0.1/32 trust # meeting-board-tests' "$hba"
    pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main reload
    for _ in $(seq 1 60); do ready && break; sleep 0.5; done
fi
ready || { echo "PostgreSQL is not reachable at 127.0.0.1:5432" >&2; exit 1; }
trusted() { psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; }
if ! trusted; then
    # A server that runs but asks the tests for a password: trust loopback for postgres.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
        [ -f "$hba" ] || continue
        grep -q "meeting-board-tests" "$hba" || \
            sed -i '1i host all postgres 127.0.0.1/32 trust # meeting-board-tests' "$hba"
        pg_ctlcluster "$(basename "$(dirname "$(dirname "$hba")")")" main reload || true
    done
    sleep 1
fi
trusted || { echo "PostgreSQL at 127.0.0.1:5432 does not let the tests in as postgres" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" \
    | grep -q 1 || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE test"

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    echo "installing Debian's nginx for the several-process tests"
    apt_install nginx-light || apt_install nginx
fi
