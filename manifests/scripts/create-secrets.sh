#!/usr/bin/env bash
# Creates the Secrets that the ecom pods reference, with fresh random values, in one namespace:
#   manifests/scripts/create-secrets.sh staging            # creates what is missing, keeps what exists
#   manifests/scripts/create-secrets.sh staging --dry-run  # prints the Secret objects, touches no cluster
# The Secrets are made together (the service URLs carry the database passwords), so the script creates all
# of them or none: when some exist already it stops and names them. Existing Secrets are never overwritten:
# a database keeps the password it was initialised with.
# The optional first-admin Secret (user-service-admin) is created by hand; see manifests/README.md.
# Needs kubectl and openssl.
set -euo pipefail

namespace="${1:?usage: create-secrets.sh <namespace> [--dry-run]}"
dry_run="${2:-}"

random() { openssl rand -hex 24; }

names=(users-db-credentials orders-db-credentials products-db-credentials user-service-secrets
  order-service-secrets product-service-secrets ecom-internal-token)

if [ "$dry_run" != "--dry-run" ]; then
  existing=()
  for name in "${names[@]}"; do
    if kubectl get secret "$name" --namespace "$namespace" >/dev/null 2>&1; then existing+=("$name"); fi
  done
  if [ "${#existing[@]}" -eq "${#names[@]}" ]; then
    echo "all secrets exist in $namespace; nothing to do" >&2
    exit 0
  elif [ "${#existing[@]}" -gt 0 ]; then
    echo "some secrets already exist in $namespace (${existing[*]}); delete them all to start over" >&2
    exit 1
  fi
fi

# create NAME KEY=VALUE...: prints (dry run) or creates the Secret.
create() {
  local name="$1"
  shift
  local args=()
  for pair in "$@"; do args+=("--from-literal=$pair"); done
  if [ "$dry_run" = "--dry-run" ]; then
    echo "---"
    kubectl create secret generic "$name" --namespace "$namespace" "${args[@]}" --dry-run=client -o yaml
  else
    kubectl create secret generic "$name" --namespace "$namespace" "${args[@]}" >&2
  fi
}

users_password="$(random)"
orders_password="$(random)"
products_password="$(random)"
# Ed25519 signing key (PKCS8 PEM) for access tokens; the user service publishes its public half as JWKS.
jwt_key="$(openssl genpkey -algorithm ed25519)"

create users-db-credentials POSTGRES_USER=users "POSTGRES_PASSWORD=$users_password"
create orders-db-credentials POSTGRES_USER=orders "POSTGRES_PASSWORD=$orders_password"
create products-db-credentials MONGO_INITDB_ROOT_USERNAME=products "MONGO_INITDB_ROOT_PASSWORD=$products_password"
create user-service-secrets \
  "DATABASE_URL=postgres://users:$users_password@users-db:5432/users_db" \
  "JWT_PRIVATE_KEY=$jwt_key" \
  "JWT_KEY_ID=ecom-$(date -u +%Y%m%d)"
create order-service-secrets "DATABASE_URL=postgres://orders:$orders_password@orders-db:5432/orders_db"
create product-service-secrets "MONGO_URL=mongodb://products:$products_password@products-db:27017/?authSource=admin"
create ecom-internal-token "INTERNAL_SERVICE_TOKEN=$(random)"
