package io.dataflare.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.RunFactory;

/**
 * The layering of DataFlare, checked on the main classes of every module this one depends on. Each rule
 * says why it holds; a violation fails the build with the offending classes and lines.
 */
@AnalyzeClasses(packages = "io.dataflare", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    /** The shared record-JSON codec: a library of its own that hosts and plugins may use like plugin-api. */
    private static final String RECORD_CODEC = "io.dataflare.json..";
    /** Helpers the built-in plugins share ({@code {field}} templates): bundled in each plugin JAR like the codec. */
    private static final String PLUGIN_SUPPORT = "io.dataflare.support..";
    /** The one engine package plugin hosts compile against. */
    private static final String HOST_SPI = "io.dataflare.engine.host";

    @ArchTest
    void pluginApiDependsOnNoOtherDataFlareCode(JavaClasses classes) {
        classes()
                .that()
                .resideInAPackage("io.dataflare.api..")
                .should()
                .onlyDependOnClassesThat(
                        resideOutsideOfPackage("io.dataflare..").or(resideInAPackage("io.dataflare.api..")))
                .because(
                        "plugins compile against plugin-api alone: it must not drag in the engine or anything else of DataFlare")
                .check(classes);
    }

    @ArchTest
    void onlyTheFlinkRunnerTouchesFlink(JavaClasses classes) {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.dataflare.flink..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.flink..")
                .because("cloud mode is one module: the engine runs without Flink, and the CLI reaches Flink only"
                        + " through io.dataflare.flink")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.dataflare.flink..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.dataflare.cli..", "io.dataflare.server..", "io.dataflare.plugins..")
                .because("the Flink runner hosts plugins through the engine, as a local run does")
                .check(classes);
    }

    @ArchTest
    void engineCoreUsesNoPluginRuntimeNorWebServer(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage("io.dataflare.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.dylibso..", "org.graalvm..", "io.javalin..")
                .because(
                        "hosts are found with ServiceLoader so that the engine runs without Chicory or GraalVM, and the HTTP"
                                + " server is the server module's: leave a host's JAR out and only its plugins are missing")
                .check(classes);
    }

    @ArchTest
    void workflowRunsPluginsThroughTheRegistryOnly(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage("io.dataflare.workflow..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.dataflare.wasm..",
                        "io.dataflare.polyglot..",
                        "io.dataflare.server..",
                        "io.dataflare.cli..",
                        "com.dylibso..",
                        "org.graalvm..",
                        "io.javalin..")
                .because("a workflow's tasks are plugins of any language, resolved and created through the engine's"
                        + " registry: the workflow engine knows no host, and the CLI and the server use it, not the"
                        + " other way round")
                .check(classes);
    }

    @ArchTest
    void wasmHostUsesOnlyTheEngineHostPackage(JavaClasses classes) {
        classes()
                .that()
                .resideInAPackage("io.dataflare.wasm..")
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage("io.dataflare..")
                        .or(resideInAnyPackage("io.dataflare.wasm..", "io.dataflare.api..", HOST_SPI, RECORD_CODEC)))
                .because(
                        "a plugin host compiles against the engine's host SPI (io.dataflare.engine.host) and plugin-api only,"
                                + " and knows nothing of the other hosts")
                .check(classes);
    }

    @ArchTest
    void polyglotHostUsesOnlyTheEngineHostPackage(JavaClasses classes) {
        classes()
                .that()
                .resideInAPackage("io.dataflare.polyglot..")
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage("io.dataflare..")
                        .or(resideInAnyPackage(
                                "io.dataflare.polyglot..", "io.dataflare.api..", HOST_SPI, RECORD_CODEC)))
                .because(
                        "a plugin host compiles against the engine's host SPI (io.dataflare.engine.host) and plugin-api only,"
                                + " and knows nothing of the other hosts")
                .check(classes);
    }

    @ArchTest
    void builtInPluginsUseOnlyThePluginApi(JavaClasses classes) {
        classes()
                .that()
                .resideInAPackage("io.dataflare.plugins..")
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage("io.dataflare..")
                        .or(resideInAnyPackage(
                                "io.dataflare.plugins..", "io.dataflare.api..", RECORD_CODEC, PLUGIN_SUPPORT)))
                .because(
                        "built-in plugins are plugin JARs like any other: they see plugin-api and their own bundled libraries,"
                                + " never the engine's classes")
                .check(classes);
    }

    @ArchTest
    void pluginSupportDependsOnThePluginApiAlone(JavaClasses classes) {
        classes()
                .that()
                .resideInAPackage(PLUGIN_SUPPORT)
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage("io.dataflare..")
                        .or(resideInAnyPackage(PLUGIN_SUPPORT, "io.dataflare.api..")))
                .because(
                        "every plugin bundles plugin-support: it must not drag the engine, a plugin or anything else in")
                .check(classes);
    }

    @ArchTest
    void builtInPluginsDoNotUseEachOther(JavaClasses classes) {
        slices().matching("io.dataflare.plugins.(*)..")
                .should()
                .notDependOnEachOther()
                .because(
                        "each built-in plugin is its own JAR in its own class loader: another plugin's classes are not there")
                .check(classes);
    }

    @ArchTest
    void engineCoreTopLevelPackagesAreFreeOfCycles(JavaClasses classes) {
        slices().matching("io.dataflare.engine.(*)..")
                .should()
                .beFreeOfCycles()
                .because(
                        "each part of the engine (config, pipeline, plugin, host, runtime...) builds on the ones below it and"
                                + " can be understood and tested without the ones above")
                .check(classes);
    }

    @ArchTest
    void engineCorePackagesAreFreeOfCycles(JavaClasses classes) {
        slices().assignedFrom(EVERY_ENGINE_PACKAGE)
                .should()
                .beFreeOfCycles()
                .because("no package of the engine, sub-packages and the root one included, may need one that needs it:"
                        + " the registry does not know the reload that drives it, nor the solver the registry")
                .check(classes);
    }

    @ArchTest
    void onlyTheEngineMakesARunFactory(JavaClasses classes) {
        noClasses()
                .that()
                .doNotBelongToAnyOf(Engine.class)
                .should()
                .callConstructorWhere(target(owner(type(RunFactory.class))))
                .because(
                        "the engine is the one way to run a pipeline: its runs lease their plugins and follow hot reloads")
                .check(classes);
    }

    @ArchTest
    void onlyTheRunFactoryMakesPipelineRuns(JavaClasses classes) {
        noClasses()
                .that()
                .doNotBelongToAnyOf(RunFactory.class)
                .should()
                .callConstructorWhere(target(owner(type(PipelineRun.class))))
                .because("a run made anywhere else would hold no plugin leases and never see a hot-reloaded plugin")
                .check(classes);
    }

    /** Each package of engine-core is a slice of its own (the root package and sub-packages included). */
    private static final SliceAssignment EVERY_ENGINE_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            return p.equals("io.dataflare.engine") || p.startsWith("io.dataflare.engine.")
                    ? SliceIdentifier.of(p)
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "every package of engine-core";
        }
    };
}
