package io.dataflare.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The task server's layers: its domain (tasks, their inputs and outputs, the built-in components) knows nothing
 * of HTTP, and the command-line client knows nothing of the server's classes (it talks to the server over its
 * API only).
 */
@AnalyzeClasses(packages = "io.dataflare", importOptions = ImportOption.DoNotIncludeTests.class)
class ServerLayeringTest {
    /** The server's domain: the tasks and the push / memory built-ins with their queues. */
    private static final String[] SERVER_DOMAIN = {
        "io.dataflare.server.task..", "io.dataflare.server.io..", "io.dataflare.server.workflow.."
    };

    @ArchTest
    void theServersDomainUsesNoHttpLibrary(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAnyPackage(SERVER_DOMAIN)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.javalin..",
                        "jakarta.servlet..",
                        "java.net.http..",
                        "org.eclipse.jetty..",
                        "io.dataflare.server.http..",
                        "io.dataflare.server")
                .because(
                        "tasks run, refuse and report the same whatever serves them: the domain throws TaskExceptions that"
                                + " carry no HTTP status, and only the http package (ApiErrors) turns them into answers")
                .check(classes);
    }

    @ArchTest
    void theClientUsesNoServerClass(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage("io.dataflare.cli.client..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.dataflare.server..")
                .because(
                        "the client talks to a server over its HTTP API only, so that it works against any server version"
                                + " that keeps the API, and a change inside the server never changes what the client does")
                .check(classes);
    }
}
