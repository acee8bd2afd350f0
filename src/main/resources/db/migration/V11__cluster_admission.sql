-- One row per cluster that caps its active runs (gateway.clusters.<name>.backpressure.max-active-runs). A claim of
-- accepted runs on such a cluster locks its row first, so that counting the cluster's active runs and claiming more
-- happen one claimer at a time, over all the cluster's identities and all gateway instances. Rows are added on first
-- use and hold nothing else.
CREATE TABLE cluster_admission (
    cluster VARCHAR(64) NOT NULL PRIMARY KEY
);
