"""Dagster definitions that run every asset through Slurm Gateway. Load with
`dagster dev -f examples/dagster/definitions.py` (see README.md here).

Two resources: `compute` runs where SLURM_GATEWAY_MODE says (local, the default, on the gateway's host while
developing; slurm in production), so the assets using it run unchanged in both; `hpc` always runs on the Slurm
cluster SLURM_GATEWAY_CLUSTER (or the gateway's only one).
"""

import os
from pathlib import Path

import dagster as dg

from slurm_gateway.dagster import GatewayResources, SlurmGatewayResource

PAYLOADS = Path(__file__).parent / "payloads"


@dg.asset(group_name="gateway_demo")
def orders(context: dg.AssetExecutionContext, compute: SlurmGatewayResource):
    """Local mode while developing: the two lines every asset needs."""
    return compute.run(context=context, payload_path=str(PAYLOADS / "orders.py"),
                       extra_env={"ORDERS_SOURCE": "demo"}).get_results()


@dg.asset(group_name="gateway_demo", deps=[orders])
def order_model(context: dg.AssetExecutionContext, hpc: SlurmGatewayResource):
    """A Slurm job with resources of its own, over the resource's defaults; USR1 a minute before the time limit."""
    return hpc.run(
        context=context,
        payload_path=str(PAYLOADS / "train.py"),
        args=["--epochs", "3"],
        extra_slurm_opts={"cpus_per_task": 2, "mem": "1G", "time_limit": "00:10:00",
                          "signal_before_timeout": "USR1@60"},
        extras={"learning_rate": 0.1},
    ).get_materialize_result()


@dg.asset_check(asset=orders)
def orders_have_rows(context: dg.AssetCheckExecutionContext, compute: SlurmGatewayResource):
    """An asset check whose verdict the payload reports."""
    return compute.run(context=context, payload_path=str(PAYLOADS / "check_orders.py")).get_asset_check_result()


@dg.multi_asset(specs=[dg.AssetSpec("raw_events", group_name="gateway_demo"),
                       dg.AssetSpec("clean_events", group_name="gateway_demo", deps=["raw_events"])])
def events(context: dg.AssetExecutionContext, compute: SlurmGatewayResource):
    """One run that materializes two assets: the payload names each in its report."""
    return compute.run(context=context, payload_path=str(PAYLOADS / "events.py")).get_results()


URL = os.environ.get("SLURM_GATEWAY_URL", "http://127.0.0.1:8080")
# EnvVar keeps the token's value out of Dagster's UI and logs
TOKEN = dg.EnvVar("SLURM_GATEWAY_TOKEN") if "SLURM_GATEWAY_TOKEN" in os.environ else None

defs = dg.Definitions(
    assets=[orders, order_model, events],
    asset_checks=[orders_have_rows],
    resources={
        "compute": SlurmGatewayResource(url=URL, token=TOKEN, mode=os.environ.get("SLURM_GATEWAY_MODE", "local"),
                                        cluster=os.environ.get("SLURM_GATEWAY_CLUSTER")),
        "hpc": SlurmGatewayResource(url=URL, token=TOKEN, mode="slurm", cluster=os.environ.get("SLURM_GATEWAY_CLUSTER"),
                                    resources=GatewayResources(cpus_per_task=1, time_limit="00:30:00")),
    },
)
