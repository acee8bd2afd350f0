#!/bin/bash
# The image's HEALTHCHECK: the gateway's liveness group, over HTTP on loopback, with bash alone, so it needs no curl or wget in the image.
# Loopback and Host: localhost are answered with and without authentication configured.
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT:-8080}"
printf 'GET /actuator/health/liveness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
status=$(head -n 1 <&3)
[[ "$status" == *" 200 "* ]]
