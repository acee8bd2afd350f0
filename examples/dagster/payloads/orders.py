"""Reads the day's orders (here: makes them up) and reports the materialization over Dagster Pipes."""
import os

from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    rows = 1200
    pipes.log.info("read %d orders from %s" % (rows, os.environ.get("ORDERS_SOURCE", "nowhere")))
    print("orders: %d rows" % rows)  # stdout reaches the step's stdout through the gateway
    pipes.report_asset_materialization(metadata={"rows": rows, "source": os.environ.get("ORDERS_SOURCE")},
                                       data_version="v1")
