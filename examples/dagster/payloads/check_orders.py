"""An asset check: passes when the orders have rows."""
from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    rows = 1200
    pipes.report_asset_check(check_name="orders_have_rows", passed=rows > 0, severity="ERROR",
                             metadata={"rows": rows})
