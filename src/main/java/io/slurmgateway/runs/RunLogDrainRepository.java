package io.slurmgateway.runs;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface RunLogDrainRepository extends JpaRepository<RunLogDrain, UUID> {}
