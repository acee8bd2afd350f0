"""Materializes two assets in one run, naming each."""
from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    pipes.report_asset_materialization(asset_key="raw_events", metadata={"events": 5000})
    pipes.report_asset_materialization(asset_key="clean_events", metadata={"events": 4870, "dropped": 130})
