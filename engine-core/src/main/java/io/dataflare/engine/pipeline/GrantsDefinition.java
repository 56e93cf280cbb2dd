package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Location;
import io.dataflare.engine.host.Grants;
import java.util.List;

/**
 * A {@code grants:} list as written for a stage or a policy: what the person running the pipeline grants the
 * plugin beyond the plugin-local defaults.
 *
 * @param capabilities the granted capabilities, each of a form {@link Grants} knows (entries that are not were
 *                     reported and left out)
 * @param locations    where each entry is written
 * @param location     where {@code grants:} is written
 * @param complete     false when an entry (or the whole list) could not be read: what the stage was meant to be
 *                     granted is then unknown, and its plugin's requests are not checked against it
 */
public record GrantsDefinition(
        List<String> capabilities, List<Location> locations, Location location, boolean complete) {
    public GrantsDefinition {
        capabilities = List.copyOf(capabilities);
        locations = List.copyOf(locations);
    }

    /** The grants these capabilities make. */
    public Grants grants() {
        return Grants.of(capabilities);
    }
}
