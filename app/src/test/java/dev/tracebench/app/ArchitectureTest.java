package dev.tracebench.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module graph and the house rules of docs/architecture.md, checked on the compiled classes. */
@AnalyzeClasses(packages = "dev.tracebench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("app").definedBy("dev.tracebench.app..")
            .layer("views").definedBy("dev.tracebench.views..")
            .layer("importers").definedBy("dev.tracebench.importers..")
            .layer("core").definedBy("dev.tracebench.core..")
            .layer("samples").definedBy("dev.tracebench.samples..")
            .whereLayer("app").mayNotBeAccessedByAnyLayer()
            .whereLayer("views").mayOnlyBeAccessedByLayers("app")
            .whereLayer("importers").mayOnlyBeAccessedByLayers("app")
            .whereLayer("core").mayOnlyBeAccessedByLayers("app", "views", "importers")
            .whereLayer("samples").mayOnlyBeAccessedByLayers("app")
            .because("app -> views -> core and app -> importers -> core; views never depend on importers");

    @ArchTest
    static final ArchRule headlessCore = noClasses().that().resideInAnyPackage("dev.tracebench.core..",
            "dev.tracebench.importers..", "dev.tracebench.samples..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "java.awt..", "javax.swing..",
                    "org.jfree..")
            .because("core and importers run headless (CLI, tests, benchmarks)");

    @ArchTest
    static final ArchRule onlyTheStoreTouchesJdbc = noClasses().that().resideOutsideOfPackage("dev.tracebench.core.store..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.duckdb..", "org.apache.arrow..")
            .because("only core.store talks to DuckDB (JDBC, and the Arrow batches imports hand it): one connection "
                    + "per thread, never shared");

    @ArchTest
    static final ArchRule viewModelsHaveNoControls = noClasses().that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..")
            .because("view models are plain state, testable without a scene graph");

    @ArchTest
    static final ArchRule storeKeepsItsConnections = classes().that().resideInAPackage("dev.tracebench.core.store")
            .and().arePublic().should().notBeAssignableTo(java.sql.Connection.class)
            .because("the store hands out services, never connections");
}
