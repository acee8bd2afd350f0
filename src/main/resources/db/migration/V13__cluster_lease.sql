-- Which gateway instance submits and follows the jobs of each cluster account (a cluster with one of its
-- identities), and until when: the holder renews its lease; once it has expired another instance may take it and
-- adopt the account's runs. Times are the database's own clock, so the instances' clocks need not agree.
CREATE TABLE cluster_lease (
    cluster          VARCHAR(64)              NOT NULL,
    cluster_identity VARCHAR(64)              NOT NULL,
    holder           VARCHAR(255)             NOT NULL,
    taken_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    epoch            BIGINT                   NOT NULL,
    CONSTRAINT cluster_lease_pk PRIMARY KEY (cluster, cluster_identity)
);

-- when the run's directory on the cluster was removed after its retention (null while it is kept)
ALTER TABLE run ADD COLUMN work_dir_removed_at TIMESTAMP WITH TIME ZONE;
