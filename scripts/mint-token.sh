#!/usr/bin/env bash
# Mints an API token for Slurm Gateway.
#
#   scripts/mint-token.sh NAME [ROLES] >> config/application.yml
#
# NAME is the principal the token authenticates (runs record it as createdBy); ROLES a comma list of reader,
# submitter, admin, local (default: submitter). The token itself goes to standard error, once: hand it to the client,
# it is stored nowhere. Standard output gets the configuration lines that admit it, which hold only the token's
# SHA-256, so they may be committed or put in a ConfigMap.
set -euo pipefail

usage() { echo "usage: scripts/mint-token.sh NAME [ROLES]  (ROLES: comma list of reader,submitter,admin,local)" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
name=$1
roles=${2:-submitter}
[[ $name =~ ^[A-Za-z0-9_.@-]{1,64}$ ]] || { echo "NAME must match [A-Za-z0-9_.@-]{1,64}" >&2; exit 2; }
IFS=, read -ra wanted <<< "$roles"
for role in "${wanted[@]}"; do
  [[ $role =~ ^(reader|submitter|admin|local)$ ]] || { echo "unknown role '$role'" >&2; usage; }
done

# 32 bytes from the kernel's CSPRNG, URL-safe base64 without padding: 256 bits, nothing to guess
token="sgw_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
digest=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)

echo "API token for '$name' (shown once; give it to the client as 'Authorization: Bearer <token>'):" >&2
echo "$token" >&2
cat <<YAML
gateway:
  security:
    tokens:
      $name:
        sha256: $digest
        roles: $roles
YAML
