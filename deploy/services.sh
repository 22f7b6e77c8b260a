#!/usr/bin/env bash
# Start the local PostgreSQL and RabbitMQ if they are installed but stopped (CI's machines
# have both; they may have been stopped). Prints what it did.
set -u
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 5432 && command -v pg_ctlcluster >/dev/null; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! port_open 5672 && command -v rabbitmq-server >/dev/null; then
  echo "starting RabbitMQ"
  rabbitmq-server -detached || true
fi
for _ in $(seq 1 60); do
  port_open 5432 && port_open 5672 && exit 0
  sleep 1
done
echo "PostgreSQL or RabbitMQ did not come up" >&2
exit 1
