package io.slurmgateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunService;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.annotation.Transactional;

/** The package-per-module layout of STYLE.md, checked on the compiled classes. */
class ModuleBoundariesTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.slurmgateway");

    @Test
    void modulesHaveNoCycles() {
        slices().matching("io.slurmgateway.(**)").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void onlyTheHostModuleTalksSsh() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.slurmgateway.host..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("net.schmizz..", "com.hierynomus..", "org.apache.sshd..")
                .check(GATEWAY);
    }

    @Test
    void edgeModulesKnowNothingOfPersistenceOrOfTheModulesAboveThem() {
        noClasses()
                .that()
                .resideInAnyPackage("io.slurmgateway.host..", "io.slurmgateway.slurm..", "io.slurmgateway.launch..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.slurmgateway.runs..",
                        "io.slurmgateway.clusters..",
                        "io.slurmgateway.execution..",
                        "io.slurmgateway.security..",
                        "io.slurmgateway.system..",
                        "jakarta.persistence..",
                        "org.springframework.data..",
                        "org.springframework.jdbc..",
                        "org.springframework.transaction..")
                .check(GATEWAY);
    }

    @Test
    void securityKnowsWhoCallsNotWhatTheyRun() {
        noClasses()
                .that()
                .resideInAPackage("io.slurmgateway.security..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.slurmgateway.runs..",
                        "io.slurmgateway.execution..",
                        "io.slurmgateway.clusters..",
                        "io.slurmgateway.host..",
                        "io.slurmgateway.slurm..",
                        "jakarta.persistence..")
                .check(GATEWAY);
    }

    @Test
    void theLocalAndTheClusterSchedulersNeverImportEachOther() {
        noClasses()
                .that()
                .resideInAPackage("io.slurmgateway.execution.local..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.slurmgateway.execution.cluster..")
                .check(GATEWAY);
        noClasses()
                .that()
                .resideInAPackage("io.slurmgateway.execution.cluster..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.slurmgateway.execution.local..")
                .check(GATEWAY);
    }

    @Test
    void workersHoldClaimedValuesNeverTheRunEntityOrTheClientFacingService() {
        noClasses()
                .that()
                .resideInAPackage("io.slurmgateway.execution..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(Run.class, RunService.class)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.persistence..", "org.springframework.data..")
                .check(GATEWAY);
    }

    @Test
    void launchersArePureAndDependOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage("io.slurmgateway.launch..")
                // reads the module's own scripts from the class path once, when a launcher class loads
                .and()
                .doNotHaveSimpleName("ScriptResources")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.slurmgateway.runs..",
                        "io.slurmgateway.execution..",
                        "io.slurmgateway.host..",
                        "io.slurmgateway.system..",
                        "java.io..",
                        "java.nio.file..")
                .check(GATEWAY);
    }

    @Test
    void clusterAndHostCodeHoldsNoTransactions() {
        methods()
                .that()
                .areDeclaredInClassesThat()
                .resideInAnyPackage("io.slurmgateway.host..", "io.slurmgateway.slurm..", "io.slurmgateway.execution..")
                .should()
                .notBeAnnotatedWith(Transactional.class)
                .allowEmptyShould(true)
                .check(GATEWAY);
        noClasses()
                .that()
                .resideInAnyPackage("io.slurmgateway.host..", "io.slurmgateway.slurm..", "io.slurmgateway.execution..")
                .should()
                .beAnnotatedWith(Transactional.class)
                .check(GATEWAY);
    }

    @Test
    void onlyTheRunsModuleTouchesItsRepositories() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.slurmgateway.runs")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Repository")
                .check(GATEWAY);
    }
}
