package io.dataflare.cli.client;

import picocli.CommandLine.Option;

/** The options every client command takes. */
public final class ClientOptions {
    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "The server (default: DATAFLARE_SERVER, the client config file, or "
                    + ClientSettings.DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--json", description = "Print JSON (one object) instead of text.")
    boolean json;

    ApiClient client() {
        return new ApiClient(ClientSettings.resolve(server));
    }
}
