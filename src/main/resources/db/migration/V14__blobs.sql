-- Content-addressed uploads: environment packs and run files, named by the SHA-256 of their bytes. The bytes lie in
-- the blob store (a directory by default); these rows say what is stored, who may use it, and since when nobody has.
CREATE TABLE blob (
    digest                CHAR(64)                 NOT NULL PRIMARY KEY,
    size_bytes            BIGINT                   NOT NULL,
    stored_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    -- what is wrong with it as an environment pack, once it was looked at: '' when nothing, null when not yet looked
    pack_problem          VARCHAR(1000),
    -- the same, for a pack that must hold activate.sh at its root (no unpack command configured)
    pack_activate_problem VARCHAR(1000)
);

-- who uploaded a blob's bytes: only they may see it or name it in a run (a blob is stored once however many did)
CREATE TABLE blob_owner (
    digest     CHAR(64)                 NOT NULL,
    owner      VARCHAR(255)             NOT NULL,
    granted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT blob_owner_pk PRIMARY KEY (digest, owner),
    CONSTRAINT blob_owner_blob_fk FOREIGN KEY (digest) REFERENCES blob (digest) ON DELETE CASCADE
);
CREATE INDEX blob_owner_by_owner ON blob_owner (owner, granted_at);

-- the blobs each run names: a blob that an unfinished run needs is never removed, from the store or from a cache
CREATE TABLE run_blob (
    run_id UUID     NOT NULL,
    digest CHAR(64) NOT NULL,
    CONSTRAINT run_blob_pk PRIMARY KEY (run_id, digest),
    CONSTRAINT run_blob_run_fk FOREIGN KEY (run_id) REFERENCES run (id) ON DELETE CASCADE
);
CREATE INDEX run_blob_by_digest ON run_blob (digest);
