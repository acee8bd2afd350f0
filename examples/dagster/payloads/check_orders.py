"""An asset check: passes when the orders have rows."""
from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    rows = 1200
    # an asset check's Pipes context names no asset, so the check names the asset it checks
    pipes.report_asset_check(check_name="orders_have_rows", passed=rows > 0, severity="ERROR",
                             metadata={"rows": rows}, asset_key="orders")
