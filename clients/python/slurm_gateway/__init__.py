"""Slurm Gateway's Python client: runs on Slurm (or locally) through the gateway's HTTP API.

``GatewayClient`` needs only the standard library; ``slurm_gateway.dagster`` (which imports Dagster) adds the Dagster
resource ``SlurmGatewayResource``.
"""

from .client import TERMINAL_STATES, GatewayClient, LogChunk, LogRead, RetryPolicy, blob_digest
from .errors import GatewayError, GatewayProblem, GatewayUnavailable

__version__ = "0.1.0"

__all__ = [
    "GatewayClient",
    "GatewayError",
    "GatewayProblem",
    "GatewayUnavailable",
    "LogChunk",
    "LogRead",
    "RetryPolicy",
    "TERMINAL_STATES",
    "blob_digest",
]
