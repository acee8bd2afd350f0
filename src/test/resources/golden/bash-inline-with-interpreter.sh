#!/bin/bash
# Written by Slurm Gateway for run 3f2504e0-4f89-41d3-9a0c-0305e82c3301.
# The payload, its arguments and its environment arrive as data, never as shell text.
exec "$SLURM_GATEWAY_PAYLOAD" "$@"
